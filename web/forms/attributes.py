"""Forms of the Contact attributes pages.

They check the shape of what was typed; the services decide (a key already
taken, a value that cannot convert) and the views put their refusals next to
the field they concern.
"""

from django import forms

from customers.errors import InvalidKey
from customers.services.definitions import MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH
from customers.values import PropertyType, normalize_key, validate_key
from web.presenters.plurals import counted

TYPE_CHOICES = [(t.value, t.label) for t in PropertyType]

TYPE_HELP = {
    PropertyType.TEXT: "Any text, such as a plan name.",
    PropertyType.NUMBER: "A number with or without decimals, such as 15.99.",
    PropertyType.INTEGER: "A whole number, such as 100.",
    PropertyType.BOOLEAN: "Yes or no.",
    PropertyType.DATE: "A date and time, stored in UTC.",
    PropertyType.URL: "An absolute http(s) link.",
    PropertyType.COLLECTION: "A list of short texts, such as interests.",
    PropertyType.JSON: "A JSON object or array, such as an address with its fields.",
}


class DefinitionCreateForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=MAX_LABEL_LENGTH,
        help_text="What marketers see, e.g. “Plan tier”.",
        error_messages={"required": "Give the property a label, e.g. “Plan tier”."},
    )
    key = forms.CharField(
        label="Key",
        max_length=64,
        required=False,
        strip=True,
        help_text="What your backend and the API use: lowercase letters, digits and "
        "underscores, starting with a letter. Suggested from the label; it cannot be "
        "changed later.",
    )
    type = forms.ChoiceField(
        label="Type",
        choices=TYPE_CHOICES,
        initial=PropertyType.TEXT.value,
        error_messages={"invalid_choice": "Choose one of the listed types."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what the property means and where its values come from.",
    )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if not key:
            # Without a key (no script to suggest one) the label's key is used.
            return ""
        try:
            return validate_key(key)
        except InvalidKey as error:
            suggestion = error.details.get("suggestion")
            message = "Use lowercase letters, digits and underscores, starting with a letter" + (
                f" — for example “{suggestion}”." if suggestion else "."
            )
            raise forms.ValidationError(message, code="invalid_key") from None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("key") and cleaned.get("label") and "key" not in self.errors:
            try:
                cleaned["key"] = normalize_key(cleaned["label"])
            except InvalidKey as error:
                # A label with letters a key cannot hold ("Straße") is never cut silently.
                suggestion = error.details.get("suggestion") or "plan_tier"
                self.add_error(
                    "key",
                    "No key can be made from every character of the label: type a key, "
                    f"such as “{suggestion}”.",
                )
        return cleaned


class DefinitionEditForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=MAX_LABEL_LENGTH,
        error_messages={"required": "A label cannot be empty."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PurgeConfirmForm(forms.Form):
    """Asks for the key to be typed, so a permanent delete is never a slip of the mouse."""

    confirm_key = forms.CharField(
        label="Type the key to confirm",
        strip=True,
        error_messages={"required": "Type the property's key to confirm."},
    )

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields["confirm_key"].label = f"Type {key} to confirm"

    def clean_confirm_key(self) -> str:
        typed = self.cleaned_data["confirm_key"]
        if typed != self.key:
            raise forms.ValidationError(
                f"That is not the key. Type {self.key} exactly to delete it permanently.",
                code="wrong_key",
            )
        return typed


class TypeChoiceForm(forms.Form):
    """The new type, chosen before the preview (read with GET)."""

    to = forms.ChoiceField(
        label="New type",
        choices=TYPE_CHOICES,
        error_messages={
            "required": "Choose the new type.",
            "invalid_choice": "Choose one of the listed types.",
        },
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [c for c in TYPE_CHOICES if c[0] != current]


class TypeChangeForm(forms.Form):
    """The change itself, after the preview: the type, and consent to remove failures."""

    to = forms.ChoiceField(label="New type", choices=TYPE_CHOICES, widget=forms.HiddenInput)
    remove_failing = forms.BooleanField(required=False)
    # The number of failing values the admin saw and agreed to remove.
    failing_seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, failing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.failing = failing
        field = self.fields["remove_failing"]
        field.label = f"Remove the {counted(failing, 'value')} that cannot convert"

    def allowed_removals(self) -> int:
        """Return how many unconvertible values the admin agreed to remove."""
        if not self.cleaned_data.get("remove_failing"):
            return 0
        return self.cleaned_data["failing_seen"]
