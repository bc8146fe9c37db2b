"""A customer's profile page: identifiers, tags, every value with its editor, the
account's other properties to set, and the events; and its actions: save a value, set or
create a property, unassign a value, add or remove a tag.

Feedback lands where the eye is. The page's forms post to the page's own address (a
hidden `do` names the action), so a refused form re-renders at the same URL with status
400, its message next to the field (aria-invalid, aria-describedby) and the field
focused. A successful action redirects to the row or card it changed (#value-<key>,
#tags, #properties), whose confirmation is shown inside it (role=status), not at the
top of the page. The older per-action addresses still work the same way.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from customers.errors import (
    DefinitionArchived,
    DomainError,
    InvalidKey,
    InvalidValue,
    NotFound,
    TypeConflict,
)
from customers.models import Customer, DefinitionSource, PropertyDefinition, PropertyValue
from customers.selectors import customer_get, customer_values, definition_get, definitions_active
from customers.services.properties import (
    PropertyWrite,
    customer_properties_set,
    property_unassign,
)
from customers.services.tags import customer_tags_add, customer_tags_remove, tags_ensure
from events.selectors import events_filtered
from web.access import member_required
from web.forms.profile import (
    PropertyCreateForm,
    PropertySetForm,
    TagAddForm,
    ValueForm,
    focus_first_error,
)
from web.presenters.events import event_rows
from web.presenters.feedback import at, place_messages
from web.presenters.property_panel import property_panel
from web.presenters.values import display_value

# The profile shows the latest events only, so it stays one query of bounded size.
EVENTS_SHOWN = 50


def _customer_or_404(request, customer_id: int) -> Customer:
    try:
        return customer_get(account=request.account, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _profile_url(customer: Customer, anchor: str) -> str:
    return reverse("customer", args=[customer.pk]) + f"#{anchor}"


def _render_profile(
    request,
    customer: Customer,
    *,
    values: list[PropertyValue] | None = None,
    bound: ValueForm | None = None,
    set_form: PropertySetForm | None = None,
    create_form: PropertyCreateForm | None = None,
    tag_form: TagAddForm | None = None,
    problem: str = "",
    status: int = 200,
):
    if values is None:
        values = customer_values(customer=customer)
    definitions = definitions_active(account=request.account)
    placed = place_messages(messages.get_messages(request))
    value_rows = [
        (
            bound
            if bound is not None and bound.definition.pk == value.definition_id
            else ValueForm(definition=value.definition, stored=value.stored),
            placed.at(f"value-{value.definition.key}"),
        )
        for value in values
    ]
    held = {value.definition.key for value in values}
    if set_form is None:
        set_form = _opened_editor(request, definitions, held)
    # One event more than shown, to tell whether there are more.
    events = list(events_filtered(account=request.account, customer=customer)[: EVENTS_SHOWN + 1])
    return render(
        request,
        "customers/customers/profile.html",
        {
            "nav": "customers",
            "customer": customer,
            "identifiers": _identifiers(customer),
            "tags": sorted(customer.tags.all(), key=lambda t: t.name),
            "devices": list(customer.devices.order_by("-updated_at", "-id")),
            "tag_form": tag_form or TagAddForm(),
            "value_rows": value_rows,
            "set_form": set_form,
            "create_form": create_form or PropertyCreateForm(),
            "panel": property_panel(
                definitions,
                held=held,
                q=request.GET.get("q", ""),
                show_all=request.GET.get("all") == "1",
            ),
            "problem": problem,
            # The page's own address: its forms post here, so a refusal keeps the URL.
            "here": request.get_full_path(),
            "tag_notes": placed.at("tags"),
            "property_notes": placed.at("properties"),
            # Messages of other pages keep their place at the top (base.html).
            "messages": placed.elsewhere,
            "events": event_rows(events[:EVENTS_SHOWN]),
            "events_truncated": len(events) > EVENTS_SHOWN,
            "events_shown": EVENTS_SHOWN,
        },
        status=status,
    )


def _opened_editor(request, definitions, held: set[str]) -> PropertySetForm | None:
    """Return the editor of the property chosen in the panel (?add=key), focused unless
    another form of the page was refused (whose field then has the focus)."""
    key = request.GET.get("add", "")
    definition = next((d for d in definitions if d.key == key), None)
    if definition is None or key in held:
        return None
    form = PropertySetForm(definition=definition)
    if request.method != "POST":
        form.fields["value"].widget.attrs["autofocus"] = True
    return form


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


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def customer_profile(request, customer_id: int):
    """Show one customer of the account; a POST runs the action its `do` names."""
    customer = _customer_or_404(request, customer_id)
    if request.method != "POST":
        return _render_profile(request, customer)
    key = request.POST.get("key", "")
    match request.POST.get("do"):
        case "save-value":
            return _save_value(request, customer, key)
        case "set-property":
            return _set_property(request, customer, key)
        case "create-property":
            return _create_property(request, customer)
        case "add-tag":
            return _add_tag(request, customer)
        case "remove-tag":
            return _remove_tag(request, customer)
    return HttpResponseBadRequest("Unknown action.")


@member_required
@require_POST
def customer_value_save(request, customer_id: int, key: str):
    """Store a new value of one property of this customer, checked by the service."""
    return _save_value(request, _customer_or_404(request, customer_id), key)


@member_required
@require_POST
def customer_property_add(request, customer_id: int):
    """Set a property on this customer: an existing one (`key`), or a new key of a chosen type."""
    customer = _customer_or_404(request, customer_id)
    if "key" in request.POST:
        return _set_property(request, customer, request.POST["key"])
    return _create_property(request, customer)


@member_required
@require_POST
def customer_tag_add(request, customer_id: int):
    return _add_tag(request, _customer_or_404(request, customer_id))


@member_required
@require_POST
def customer_tag_remove(request, customer_id: int):
    return _remove_tag(request, _customer_or_404(request, customer_id))


def _save_value(request, customer: Customer, key: str):
    values = customer_values(customer=customer)
    current = next((v for v in values if v.definition.key == key), None)
    if current is None:
        raise Http404("This customer has no value of this property.")
    form = ValueForm(request.POST, definition=current.definition, stored=current.stored)
    if form.is_valid():
        try:
            written = _write(request, customer, PropertyWrite(key=key, value=form.value))
        except DomainError as error:
            form.add_error("value", error.message)
        else:
            return _confirmed(
                request,
                customer,
                f"value-{key}",
                f"Saved {current.definition.label}: {display_value(written.type, written.value)}.",
            )
    focus_first_error(form)
    return _render_profile(request, customer, values=values, bound=form, status=400)


def _set_property(request, customer: Customer, key: str):
    """Set a property the customer has no value of yet; its type is its definition's."""
    definition = _active_definition(request, key)
    if definition is None:
        return _render_profile(
            request,
            customer,
            problem=f"There is no active property “{key}”: it may have been archived. "
            "Choose another one, or create it below.",
            status=400,
        )
    form = PropertySetForm(request.POST, definition=definition)
    if form.is_valid():
        try:
            written = _write(request, customer, PropertyWrite(key=key, value=form.value))
        except DomainError as error:
            form.add_error("value", error.message)
        else:
            return _confirmed(
                request,
                customer,
                f"value-{key}",
                f"Set {definition.label} to {display_value(written.type, written.value)} "
                "on this customer.",
            )
    focus_first_error(form)
    return _render_profile(request, customer, set_form=form, status=400)


def _active_definition(request, key: str) -> PropertyDefinition | None:
    try:
        definition = definition_get(account=request.account, key=key)
    except NotFound:
        return None
    return None if definition.is_archived else definition


def _create_property(request, customer: Customer):
    """Create a property of a chosen type (or use the key's existing one) and set it."""
    form = PropertyCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            written = _write(
                request,
                customer,
                PropertyWrite(key=data["key"], value=data["value"], type=data["type"]),
            )
        except DomainError as error:
            form.add_error(_field_of(error), error.message)
        else:
            return _confirmed(
                request,
                customer,
                f"value-{written.key}",
                f"Set {written.key} to {display_value(written.type, written.value)} "
                "on this customer.",
            )
    focus_first_error(form)
    return _render_profile(request, customer, create_form=form, status=400)


def _write(request, customer: Customer, write: PropertyWrite):
    (written,) = customer_properties_set(
        account=request.account, customer=customer, writes=[write], source=DefinitionSource.UI
    ).written
    return written


def _field_of(error: DomainError) -> str | None:
    """Return the create form's field a service error is about (None: the whole form)."""
    if isinstance(error, InvalidKey | DefinitionArchived):
        return "key"
    if isinstance(error, TypeConflict):
        return "type"
    if isinstance(error, InvalidValue):
        return "value"
    return None


def _confirmed(request, customer: Customer, anchor: str, text: str):
    """Redirect to the element an action changed, with its confirmation shown inside it."""
    messages.success(request, text, extra_tags=at(anchor))
    return redirect(_profile_url(customer, anchor))


def _add_tag(request, customer: Customer):
    form = TagAddForm(request.POST)
    if form.is_valid():
        try:
            tags = tags_ensure(account=request.account, tags=[(form.cleaned_data["name"], None)])
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            customer_tags_add(customer=customer, tags=tags)
            return _confirmed(request, customer, "tags", f"Tagged “{tags[0].name}”.")
    focus_first_error(form)
    return _render_profile(request, customer, tag_form=form, status=400)


def _remove_tag(request, customer: Customer):
    name = request.POST.get("name", "")
    customer_tags_remove(customer=customer, names=[name])
    return _confirmed(request, customer, "tags", f"Removed the tag “{name}” from this customer.")


@member_required
@require_http_methods(["GET", "POST"])
def customer_value_unassign(request, customer_id: int, key: str):
    """Confirm, then remove one value from this customer only; the definition stays."""
    customer = _customer_or_404(request, customer_id)
    try:
        definition = definition_get(account=request.account, key=key)
    except NotFound as error:
        raise Http404(error.message) from None
    if definition.is_archived:
        raise Http404("This property is archived.")
    if request.method == "POST":
        try:
            removed = property_unassign(account=request.account, customer=customer, key=key)
        except DomainError as error:
            messages.error(request, error.message, extra_tags=at("properties"))
        else:
            if removed:
                messages.success(
                    request,
                    f"{definition.label} was removed from this customer. "
                    "The property stays in the account and other customers keep their values.",
                    extra_tags=at("properties"),
                )
            else:
                messages.info(
                    request,
                    f"This customer had no {definition.label} value.",
                    extra_tags=at("properties"),
                )
        return redirect(_profile_url(customer, "properties"))
    return render(
        request,
        "customers/customers/unassign.html",
        {"nav": "customers", "customer": customer, "definition": definition},
    )
