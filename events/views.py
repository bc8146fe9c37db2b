"""A customer's profile page: identifiers, tags, every value with its editor, and the events.

It lives in `events` because it shows the customer's events, and `customers` never
imports `events`. Its tag and unassign actions are in customers/views/customers.py;
the two writes here (save a value, add a property) re-render this page with the
service's message next to the field when the value is refused.
"""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers.errors import (
    DefinitionArchived,
    DomainError,
    InvalidKey,
    InvalidValue,
    NotFound,
    TypeConflict,
)
from customers.forms.customers import PropertyAddForm, TagAddForm, ValueForm, display_value
from customers.models import Customer, DefinitionSource, PropertyValue
from customers.selectors import customer_get, customer_values, definitions_active
from customers.services.properties import PropertyWrite, customer_properties_set
from customers.views.access import member_required
from events.selectors import events_filtered

# The profile shows the latest events only, so it stays one query of bounded size.
EVENTS_SHOWN = 50


def _customer_or_404(request, customer_id: int) -> Customer:
    try:
        return customer_get(account=request.account, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _render_profile(
    request,
    customer: Customer,
    *,
    values: list[PropertyValue] | None = None,
    bound: ValueForm | None = None,
    add_form: PropertyAddForm | None = None,
    status: int = 200,
):
    if values is None:
        values = customer_values(customer=customer)
    if add_form is None:
        add_form = PropertyAddForm(definitions=_addable(request, values))
    value_forms = [
        bound
        if bound is not None and bound.definition.pk == value.definition_id
        else ValueForm(definition=value.definition, stored=value.stored)
        for value in values
    ]
    events = _latest_events(request.account, customer)
    return render(
        request,
        "customers/customers/profile.html",
        {
            "nav": "customers",
            "customer": customer,
            "identifiers": _identifiers(customer),
            "tags": sorted(customer.tags.all(), key=lambda t: t.name),
            "devices": list(customer.devices.order_by("-updated_at", "-id")),
            "tag_form": TagAddForm(),
            "value_forms": value_forms,
            "add_form": add_form,
            "events": events[:EVENTS_SHOWN],
            "events_truncated": len(events) > EVENTS_SHOWN,
            "events_shown": EVENTS_SHOWN,
        },
        status=status,
    )


def _latest_events(account, customer: Customer) -> list:
    """Return one event more than shown (to tell whether there are more), properties as text."""
    events = list(events_filtered(account=account, customer=customer)[: EVENTS_SHOWN + 1])
    for event in events:
        event.property_items = [
            (key, item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))
            for key, item in (event.properties or {}).items()
        ]
    return events


def _identifiers(customer: Customer) -> list[tuple]:
    """Return (label, value, shown as code): identifiers in monospace, names as text."""
    return [
        ("Customer id", customer.pk, True),
        ("UUID", customer.uuid, True),
        ("Email", customer.email, True),
        ("User id", customer.user_id, True),
        ("Visitor id", customer.visitor_id, True),
        ("Phone", customer.phone, True),
        ("Name", customer.name, False),
        ("Company", customer.company, False),
    ]


def _addable(request, values: list[PropertyValue]):
    """Return the active definitions this customer has no value of yet."""
    have = {value.definition_id for value in values}
    return [d for d in definitions_active(account=request.account) if d.pk not in have]


@member_required
def customer_profile(request, customer_id: int):
    """Show one customer of the account."""
    return _render_profile(request, _customer_or_404(request, customer_id))


@member_required
@require_POST
def customer_value_save(request, customer_id: int, key: str):
    """Store a new value of one property of this customer, checked by the service."""
    customer = _customer_or_404(request, customer_id)
    values = customer_values(customer=customer)
    current = next((v for v in values if v.definition.key == key), None)
    if current is None:
        raise Http404("This customer has no value of this property.")
    form = ValueForm(request.POST, definition=current.definition, stored=current.stored)
    if form.is_valid():
        try:
            result = customer_properties_set(
                account=request.account,
                customer=customer,
                writes=[PropertyWrite(key=key, value=form.value)],
                source=DefinitionSource.UI,
            )
        except DomainError as error:
            form.add_error("value", error.message)
        else:
            (written,) = result.written
            shown = display_value(written.type, written.value)
            messages.success(request, f"Saved {current.definition.label}: {shown}.")
            return redirect(reverse("customer", args=[customer.pk]) + f"#value-{key}")
    return _render_profile(request, customer, values=values, bound=form, status=400)


@member_required
@require_POST
def customer_property_add(request, customer_id: int):
    """Set a property on this customer: an existing one, or a new key of a chosen type."""
    customer = _customer_or_404(request, customer_id)
    values = customer_values(customer=customer)
    form = PropertyAddForm(request.POST, definitions=_addable(request, values))
    if form.is_valid():
        try:
            result = customer_properties_set(
                account=request.account,
                customer=customer,
                writes=[
                    PropertyWrite(
                        key=form.write_key, value=form.cleaned_data["value"], type=form.write_type
                    )
                ],
                source=DefinitionSource.UI,
            )
        except DomainError as error:
            form.add_error(_field_of(error, form), error.message)
        else:
            (written,) = result.written
            shown = display_value(written.type, written.value)
            messages.success(request, f"Set {written.key} to {shown} on this customer.")
            return redirect(reverse("customer", args=[customer.pk]) + f"#value-{written.key}")
    return _render_profile(request, customer, values=values, add_form=form, status=400)


def _field_of(error: DomainError, form: PropertyAddForm) -> str | None:
    """Return the add form's field a service error is about (None: the whole form)."""
    new_key = not form.cleaned_data["definition"]
    if isinstance(error, InvalidKey):
        return "key"
    if isinstance(error, TypeConflict):
        return "type"
    if isinstance(error, DefinitionArchived):
        return "key" if new_key else "definition"
    if isinstance(error, InvalidValue):
        return "value"
    return None
