"""Customers pages: the filtered list, its CSV export, and a customer's tag and unassign actions.

The profile page itself lives in events/views.py because it shows the customer's
events, and `customers` never imports `events`; these views link to it by URL name.
Marketers and admins may do everything here.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from customers.conditions import Condition
from customers.conditions.syntax import conditions_from_query_string
from customers.errors import DomainError, NotFound
from customers.exports import customers_csv
from customers.forms.customers import (
    LIST_PARAMETERS,
    STATE_CHOICES,
    ConditionChip,
    ConditionForm,
    CustomerListFilter,
    TagAddForm,
    condition_text,
    display_value,
    list_query,
    query_string,
)
from customers.models import Account, Customer, PropertyDefinition
from customers.selectors import (
    CustomerPage,
    customer_get,
    customers_exist,
    customers_filtered,
    customers_page,
    definition_get,
    definitions_active,
    tags_of_account,
)
from customers.services.properties import property_unassign
from customers.services.tags import customer_tags_add, customer_tags_remove, tags_ensure
from customers.views.access import member_required

PAGE_SIZE = 50


@dataclass
class _Filters:
    """What the list's query string asks for, and what in it could not be used."""

    filterset: CustomerListFilter
    conditions: list[Condition]
    errors: list[str] = field(default_factory=list)

    @property
    def search(self) -> str:
        return self.filterset.search if self.filterset.is_valid() else ""

    @property
    def tags(self) -> list[str]:
        return self.filterset.tags if self.filterset.is_valid() else []

    @property
    def state(self) -> str:
        return self.filterset.messaging if self.filterset.is_valid() else ""

    @property
    def active(self) -> bool:
        return bool(self.search or self.tags or self.conditions or self.state)

    def query(self, conditions: list[Condition] | None = None) -> list[tuple]:
        return list_query(
            search=self.search,
            tags=self.tags,
            conditions=self.conditions if conditions is None else conditions,
            state=self.state,
        )

    def customers(self, account: Account):
        """Return the filtered queryset, or None with the reason added to `errors`."""
        if self.errors or not self.filterset.is_valid():
            return None
        try:
            return customers_filtered(
                account=account,
                tags=self.tags,
                search=self.search,
                conditions=self.conditions,
                states=STATE_CHOICES[self.state][1] if self.state else None,
            )
        except DomainError as error:
            self.errors.append(error.message)
            return None


def _filters(request, tags) -> _Filters:
    filterset = CustomerListFilter(request.GET, tags=tags, queryset=Customer.objects.none())
    conditions, errors = conditions_from_query_string(
        request.META.get("QUERY_STRING", ""), reserved=LIST_PARAMETERS
    )
    if not filterset.is_valid():
        errors += [f"{name}: {' '.join(msgs)}" for name, msgs in filterset.errors.items()]
    return _Filters(filterset=filterset, conditions=conditions, errors=errors)


def _cursor(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 19:
        raise Http404("Unknown page.")
    return int(raw)


@member_required
def customers_list(request):
    """List the account's customers, filtered, newest first, a keyset page at a time."""
    account = request.account
    definitions = definitions_active(account=account)
    by_key = {d.key: d for d in definitions}
    filters = _filters(request, tags_of_account(account=account))
    condition_form = ConditionForm(
        request.GET if "prop" in request.GET else None, definitions=definitions
    )
    if condition_form.is_bound and condition_form.is_valid():
        # The picker adds its condition to the URL, in the API's syntax, so it can be shared.
        added = [*filters.conditions, condition_form.condition]
        return redirect(request.path + query_string(filters.query(added)))
    page, has_customers = _customers_page(request, filters)
    customers = page.customers if page else []
    base_query = filters.query()
    return render(
        request,
        "customers/customers/list.html",
        {
            "nav": "customers",
            "filterset": filters.filterset,
            "filters_active": filters.active,
            "filter_errors": filters.errors,
            "condition_form": condition_form,
            "conditions": _condition_chips(filters, by_key),
            "query_pairs": base_query,
            "condition_pairs": [p for p in base_query if p[0] not in ("q", "tag")],
            "columns": _condition_columns(customers, filters, by_key),
            "customers": customers,
            "page": page,
            "has_customers": has_customers,
            "has_definitions": bool(definitions),
            "query": query_string(base_query),
            **_paging_queries(page, base_query),
        },
    )


def _customers_page(request, filters: _Filters) -> tuple[CustomerPage | None, bool]:
    """Return the page asked for (None when the filters cannot run), and whether the account
    has customers at all."""
    after, before = _cursor(request.GET.get("after")), _cursor(request.GET.get("before"))
    queryset = filters.customers(request.account)
    page = None
    if queryset is not None:
        page = customers_page(queryset, size=PAGE_SIZE, after=after, before=before)
    customers = page.customers if page else []
    # Told apart only when the page is empty: "no customers yet" or "none match these filters".
    has_customers = bool(customers or after or before) or (
        (filters.active or filters.errors) and customers_exist(account=request.account)
    )
    return page, has_customers


def _condition_columns(
    customers: list[Customer], filters: _Filters, by_key: dict[str, PropertyDefinition]
) -> list[PropertyDefinition]:
    """Return a column per property the conditions name; give each customer its cells."""
    keys = list(dict.fromkeys(c.key for c in filters.conditions if c.key in by_key))
    for customer in customers:
        customer.condition_cells = [
            display_value(*customer.property_values[key]) if key in customer.property_values else ""
            for key in keys
        ]
    return [by_key[key] for key in keys]


def _condition_chips(
    filters: _Filters, by_key: dict[str, PropertyDefinition]
) -> list[ConditionChip]:
    """Return each condition as a phrase, with the query string that removes it."""
    conditions = filters.conditions
    return [
        ConditionChip(
            text=condition_text(condition, by_key.get(condition.key)),
            remove_query=query_string(filters.query([*conditions[:i], *conditions[i + 1 :]])),
        )
        for i, condition in enumerate(conditions)
    ]


def _paging_queries(page: CustomerPage | None, base_query: list[tuple]) -> dict:
    """Return the query strings of the next and previous pages, where there are any."""
    return {
        "next_query": page and page.next_after and query_string(base_query, after=page.next_after),
        "previous_query": page
        and page.previous_before
        and query_string(base_query, before=page.previous_before),
    }


@member_required
def customers_export(request):
    """Stream the filtered customers as CSV, one column per active property."""
    account = request.account
    filters = _filters(request, tags_of_account(account=account))
    queryset = filters.customers(account)
    if queryset is None:
        return HttpResponse(
            "Cannot export: " + " ".join(filters.errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        customers_csv(account=account, customers=queryset), content_type="text/csv; charset=utf-8"
    )
    filename = f"customers-{account.slug}-{timezone.now():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _customer_or_404(request, customer_id: int) -> Customer:
    try:
        return customer_get(account=request.account, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from None


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
            messages.error(request, error.message)
        else:
            if removed:
                messages.success(
                    request,
                    f"{definition.label} was removed from this customer. "
                    "The property stays in the account and other customers keep their values.",
                )
            else:
                messages.info(request, f"This customer had no {definition.label} value.")
        return redirect("customer", customer_id=customer.pk)
    return render(
        request,
        "customers/customers/unassign.html",
        {"nav": "customers", "customer": customer, "definition": definition},
    )


@member_required
@require_POST
def customer_tag_add(request, customer_id: int):
    customer = _customer_or_404(request, customer_id)
    form = TagAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect("customer", customer_id=customer.pk)
    try:
        tags = tags_ensure(account=request.account, tags=[(form.cleaned_data["name"], None)])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        customer_tags_add(customer=customer, tags=tags)
        messages.success(request, f"Tagged “{tags[0].name}”.")
    return redirect("customer", customer_id=customer.pk)


@member_required
@require_POST
def customer_tag_remove(request, customer_id: int):
    customer = _customer_or_404(request, customer_id)
    name = request.POST.get("name", "")
    customer_tags_remove(customer=customer, names=[name])
    messages.success(request, f"Removed the tag “{name}” from this customer.")
    return redirect("customer", customer_id=customer.pk)


urlpatterns = [
    path("", customers_list, name="customers"),
    path("export.csv", customers_export, name="customers_export"),
    path(
        "<int:customer_id>/values/<str:key>/unassign/",
        customer_value_unassign,
        name="customer_value_unassign",
    ),
    path("<int:customer_id>/tags/", customer_tag_add, name="customer_tag_add"),
    path("<int:customer_id>/tags/remove/", customer_tag_remove, name="customer_tag_remove"),
]
