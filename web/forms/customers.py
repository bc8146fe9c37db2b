"""Forms of the customers list: its filters, the type-aware condition picker, the list's
options (sort, page, page size, columns), bulk actions, and its query string.

Forms only read and shape what the user typed; the `customers_filtered` selector
filters, as for the API, and the operators each type takes come from
`customers.conditions.OPERATORS_BY_TYPE`, as the filter checks them.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms

from customers.conditions import FLAG_OPERATORS, OPERATORS_BY_TYPE, Condition, Operator
from customers.models import BulkActionKind, Customer, PropertyDefinition, Tag
from customers.selectors.customers_list import SORT_COLUMNS, SORTABLE_TYPES, CustomerSort
from customers.values import PropertyType
from web.presenters.conditions import operator_words

# Query-string names of the list page that are not property conditions ("after" and
# "before" were its keyset pages: old links still open the list).
LIST_PARAMETERS = frozenset(
    {"q", "tag", "state", "after", "before", "prop", "op", "value", "sort", "page", "size"}
)
# The list's "Messaging" choice: which customer states (customers_filtered) it keeps.
STATE_CHOICES = {
    "suppressed": ("Suppressed (Customer.io)", {"suppressed": True}),
    "unsubscribed": ("Unsubscribed (Retently)", {"unsubscribed": True}),
    "reachable": ("Neither", {"suppressed": False, "unsubscribed": False}),
}
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
DEFAULT_SORT = "-created"
# The picker's "on" a day: on or after its midnight (UTC) and before the next day's.
ON_DAY = "on"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Columns besides the email (always shown: it links to the profile), and those shown until
# the member chooses; a property's column is "property.<key>".
BUILT_IN_COLUMNS = {
    "user_id": "User id",
    "name": "Name",
    "company": "Company",
    "tags": "Tags",
    "created": "Created",
    "updated": "Last updated",
}
DEFAULT_COLUMNS = ("user_id", "name", "company", "tags", "updated")
COLUMNS_PREFERENCE = "customer_columns"
PROPERTY_COLUMN = "property."


def picker_operators(type_: PropertyType) -> list[tuple[str, str]]:
    """Return the (value, words) the picker offers for a property of `type_`.

    The operators the filter accepts for the type, except where the picker says it better:
    a date is before, after or on a day (not equal to a moment); a collection holds an item
    (equals is the same as contains there).
    """
    offered = list(OPERATORS_BY_TYPE[type_])
    if type_ is PropertyType.DATE:
        offered = [op for op in offered if op not in (Operator.EQUALS, Operator.NOT_EQUALS)]
    if type_ is PropertyType.COLLECTION:
        offered = [op for op in offered if op not in (Operator.EQUALS, Operator.NOT_EQUALS)]
    choices = [(op.value, operator_words(op, type_)) for op in offered]
    if type_ is PropertyType.DATE:
        choices.insert(2, (ON_DAY, "is on"))
    return choices


class CustomerListFilter(django_filters.FilterSet):
    """Search and tag filter of the customers list, used as the validating form.

    The filtering itself is done by the `customers_filtered` selector, as for the API.
    """

    q = django_filters.CharFilter(label="Search")
    tag = django_filters.ChoiceFilter(label="Tag", empty_label="Any tag")
    state = django_filters.ChoiceFilter(
        label="Messaging",
        empty_label="Anyone",
        choices=[(name, label) for name, (label, _) in STATE_CHOICES.items()],
    )

    class Meta:
        model = Customer
        fields = []

    def __init__(self, *args, tags: list[Tag], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tag"].extra["choices"] = [(t.name, t.name) for t in tags]
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "Email, user id, name, company…"}
        )

    @property
    def search(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def tags(self) -> list[str]:
        tag = self.form.cleaned_data.get("tag")
        return [tag] if tag else []

    @property
    def messaging(self) -> str:
        return self.form.cleaned_data.get("state") or ""


class ConditionForm(forms.Form):
    """One property condition from the picker: a property (searched by key or label), then
    an operator and a value that follow its type.

    Without JavaScript it takes two steps: the property, then the operator and value the
    page offers for its type; a script offers them as soon as a property is picked.
    """

    prop = forms.CharField(
        label="Property",
        max_length=300,
        widget=forms.TextInput(
            attrs={"list": "property-options", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    op = forms.ChoiceField(label="Condition", required=False)
    value = forms.CharField(label="Value", required=False, max_length=1000)

    def __init__(
        self,
        *args,
        definitions: list[PropertyDefinition],
        archived_keys: frozenset[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        self.archived_keys = archived_keys
        self.definition = self._picked()
        type_ = self.definition.property_type if self.definition else PropertyType.TEXT
        self.fields["op"].choices = [("", "Choose a condition"), *picker_operators(type_)]
        self.fields["value"].widget = _value_widget(type_)

    def _picked(self) -> PropertyDefinition | None:
        """Return the definition the `prop` typed names, by key, label or "Label (key)"."""
        typed = (self.data.get("prop") or "").strip() if self.is_bound else ""
        if not typed:
            return None
        match = re.fullmatch(r".*\(([a-z][a-z0-9_]*)\)", typed)
        wanted = {typed.lower(), match[1] if match else typed.lower()}
        for definition in self.definitions:
            if definition.key in wanted or definition.label.lower() in wanted:
                return definition
        return None

    @property
    def is_complete(self) -> bool:
        """Whether the user chose an operator (else the page offers the type's operators)."""
        return self.is_bound and bool(self.data.get("op"))

    def clean_prop(self) -> str:
        typed = self.cleaned_data["prop"].strip()
        if self.definition is None:
            key = typed.rpartition("(")[2].rstrip(")").strip() or typed
            if key in self.archived_keys:
                raise forms.ValidationError(
                    f"“{key}” is archived. Restore it on the Contact attributes page to "
                    "filter on it."
                )
            raise forms.ValidationError(
                f"No property “{typed}” in this account: pick one from the list."
            )
        return self.definition.key

    def clean(self):
        cleaned = super().clean()
        op = cleaned.get("op")
        if not op or self.definition is None:
            if self.is_complete and not op:
                self.add_error("op", "Choose a condition.")
            return cleaned
        value = (cleaned.get("value") or "").strip()
        if op in (o.value for o in FLAG_OPERATORS):
            return cleaned
        if not value:
            self.add_error("value", "Enter a value to compare with.")
        elif op == ON_DAY and not _is_day(value):
            self.add_error("value", "Enter a day as YYYY-MM-DD, for example 2026-06-01.")
        return cleaned

    @property
    def conditions(self) -> list[Condition]:
        """Return the condition(s) chosen: "on" a day is two (from its start, before the next)."""
        key, op = self.cleaned_data["prop"], self.cleaned_data["op"]
        value = (self.cleaned_data.get("value") or "").strip()
        if op == ON_DAY:
            day = datetime.date.fromisoformat(value)
            return [
                Condition(key, Operator.GREATER_OR_EQUAL, day.isoformat()),
                Condition(key, Operator.LESS, (day + datetime.timedelta(days=1)).isoformat()),
            ]
        operator = Operator(op)
        return [Condition(key, operator, "" if operator in FLAG_OPERATORS else value)]


def _is_day(value: str) -> bool:
    if not _DAY.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _value_widget(type_: PropertyType) -> forms.Widget:
    """Return the value input a property of `type_` is compared with."""
    if type_ is PropertyType.BOOLEAN:
        return forms.Select(choices=[("true", "true"), ("false", "false")])
    if type_ is PropertyType.INTEGER:
        return forms.NumberInput(attrs={"step": "1"})
    if type_ is PropertyType.NUMBER:
        return forms.NumberInput(attrs={"step": "any"})
    if type_ is PropertyType.DATE:
        # A text box in ISO, not the browser's date input, which shows the viewer's locale.
        return forms.TextInput(
            attrs={
                "placeholder": "2026-06-01",
                "pattern": r"\d{4}-\d{2}-\d{2}.*",
                "inputmode": "numeric",
            }
        )
    if type_ is PropertyType.URL:
        return forms.TextInput(attrs={"placeholder": "https://"})
    return forms.TextInput()


@dataclass(frozen=True)
class ListColumn:
    """A column the list shows: a built-in one, or a property's (`definition`)."""

    name: str
    label: str
    definition: PropertyDefinition | None = None

    @property
    def sort(self) -> str | None:
        """Return the sort name the column's header orders by, or None."""
        if self.definition is not None:
            sortable = self.definition.property_type in SORTABLE_TYPES
            return self.name if sortable else None
        return self.name if self.name in SORT_COLUMNS else None


def list_columns(
    chosen: list[str] | None, by_key: dict[str, PropertyDefinition], condition_keys: list[str]
) -> list[ListColumn]:
    """Return the columns to show: the member's choice (or the defaults), then a column per
    property a condition names, if not chosen already. Properties no longer active drop out."""
    names = list(DEFAULT_COLUMNS if chosen is None else chosen)
    names += [PROPERTY_COLUMN + key for key in condition_keys]
    columns = []
    for name in dict.fromkeys(names):
        if name in BUILT_IN_COLUMNS:
            columns.append(ListColumn(name, BUILT_IN_COLUMNS[name]))
        elif name.startswith(PROPERTY_COLUMN) and name[len(PROPERTY_COLUMN) :] in by_key:
            definition = by_key[name[len(PROPERTY_COLUMN) :]]
            columns.append(ListColumn(name, definition.label, definition))
    return columns


class ColumnsForm(forms.Form):
    """The column chooser: built-in columns and properties, remembered for the member."""

    columns = forms.MultipleChoiceField(
        label="Columns", required=False, widget=forms.CheckboxSelectMultiple
    )
    back = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def __init__(self, *args, definitions: list[PropertyDefinition], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = [
            *BUILT_IN_COLUMNS.items(),
            *((PROPERTY_COLUMN + d.key, f"{d.label} ({d.key})") for d in definitions),
        ]

    @property
    def back_query(self) -> str:
        """Return the list's query string to go back to (only ever a query string)."""
        back = self.cleaned_data.get("back") or ""
        return back if back.startswith("?") else ""


@dataclass(frozen=True)
class ListOptions:
    """The list's order, page and page size as the query string asks (invalid: defaults)."""

    sort_name: str = DEFAULT_SORT
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_query(cls, query, sortable: set[str]) -> "ListOptions":
        sort_name = query.get("sort") or DEFAULT_SORT
        if sort_name.removeprefix("-") not in sortable:
            sort_name = DEFAULT_SORT
        raw_page, raw_size = query.get("page") or "1", query.get("size") or ""
        page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 7 else 1
        size = int(raw_size) if raw_size.isdigit() and int(raw_size) in PAGE_SIZES else None
        return cls(sort_name, max(page, 1), size or DEFAULT_PAGE_SIZE)

    def sort(self, by_key: dict[str, PropertyDefinition]) -> CustomerSort:
        name = self.sort_name.removeprefix("-")
        descending = self.sort_name.startswith("-")
        if name.startswith(PROPERTY_COLUMN):
            return CustomerSort(name, descending, by_key[name[len(PROPERTY_COLUMN) :]])
        return CustomerSort(name, descending)

    def query(self, *, sort: str | None = None, page: int | None = None, size: int | None = None):
        """Return the options as query pairs, defaults left out (`page` 1 is left out)."""
        sort = self.sort_name if sort is None else sort
        size = self.size if size is None else size
        page = self.page if page is None else page
        pairs = []
        if sort != DEFAULT_SORT:
            pairs.append(("sort", sort))
        if size != DEFAULT_PAGE_SIZE:
            pairs.append(("size", size))
        if page != 1:
            pairs.append(("page", page))
        return pairs


BULK_ACTIONS = [(kind.value, kind.label) for kind in BulkActionKind]
BULK_SCOPES = [("selected", "The customers selected"), ("filter", "Every customer listed")]


class BulkActionForm(forms.Form):
    """A change to many customers: which (selected or the whole filter), what, with what."""

    scope = forms.ChoiceField(label="Apply to", choices=BULK_SCOPES, initial="selected")
    action = forms.ChoiceField(label="Action", choices=BULK_ACTIONS)
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "tag-options"}),
    )
    prop = forms.CharField(
        label="Property",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "property-options", "autocomplete": "off"}),
    )
    value = forms.CharField(label="Value", required=False, max_length=10_000)
    customer = forms.TypedMultipleChoiceField(
        label="Customers", required=False, coerce=int, widget=forms.MultipleHiddenInput
    )
    filters = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def __init__(self, *args, definitions: list[PropertyDefinition], **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = {d.key: d for d in definitions}
        # Any id: the service keeps only this account's customers.
        raw = self.data.getlist("customer") if self.is_bound else []
        self.fields["customer"].choices = [(v, v) for v in raw if v.isdigit() and len(v) < 19]

    def clean_filters(self) -> str:
        query = self.cleaned_data.get("filters") or ""
        return query if query.startswith("?") or not query else ""

    def clean(self):
        cleaned = super().clean()
        action, scope = cleaned.get("action"), cleaned.get("scope")
        if scope == "selected" and not cleaned.get("customer"):
            self.add_error(
                "customer", "Select at least one customer, or apply to every one listed."
            )
        if action == BulkActionKind.TAG_ADD and not (cleaned.get("tag") or "").strip():
            self.add_error("tag", "Enter the tag to add.")
        if action in (BulkActionKind.VALUE_SET, BulkActionKind.VALUE_UNASSIGN):
            typed = (cleaned.get("prop") or "").strip()
            key = typed.rpartition("(")[2].rstrip(")").strip() or typed
            if not typed:
                self.add_error("prop", "Choose the property.")
            elif key not in self.definitions:
                self.add_error("prop", f"No active property “{typed}”: pick one from the list.")
            else:
                cleaned["prop"] = key
        if action == BulkActionKind.VALUE_SET and not (cleaned.get("value") or "").strip():
            self.add_error("value", "Enter the value to set.")
        return cleaned

    @property
    def target(self) -> str:
        if self.cleaned_data["action"] == BulkActionKind.TAG_ADD:
            return self.cleaned_data["tag"].strip()
        return self.cleaned_data["prop"]


def list_query(
    *, search: str, tags: list[str], conditions: list[Condition], state: str = ""
) -> list[tuple]:
    """Return the canonical query-string pairs of the list's filters (API syntax)."""
    pairs: list[tuple[str, str]] = []
    if search:
        pairs.append(("q", search))
    pairs.extend(("tag", tag) for tag in tags)
    if state:
        pairs.append(("state", state))
    for condition in conditions:
        flag = condition.operator in FLAG_OPERATORS
        pairs.append(
            (f"{condition.key}__{condition.operator.value}", "true" if flag else condition.value)
        )
    return pairs


def query_string(pairs: list[tuple], **extra) -> str:
    """Return `?…` for the pairs and extra parameters, or "" when there are none."""
    encoded = urlencode([*pairs, *((k, v) for k, v in extra.items() if v is not None)])
    return f"?{encoded}" if encoded else ""
