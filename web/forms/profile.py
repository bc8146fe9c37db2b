"""Forms of a customer's profile: a value's editor, a property to set or create, a tag.

Forms only read and shape what the user typed; values are checked, coerced and stored
by the services (`customer_properties_set`), whose messages are attached to the field
they concern. Each editor's input follows its property's type: a switch for booleans,
numbers for numbers, ISO 8601 text for dates (never the browser's locale format),
comma-separated items for collections (chips with profile.js), JSON text for JSON.
"""

from django import forms

from customers.models import PropertyDefinition
from customers.values import PropertyType
from web.presenters.values import display_value, editor_value

# What the date editor accepts as typed; the service reads more forms and has the last word.
ISO_DATE_PATTERN = (
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+\-]\d{2}(:?\d{2})?)?)?"
)
DATE_HELP = "ISO 8601 in UTC: 2026-06-01, or 2026-06-01T14:30:00Z with a time."
VALUE_HELP = {
    PropertyType.COLLECTION: "Separate items with commas.",
    PropertyType.JSON: 'A JSON object or array, such as {"city": "Berlin"}.',
    PropertyType.DATE: DATE_HELP,
}
# The new-property editor is plain text whatever the type chosen; these say what to type.
NEW_VALUE_HELP = {
    PropertyType.BOOLEAN: "Yes or no.",
    PropertyType.URL: "An absolute http(s) URL.",
    **VALUE_HELP,
}


def value_field(
    type_: PropertyType, label: str, *, required_message: str, multiline: bool = False
) -> forms.Field:
    """Return the field that edits a value of `type_`, with the input its type calls for."""
    if type_ is PropertyType.BOOLEAN:
        # A switch: unchecked is false, so a boolean is never "missing".
        switch = forms.CheckboxInput(attrs={"role": "switch", "class": "switch"})
        return forms.BooleanField(label=label, required=False, widget=switch)
    if type_ in (PropertyType.NUMBER, PropertyType.INTEGER):
        step = "1" if type_ is PropertyType.INTEGER else "any"
        widget = forms.NumberInput(attrs={"step": step})
    elif type_ is PropertyType.DATE:
        widget = forms.TextInput(
            attrs={
                "class": "date-editor",
                "pattern": ISO_DATE_PATTERN,
                "placeholder": "YYYY-MM-DD",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )
    elif type_ is PropertyType.URL:
        widget = forms.URLInput()
    elif type_ is PropertyType.JSON:
        widget = forms.Textarea(attrs={"rows": 6, "class": "json-editor", "spellcheck": "false"})
    elif type_ is PropertyType.COLLECTION:
        widget = forms.TextInput(attrs={"class": "chips-editor", "autocomplete": "off"})
    elif multiline:
        # A text input would drop the line breaks of a stored text.
        widget = forms.Textarea(attrs={"rows": 3})
    else:
        widget = forms.TextInput()
    return forms.CharField(
        label=label,
        widget=widget,
        error_messages={"required": required_message},
        help_text=VALUE_HELP.get(type_, ""),
        strip=False,
    )


def focus_first_error(form: forms.Form) -> None:
    """Give the form's first invalid field (or its first field) the page's focus on load."""
    if not form.errors:
        return
    names = [name for name in form.fields if name in form.errors] or list(form.fields)
    form.fields[names[0]].widget.attrs["autofocus"] = True


class ValueForm(forms.Form):
    """The editor of one property value, with the input its type calls for."""

    required_message = "Enter a value, or use Unassign to remove it from this customer."

    def __init__(self, *args, definition: PropertyDefinition, stored=None, **kwargs):
        kwargs.setdefault("prefix", f"v-{definition.key}")
        super().__init__(*args, **kwargs)
        self.definition = definition
        type_ = definition.property_type
        multiline = isinstance(stored, str) and "\n" in stored
        self.fields["value"] = value_field(
            type_, definition.label, required_message=self.required_message, multiline=multiline
        )
        self.fields["value"].initial = editor_value(type_, stored)
        self.display = display_value(type_, stored)

    @property
    def value(self) -> object:
        """Return what to send to the service: a boolean, or the text as typed."""
        return self.cleaned_data["value"]


class PropertySetForm(ValueForm):
    """Set a property this customer has no value of yet: its type is its definition's."""

    required_message = "Enter the value to set."

    def __init__(self, *args, definition: PropertyDefinition, **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, definition=definition, **kwargs)


class PropertyCreateForm(forms.Form):
    """Create a property with a chosen type and set it on this customer in one step."""

    key = forms.CharField(
        label="Key",
        max_length=64,
        help_text="Lowercase letters, digits and underscores, e.g. plan_tier.",
        error_messages={"required": "Type the key of the new property."},
    )
    type = forms.ChoiceField(
        label="Type",
        choices=[(t.value, t.label) for t in PropertyType],
        initial=PropertyType.TEXT.value,
        error_messages={"required": "Choose the type of the new property."},
    )
    value = forms.CharField(
        label="Value",
        max_length=10_000,
        strip=False,
        widget=forms.TextInput(attrs={"class": "new-value", "autocomplete": "off"}),
        error_messages={"required": "Enter the value to set."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        chosen = self.data.get(self.add_prefix("type")) if self.is_bound else None
        type_ = PropertyType(chosen) if chosen in PropertyType else PropertyType.TEXT
        self.fields["value"].help_text = NEW_VALUE_HELP.get(type_, "")

    def clean_key(self) -> str:
        return self.cleaned_data["key"].strip()


class TagAddForm(forms.Form):
    name = forms.CharField(
        label="Add a tag", max_length=100, error_messages={"required": "Enter a tag name."}
    )
