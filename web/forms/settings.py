"""Forms of the Settings pages: API keys, members and the audit log filter."""

from django import forms

from customers.models import ApiKeyScope, AuditAction, MemberRole


class SettingsForm(forms.Form):
    """Labels without Django's trailing colon, like every other form of the app."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ApiKeyCreateForm(SettingsForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="Say where the key is used, e.g. “Shop backend” — you will see it in the list.",
        error_messages={"required": "Give the key a name so you can tell it apart later."},
    )
    scope = forms.ChoiceField(
        label="Scope",
        choices=ApiKeyScope.choices,
        initial=ApiKeyScope.WRITE,
        help_text="Write: send customers, properties and events. "
        "Admin: also archive and delete properties.",
        error_messages={"invalid_choice": "Choose Write or Admin."},
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if "\x00" in name:
            raise forms.ValidationError("A name cannot contain NUL characters.")
        return name


class MemberAddForm(SettingsForm):
    email = forms.EmailField(
        label="Email",
        max_length=150,
        help_text="Their login. If they have none yet, you get a one-time password to pass on.",
        error_messages={
            "required": "Enter the new member's email address.",
            "invalid": "Enter a valid email address, like name@example.com.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        initial=MemberRole.MARKETER,
        help_text="Marketers edit customers and properties; admins also manage keys and members.",
        error_messages={"invalid_choice": "Choose Admin or Marketer."},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(SettingsForm):
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        error_messages={"invalid_choice": "Choose Admin or Marketer."},
    )


class AuditFilterForm(SettingsForm):
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "All actions"), *AuditAction.choices],
    )
