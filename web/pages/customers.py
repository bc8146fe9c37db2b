"""Customers pages: the filtered, sorted list with its columns and total, its CSV export,
and bulk changes to the customers selected or listed.

A customer's profile and its actions are in web/pages/profile.py; these pages link to
it by URL name. Marketers and admins may do everything here.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from customers.conditions import Condition
from customers.conditions.syntax import conditions_from_query_string
from customers.errors import DomainError
from customers.exports import customers_csv
from customers.models import Account, BulkAction, BulkActionKind, Customer, PropertyDefinition
from customers.selectors import (
    customers_exist,
    customers_filtered,
    definitions_active,
    tags_of_account,
)
from customers.selectors.customers_list import (
    CustomerListPage,
    customers_counted,
    customers_list_page,
)
from customers.services import bulk_actions
from customers.services.bulk_actions import (
    BulkChange,
    CustomerFilter,
    bulk_change_check,
    customers_bulk_change,
)
from customers.services.preferences import member_preference_set
from customers.values import PropertyType
from web.access import member_required, values_writer_required
from web.forms.customers import (
    COLUMNS_PREFERENCE,
    DEFAULT_COLUMNS,
    LIST_PARAMETERS,
    PAGE_SIZES,
    STATE_CHOICES,
    BulkActionForm,
    ColumnsForm,
    ConditionForm,
    CustomerListFilter,
    ListColumn,
    ListOptions,
    list_columns,
    list_query,
    picker_operators,
    query_string,
)
from web.presenters.conditions import condition_chips, customer_rows
from web.presenters.pagination import page_links, total_text
from web.presenters.plurals import counted


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

    def customer_filter(self) -> CustomerFilter:
        return CustomerFilter(
            search=self.search,
            tags=tuple(self.tags),
            conditions=tuple(self.conditions),
            states=tuple(STATE_CHOICES[self.state][1].items()) if self.state else (),
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


def _filters(query: QueryDict, raw_query: str, tags) -> _Filters:
    filterset = CustomerListFilter(query, tags=tags, queryset=Customer.objects.none())
    conditions, errors = conditions_from_query_string(raw_query, reserved=LIST_PARAMETERS)
    if not filterset.is_valid():
        errors += [f"{name}: {' '.join(msgs)}" for name, msgs in filterset.errors.items()]
    return _Filters(filterset=filterset, conditions=conditions, errors=errors)


def _request_filters(request) -> _Filters:
    return _filters(
        request.GET,
        request.META.get("QUERY_STRING", ""),
        tags_of_account(account=request.account),
    )


@member_required
def customers_list(request):
    """List the account's customers: filtered, sorted, a numbered page at a time, with the
    member's columns and how many there are."""
    account = request.account
    definitions = definitions_active(account=account)
    by_key = {d.key: d for d in definitions}
    filters = _request_filters(request)
    condition_form = _condition_form(request, definitions)
    if condition_form.is_complete and condition_form.is_valid():
        # The picker adds its condition to the URL, in the API's syntax, so it can be shared.
        added = [*filters.conditions, *condition_form.conditions]
        return redirect(request.path + query_string(filters.query(added)))
    chosen = request.membership.preferences.get(COLUMNS_PREFERENCE)
    columns = list_columns(
        chosen,
        by_key,
        [c.key for c in filters.conditions if c.key in by_key],
    )
    options = ListOptions.from_query(
        request.GET, {"email", "created", *(c.sort for c in columns if c.sort)}
    )
    page = _page(request, filters, options, by_key)
    base_query = filters.query()
    customers = page.customers if page else []
    property_columns = [c for c in columns if c.definition is not None]
    return render(
        request,
        "customers/customers/list.html",
        {
            "nav": "customers",
            "filterset": filters.filterset,
            "filters_active": filters.active,
            "filter_errors": filters.errors,
            "condition_form": condition_form,
            "condition_definition": condition_form.definition,
            "operators_by_type": _operators_by_type(),
            "definitions": definitions,
            "conditions": condition_chips(
                filters.conditions, by_key, lambda kept: query_string(filters.query(kept))
            ),
            "query_pairs": base_query,
            "condition_pairs": [p for p in base_query if p[0] not in ("q", "tag")],
            "headers": [
                _header(c, options, base_query) for c in [ListColumn("email", "Email"), *columns]
            ],
            "table_rows": _table_rows(customers, columns, property_columns),
            "property_columns": property_columns,
            "columns_form": ColumnsForm(
                initial={
                    "columns": list(DEFAULT_COLUMNS if chosen is None else chosen),
                    "back": query_string(base_query + options.query()),
                },
                definitions=definitions,
            ),
            "customers": customers,
            "page": page,
            "total_text": page and total_text(page.total, page.total_capped, page.estimate),
            "pager": page and _pager(page, options, base_query),
            "page_sizes": [
                (size, query_string(base_query + options.query(size=size, page=1)))
                for size in PAGE_SIZES
            ],
            "options": options,
            "has_customers": bool(customers) or _has_customers(request, filters, page),
            "has_definitions": bool(definitions),
            "query": query_string(base_query),
            "list_query": query_string(base_query + options.query()),
            "tags": filters.filterset.filters["tag"].extra["choices"],
        },
    )


def _condition_form(request, definitions: list[PropertyDefinition]) -> ConditionForm:
    """Return the picker, bound when a property was picked; an archived one is looked up
    (one query) only when the property typed is not an active one."""
    if "prop" not in request.GET:
        return ConditionForm(definitions=definitions)
    form = ConditionForm(request.GET, definitions=definitions)
    if form.definition is None:
        typed = request.GET.get("prop", "").strip()
        key = typed.rpartition("(")[2].rstrip(")").strip() or typed
        archived = PropertyDefinition.objects.filter(
            account=request.account, key=key, archived_at__isnull=False
        ).values_list("key", flat=True)
        form = ConditionForm(
            request.GET, definitions=definitions, archived_keys=frozenset(archived)
        )
    return form


def _operators_by_type() -> dict[str, list]:
    """Return the picker's operators per type, for its script (the same the page offers)."""
    return {t.value: picker_operators(t) for t in PropertyType}


def _page(request, filters: _Filters, options: ListOptions, by_key) -> CustomerListPage | None:
    """Return the page asked for, or None when the filters cannot run."""
    queryset = filters.customers(request.account)
    if queryset is None:
        return None
    return customers_list_page(
        queryset,
        account=request.account,
        sort=options.sort(by_key),
        number=options.page,
        size=options.size,
        filtered=filters.active,
    )


def _has_customers(request, filters: _Filters, page: CustomerListPage | None) -> bool:
    """Tell apart, on an empty page, "no customers yet" and "none match these filters"."""
    if page is not None and not filters.active:
        return page.total > 0
    return (filters.active or bool(filters.errors)) and customers_exist(account=request.account)


def _table_rows(customers, columns, property_columns) -> list[tuple]:
    """Return each customer with a (column name, text) per column; the text is the shown
    value for property columns, "" for built-in ones (the template shows those)."""
    rows = customer_rows(customers, [c.definition.key for c in property_columns])
    table = []
    for customer, property_cells in rows:
        texts = iter(property_cells)
        table.append((customer, [(c.name, next(texts) if c.definition else "") for c in columns]))
    return table


@dataclass(frozen=True)
class _Header:
    """A column's header: its label, and the link that sorts by it (None: not sortable)."""

    name: str
    label: str
    sort_query: str | None
    # "ascending", "descending" or "" (aria-sort of the column the list is sorted by).
    sorted: str


def _header(column, options: ListOptions, base_query: list[tuple]) -> _Header:
    if column.sort is None:
        return _Header(column.name, column.label, None, "")
    current = options.sort_name.removeprefix("-") == column.sort
    descending = options.sort_name.startswith("-")
    # A click sorts ascending, or flips the column the list is sorted by.
    next_sort = column.sort if not current or descending else f"-{column.sort}"
    if not current and column.sort in ("created", "updated"):
        next_sort = f"-{column.sort}"  # times: newest first
    return _Header(
        column.name,
        column.label,
        query_string(base_query + options.query(sort=next_sort, page=1)),
        ("descending" if descending else "ascending") if current else "",
    )


def _pager(page: CustomerListPage, options: ListOptions, base_query: list[tuple]) -> dict:
    def at(number: int) -> str:
        return query_string(base_query + options.query(page=number))

    return {
        "links": [
            (link, link.number and at(link.number))
            for link in page_links(page.number, page.page_count)
        ],
        "previous": page.has_previous and at(page.number - 1),
        "next": page.has_next and at(page.number + 1),
        "deeper": page.total_capped or page.total > page.page_count * page.size,
    }


@member_required
@require_POST
def customers_columns(request):
    """Remember the member's choice of columns, and go back to the list."""
    form = ColumnsForm(request.POST, definitions=definitions_active(account=request.account))
    if form.is_valid():
        member_preference_set(
            membership=request.membership,
            name=COLUMNS_PREFERENCE,
            value=form.cleaned_data["columns"],
        )
        return redirect(reverse("customers") + form.back_query)
    return redirect("customers")


@values_writer_required
@require_POST
def customers_bulk(request):
    """Check a bulk change, state how many customers it is for; once confirmed, apply it
    (in the background beyond a threshold)."""
    account = request.account
    definitions = definitions_active(account=account)
    form = BulkActionForm(request.POST, definitions=definitions)
    context = {"nav": "customers", "form": form, "back": reverse("customers")}
    if not form.is_valid():
        return render(request, "customers/customers/bulk.html", context, status=400)
    back = reverse("customers") + form.cleaned_data["filters"]
    context["back"] = back
    change = BulkChange(
        BulkActionKind(form.cleaned_data["action"]),
        form.target,
        (form.cleaned_data.get("value") or "").strip(),
    )
    selected = form.cleaned_data["scope"] == "selected"
    filters = _filters(
        QueryDict(form.cleaned_data["filters"].removeprefix("?")),
        form.cleaned_data["filters"].removeprefix("?"),
        tags_of_account(account=account),
    )
    queryset = filters.customers(account)
    if not selected and queryset is None:
        form.add_error(None, "These filters cannot be applied: " + " ".join(filters.errors))
        return render(request, "customers/customers/bulk.html", context, status=400)
    try:
        bulk_change_check(account=account, change=change)
        if "confirm" in request.POST:
            outcome = customers_bulk_change(
                account=account,
                change=change,
                actor=request.actor,
                customer_ids=form.cleaned_data["customer"] if selected else None,
                customer_filter=None if selected else filters.customer_filter(),
            )
        elif selected:
            count = Customer.objects.filter(
                account=account, pk__in=form.cleaned_data["customer"]
            ).count()
        else:
            count = customers_counted(queryset, account=account, filtered=filters.active)
    except DomainError as error:
        form.add_error(None, error.message)
        return render(request, "customers/customers/bulk.html", context, status=400)
    if "confirm" in request.POST:
        if outcome.job is not None:
            return redirect("customers_bulk_job", job_id=outcome.job.pk)
        messages.success(request, _done_text(change, outcome.customers))
        return redirect(back)
    context |= {
        "confirming": True,
        "hidden_pairs": [
            (name, form.cleaned_data.get(name) or "")
            for name in ("scope", "action", "tag", "prop", "value", "filters")
        ]
        + [("customer", pk) for pk in (form.cleaned_data["customer"] if selected else [])],
        "count": count,
        "count_text": counted(count, "customer"),
        "change_text": _change_text(change, definitions),
        "selected": selected,
        "inline_max": bulk_actions.INLINE_MAX,
        "filters_text": [
            chip.text
            for chip in condition_chips(filters.conditions, {d.key: d for d in definitions}, str)
        ],
    }
    return render(request, "customers/customers/bulk.html", context)


def _change_text(change: BulkChange, definitions: list[PropertyDefinition]) -> str:
    label = next((d.label for d in definitions if d.key == change.target), change.target)
    if change.kind == BulkActionKind.TAG_ADD:
        return f"Add the tag “{change.target}”"
    if change.kind == BulkActionKind.VALUE_SET:
        return f"Set {label} to “{change.value}”"
    return f"Unassign {label}"


def _done_text(change: BulkChange, count: int) -> str:
    customers = counted(count, "customer")
    if change.kind == BulkActionKind.TAG_ADD:
        return f"Tagged {customers} “{change.target}”."
    if change.kind == BulkActionKind.VALUE_SET:
        return f"Set {change.target} to “{change.value}” on {customers}."
    return f"Unassigned {change.target} from {customers}."


@member_required
def customers_bulk_job(request, job_id: int):
    """Show how far a bulk change run by the worker got (the page refreshes until done)."""
    job = get_object_or_404(BulkAction, account=request.account, pk=job_id)
    return render(
        request,
        "customers/customers/bulk_job.html",
        {"nav": "customers", "job": job, "now": timezone.now()},
    )


@member_required
def customers_export(request):
    """Stream the filtered customers as CSV, one column per active property."""
    account = request.account
    filters = _request_filters(request)
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
