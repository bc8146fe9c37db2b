"""Forms of the customers pages: list filters, property conditions, a customer's values and tags.

Forms only read and shape what the user typed; values are checked and stored by
the services (`customer_properties_set`), whose messages are attached to the
field they concern.
"""

import datetime
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms

from customers import values
from customers.conditions import FLAG_OPERATORS, Condition, Operator
from customers.models import Customer, PropertyDefinition, Tag
from customers.values import PropertyType

# Query-string names of the list page that are not property conditions.
LIST_PARAMETERS = frozenset({"q", "tag", "state", "after", "before", "prop", "op", "value"})
# The list's "Messaging" choice: which customer states (customers_filtered) it keeps.
STATE_CHOICES = {
    "suppressed": ("Suppressed (Customer.io)", {"suppressed": True}),
    "unsubscribed": ("Unsubscribed (Retently)", {"unsubscribed": True}),
    "reachable": ("Neither", {"suppressed": False, "unsubscribed": False}),
}

# What the condition picker offers; "before"/"after" are less/greater than on dates.
PICKER_OPERATORS = [
    ("eq", "equals"),
    ("contains", "contains"),
    ("gt", "greater than"),
    ("lt", "less than"),
    ("before", "before (dates)"),
    ("after", "after (dates)"),
    ("set", "is set"),
    ("not_set", "is not set"),
]
_PICKER_TO_OPERATOR = {
    "eq": Operator.EQUALS,
    "contains": Operator.CONTAINS,
    "gt": Operator.GREATER,
    "lt": Operator.LESS,
    "before": Operator.LESS,
    "after": Operator.GREATER,
    "set": Operator.IS_SET,
    "not_set": Operator.IS_NOT_SET,
}
_OPERATOR_WORDS = {
    Operator.EQUALS: "is",
    Operator.NOT_EQUALS: "is not",
    Operator.CONTAINS: "contains",
    Operator.GREATER: "is greater than",
    Operator.GREATER_OR_EQUAL: "is at least",
    Operator.LESS: "is less than",
    Operator.LESS_OR_EQUAL: "is at most",
    Operator.IS_SET: "is set",
    Operator.IS_NOT_SET: "is not set",
}
_DATE_OPERATOR_WORDS = {
    Operator.GREATER: "is after",
    Operator.GREATER_OR_EQUAL: "is on or after",
    Operator.LESS: "is before",
    Operator.LESS_OR_EQUAL: "is on or before",
}


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
    """One property condition added from the picker: property, operator, value."""

    prop = forms.ChoiceField(label="Property")
    op = forms.ChoiceField(label="Condition", choices=PICKER_OPERATORS)
    value = forms.CharField(label="Value", required=False, max_length=1000)

    def __init__(self, *args, definitions: list[PropertyDefinition], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prop"].choices = [("", "Choose a property")] + [
            (d.key, f"{d.label} ({d.key})") for d in definitions
        ]

    def clean(self):
        cleaned = super().clean()
        op = cleaned.get("op")
        if op and op not in ("set", "not_set") and not (cleaned.get("value") or "").strip():
            self.add_error("value", "Enter a value to compare with.")
        return cleaned

    @property
    def condition(self) -> Condition:
        operator = _PICKER_TO_OPERATOR[self.cleaned_data["op"]]
        value = "" if operator in FLAG_OPERATORS else self.cleaned_data["value"].strip()
        return Condition(key=self.cleaned_data["prop"], operator=operator, value=value)


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


@dataclass(frozen=True)
class ConditionChip:
    """An active condition as the list shows it, with the query string that drops it."""

    text: str
    remove_query: str


def condition_text(condition: Condition, definition: PropertyDefinition | None) -> str:
    """Return the condition in words: "Plan tier is enterprise", "Trial ends is before …"."""
    label = definition.label if definition else condition.key
    words = _OPERATOR_WORDS[condition.operator]
    if definition is not None and definition.property_type is PropertyType.DATE:
        words = _DATE_OPERATOR_WORDS.get(condition.operator, words)
    if condition.operator in FLAG_OPERATORS:
        return f"{label} {words}"
    return f"{label} {words} “{condition.value}”"


def display_value(type_: PropertyType, stored) -> str:
    """Return a stored value as the pages show it."""
    if stored is None:
        return ""
    wire = values.to_json(stored, type_)
    if type_ is PropertyType.BOOLEAN:
        return "Yes" if wire else "No"
    if type_ is PropertyType.DATE:
        moment = stored if stored.tzinfo else stored.replace(tzinfo=datetime.UTC)
        moment = moment.astimezone(datetime.UTC)
        if moment.time() == datetime.time(0):
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    if type_ is PropertyType.COLLECTION:
        return ", ".join(wire)
    if type_ is PropertyType.JSON:
        return json.dumps(wire, ensure_ascii=False)
    return str(wire)


# --- A customer's profile.


def _value_field(type_: PropertyType, label: str) -> forms.Field:
    if type_ is PropertyType.BOOLEAN:
        return forms.BooleanField(label=label, required=False)
    error = {"required": "Enter a value, or use Unassign to remove it from this customer."}
    if type_ in (PropertyType.NUMBER, PropertyType.INTEGER):
        step = "1" if type_ is PropertyType.INTEGER else "any"
        widget = forms.NumberInput(attrs={"step": step})
    elif type_ is PropertyType.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif type_ is PropertyType.URL:
        widget = forms.URLInput()
    elif type_ is PropertyType.JSON:
        widget = forms.Textarea(attrs={"rows": 6, "class": "json-editor", "spellcheck": "false"})
    else:
        widget = forms.TextInput()
    field = forms.CharField(label=label, widget=widget, error_messages=error, strip=False)
    if type_ is PropertyType.COLLECTION:
        field.help_text = "Separate items with commas."
    if type_ is PropertyType.JSON:
        field.help_text = 'A JSON object or array, such as {"city": "Berlin"}.'
    return field


def _editor_initial(type_: PropertyType, stored) -> object:
    if stored is None:
        return None
    if type_ is PropertyType.BOOLEAN:
        return bool(stored)
    if type_ is PropertyType.DATE:
        moment = stored if stored.tzinfo else stored.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC).date().isoformat()
    if type_ is PropertyType.COLLECTION:
        return ", ".join(values.to_json(stored, type_))
    if type_ is PropertyType.JSON:
        return json.dumps(values.to_json(stored, type_), indent=2, ensure_ascii=False)
    return values.to_json(stored, type_)


class ValueForm(forms.Form):
    """The editor of one property value, with the input its type calls for."""

    def __init__(self, *args, definition: PropertyDefinition, stored=None, **kwargs):
        kwargs.setdefault("prefix", f"v-{definition.key}")
        super().__init__(*args, **kwargs)
        self.definition = definition
        type_ = definition.property_type
        self.fields["value"] = _value_field(type_, definition.label)
        self.fields["value"].initial = _editor_initial(type_, stored)
        self.display = display_value(type_, stored)
        self.stored_precise = (
            type_ is PropertyType.DATE
            and stored is not None
            and self.display != _editor_initial(type_, stored)
        )

    @property
    def value(self) -> object:
        """Return what to send to the service: a boolean, or the text as typed."""
        return self.cleaned_data["value"]


class PropertyAddForm(forms.Form):
    """Set a property on a customer: an existing definition, or a new key with its type."""

    definition = forms.ChoiceField(label="Property", required=False)
    key = forms.CharField(
        label="Or a new property key",
        required=False,
        max_length=64,
        help_text="Lowercase letters, digits and underscores, e.g. plan_tier.",
    )
    type = forms.ChoiceField(
        label="Type of the new property",
        choices=[(t.value, t.label) for t in PropertyType],
        initial=PropertyType.TEXT.value,
        required=False,
    )
    value = forms.CharField(
        label="Value",
        max_length=10_000,
        help_text="Booleans: yes or no. Dates: 2026-06-01. Collections: a, b, c.",
        error_messages={"required": "Enter the value to set."},
    )

    def __init__(self, *args, definitions: list[PropertyDefinition], **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["definition"].choices = [("", "New property…")] + [
            (d.key, f"{d.label} ({d.key}, {d.property_type.label})") for d in definitions
        ]

    def clean(self):
        cleaned = super().clean()
        chosen, key = cleaned.get("definition"), (cleaned.get("key") or "").strip()
        if not chosen and not key:
            self.add_error("definition", "Choose a property, or type the key of a new one.")
        elif chosen and key:
            self.add_error("key", "Choose an existing property or type a new key, not both.")
        cleaned["key"] = key
        return cleaned

    @property
    def write_key(self) -> str:
        return self.cleaned_data["definition"] or self.cleaned_data["key"]

    @property
    def write_type(self) -> str | None:
        # An existing definition keeps its type; only a new key takes the chosen one.
        if self.cleaned_data["definition"]:
            return None
        return self.cleaned_data["type"] or PropertyType.TEXT.value


class TagAddForm(forms.Form):
    name = forms.CharField(
        label="Add a tag", max_length=100, error_messages={"required": "Enter a tag name."}
    )
