"""The Contact attributes pages: account-wide property definitions (PRODUCT.md §7).

Thin views over the definition services and the attribute selectors. Everything
done here applies to the whole account; removing one customer's value is done on
that customer's profile.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from customers.errors import (
    DefinitionExists,
    DefinitionNotFound,
    DomainError,
    InvalidKey,
)
from customers.models import DefinitionSource, PropertyDefinition
from customers.selectors import (
    attribute_detail,
    attribute_list,
    definition_customer_count,
    definition_distribution_cached,
    definition_get,
)
from customers.selectors.jobs import purges_in_progress
from customers.services.definitions import (
    definition_archive,
    definition_create,
    definition_purge_request,
    definition_restore,
    definition_update,
)
from customers.services.type_changes import (
    ValuesWouldBeLost,
    definition_type_change,
    definition_type_change_preview,
)
from customers.values import PropertyType
from web.access import admin_required, member_required
from web.forms.attributes import (
    DefinitionCreateForm,
    DefinitionEditForm,
    PurgeConfirmForm,
    TypeChangeForm,
    TypeChoiceForm,
)
from web.presenters.charts import chart_of, distribution_display
from web.presenters.fill import fill_of
from web.presenters.plurals import counted

TEMPLATES = "customers/attributes/"
PAGE_SIZE = 50
# The columns the list sorts by, and the direction of a first click on each.
SORT_COLUMNS = {"label": "asc", "key": "asc", "type": "asc", "customers": "desc"}


@member_required
def attribute_list_view(request):
    listing = attribute_list(
        account=request.account,
        status=request.GET.get("status", "active"),
        q=request.GET.get("q", ""),
        sort=request.GET.get("sort", "label"),
        dir=request.GET.get("dir", "asc"),
    )
    # The selector reads the whole tab (its counts come from the summary rows, and it sorts
    # text the same way on every database); the page shows PAGE_SIZE of it.
    page = Paginator(listing.definitions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "nav": "attributes",
            "listing": listing,
            "page": page,
            "pager": _pager(listing, page),
            "rows": [
                (definition, fill_of(definition.customer_count, listing.customer_total))
                for definition in page.object_list
            ],
            "headers": _sort_headers(listing),
            "active_tab_url": _list_url(status="active", q=listing.q),
            "archived_tab_url": _list_url(status="archived", q=listing.q),
            "purges": purges_in_progress(account=request.account),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def attribute_create_view(request):
    form = DefinitionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            definition = definition_create(
                account=request.account,
                key=data["key"],
                type=data["type"],
                label=data["label"],
                description=data["description"],
                source=DefinitionSource.UI,
                actor=request.actor,
            )
        except DefinitionExists:
            form.add_error("key", _key_taken_message(request, data["key"]))
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Property “{definition.label}” created. Values sent for "
                f"{definition.key} are now stored as {definition.property_type.label.lower()}.",
            )
            return redirect("attribute_detail", key=definition.key)
    return render(
        request,
        TEMPLATES + "create.html",
        {"nav": "attributes", "form": form, "types": [(t.label, t) for t in PropertyType]},
    )


@member_required
def attribute_detail_view(request, key):
    try:
        definition, customer_total = attribute_detail(account=request.account, key=key)
    except DefinitionNotFound:
        raise Http404(f'No property "{key}" in this account.') from None
    distribution = distribution_display(
        definition_distribution_cached(
            definition=definition, customer_count=definition.customer_count
        ),
        definition.property_type,
        # The customers list filters on active properties only: an archived one's bars
        # link nowhere.
        key=None if definition.is_archived else definition.key,
    )
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "nav": "attributes",
            "definition": definition,
            "customer_total": customer_total,
            "fill": fill_of(definition.customer_count, customer_total),
            "distribution": distribution,
            "chart": chart_of(distribution, label=definition.label),
            "customers_query": urlencode({f"{definition.key}__set": "true"}),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def attribute_edit_view(request, key):
    definition = _definition_or_404(request, key)
    initial = {"label": definition.label, "description": definition.description}
    form = DefinitionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            definition_update(
                definition=definition,
                label=form.cleaned_data["label"],
                description=form.cleaned_data["description"],
                actor=request.actor,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, f"Saved “{definition.label}”.")
            return redirect("attribute_detail", key=definition.key)
    return render(
        request,
        TEMPLATES + "edit.html",
        {"nav": "attributes", "definition": definition, "form": form},
    )


@dataclass(frozen=True)
class _ArchiveChange:
    """What archiving or restoring does, says and leads to: their views differ in this only."""

    archived: bool  # the state the change leads to
    service: Callable[..., PropertyDefinition]
    template: str
    already: str
    done: str
    then: Callable[[PropertyDefinition], str]


ARCHIVE = _ArchiveChange(
    archived=True,
    service=definition_archive,
    template="archive.html",
    already="“{label}” is already archived.",
    done="Archived “{label}” ({key}) for the whole account. "
    "Its values are kept; restore it from the Archived tab at any time.",
    then=lambda definition: reverse("attributes"),
)
RESTORE = _ArchiveChange(
    archived=False,
    service=definition_restore,
    template="restore.html",
    already="“{label}” is not archived.",
    done="Restored “{label}” ({key}) for the whole account, with every value it had.",
    then=lambda definition: reverse("attribute_detail", kwargs={"key": definition.key}),
)


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_archive_view(request, key):
    return _archive_change(request, key, ARCHIVE)


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_restore_view(request, key):
    return _archive_change(request, key, RESTORE)


def _archive_change(request, key: str, change: _ArchiveChange):
    """Confirm (GET) then archive or restore (POST) the definition, for the whole account."""
    definition = _definition_or_404(request, key)
    if definition.is_archived == change.archived:
        messages.info(request, change.already.format(label=definition.label))
        return redirect("attribute_detail", key=definition.key)
    if request.method == "POST":
        try:
            change.service(definition=definition, actor=request.actor)
        except DomainError as error:  # a restore while the permanent delete runs
            messages.error(request, error.message)
            return redirect(_list_url(status="archived"))
        messages.success(request, change.done.format(label=definition.label, key=definition.key))
        return redirect(change.then(definition))
    return _definition_page(request, change.template, definition)


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_purge_view(request, key):
    definition = _definition_or_404(request, key)
    if not definition.is_archived:
        messages.error(
            request,
            f"Archive “{definition.label}” before deleting it permanently: "
            "only archived properties can be deleted.",
        )
        return redirect("attribute_detail", key=definition.key)
    form = PurgeConfirmForm(request.POST or None, key=definition.key)
    if request.method == "POST" and form.is_valid():
        purge = definition_purge_request(definition=definition, actor=request.actor)
        if purge.queued:
            messages.success(
                request,
                f"Deleting “{definition.label}” ({key}) permanently in the background. "
                "Its progress shows on this page; the audit log will show how many values "
                "were removed.",
            )
        else:
            messages.success(
                request,
                f"Deleted “{definition.label}” ({key}) permanently: "
                f"{counted(purge.values_removed, 'value')} removed.",
            )
        return redirect(_list_url(status="archived"))
    return _definition_page(request, "purge.html", definition, form=form)


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_type_change_view(request, key):
    definition = _definition_or_404(request, key)
    if definition.is_archived:
        messages.error(
            request, f"Restore “{definition.label}” before changing its type: it is archived."
        )
        return redirect("attribute_detail", key=definition.key)
    if request.method == "POST":
        return _type_change(request, definition)
    choice = TypeChoiceForm(request.GET or None, current=definition.type)
    if not request.GET or not choice.is_valid():
        return _definition_page(request, "type_choose.html", definition, choice=choice)
    new_type = PropertyType(choice.cleaned_data["to"])
    return _type_preview(request, definition, new_type)


def _type_preview(request, definition, new_type, *, tick_error="", status=200):
    converting, failing, samples = definition_type_change_preview(
        definition=definition, new_type=new_type
    )
    # The count the admin agrees to remove is the one shown now, not an earlier preview's.
    form = TypeChangeForm(initial={"to": new_type.value, "failing_seen": failing}, failing=failing)
    return render(
        request,
        TEMPLATES + "type_preview.html",
        {
            "nav": "attributes",
            "definition": definition,
            "new_type": new_type,
            "converting": converting,
            "failing": failing,
            "samples": samples,
            "form": form,
            "tick_error": tick_error,
        },
        status=status,
    )


def _type_change(request, definition):
    form = TypeChangeForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] == definition.type:
        messages.error(request, "Choose the new type again.")
        return redirect("attribute_type_change", key=definition.key)
    new_type = PropertyType(form.cleaned_data["to"])
    try:
        converted, removed = definition_type_change(
            definition=definition,
            new_type=new_type,
            actor=request.actor,
            allow_removal_of=form.allowed_removals(),
        )
    except ValuesWouldBeLost as error:
        failing = error.details["not_converted"]
        them = ngettext("it", "them", failing)
        tick_error = (
            f"{counted(failing, 'value')} cannot convert to {new_type.label.lower()}. "
            f"Tick the box to remove {them}, or cancel and correct {them} on the customers' "
            "profiles first."
        )
        return _type_preview(request, definition, new_type, tick_error=tick_error, status=400)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("attribute_detail", key=definition.key)
    text = (
        f"Changed “{definition.label}” to {new_type.label.lower()}: "
        f"{counted(converted, 'value')} converted."
    )
    if removed:
        text += f" {counted(removed, 'value')} that could not convert removed."
    messages.success(request, text)
    return redirect("attribute_detail", key=definition.key)


def _definition_page(request, template: str, definition: PropertyDefinition, **context):
    """Render a page about one definition, with the number of customers holding a value."""
    return render(
        request,
        TEMPLATES + template,
        {
            "nav": "attributes",
            "definition": definition,
            "customer_count": definition_customer_count(definition=definition),
            **context,
        },
    )


def _definition_or_404(request, key: str) -> PropertyDefinition:
    try:
        return definition_get(account=request.account, key=key)
    except DefinitionNotFound:
        raise Http404(f'No property "{key}" in this account.') from None


def _key_taken_message(request, key: str) -> str:
    try:
        existing = definition_get(account=request.account, key=key)
    except DefinitionNotFound:  # deleted in between: the database still said taken
        existing = None
    if existing is not None and existing.is_archived:
        return (
            f"The key {key} is taken by the archived property “{existing.label}”. "
            "Restore it from the Archived tab, or choose another key."
        )
    return f"The key {key} is already used by another property. Choose another key."


def _add_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal next to the field it concerns, else above the form."""
    field = error.details.get("field")
    if isinstance(error, InvalidKey):
        field = "key"
    form.add_error(field if field in form.fields else None, error.message)


def _list_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v and v not in ("active", 1)})
    return reverse("attributes") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class _PageLink:
    """One link of the list's pager: a page number (or a gap, "…"), and whether it is
    the page shown."""

    text: str
    url: str = ""
    current: bool = False


def _pager(listing, page: Page) -> dict | None:
    """Return the pager's links (None for a single page), keeping the tab, search and sort
    of the list: previous, each page number (or a gap, "…"), next."""
    if page.paginator.num_pages < 2:
        return None

    def url(number: int) -> str:
        return _list_url(
            status=listing.status, q=listing.q, sort=listing.sort, dir=listing.dir, page=number
        )

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "links": [
            _PageLink(str(number))
            if number == page.paginator.ELLIPSIS
            else _PageLink(str(number), url(number), number == page.number)
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2)
        ],
    }


def _sort_headers(listing) -> dict[str, dict]:
    """Return, per sortable column, the link that sorts by it and its aria-sort state."""
    headers = {}
    for column, first_direction in SORT_COLUMNS.items():
        current = listing.sort == column
        flipped = "desc" if listing.dir == "asc" else "asc"
        direction = flipped if current else first_direction
        headers[column] = {
            "url": _list_url(status=listing.status, q=listing.q, sort=column, dir=direction),
            "aria_sort": ("ascending" if listing.dir == "asc" else "descending")
            if current
            else "none",
            "arrow": ("↑" if listing.dir == "asc" else "↓") if current else "",
        }
    return headers
