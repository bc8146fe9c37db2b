"""Sign-in form worded for people who sign in with their email."""

from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password don't match. Check both (the password is "
        "case-sensitive), or reset your password.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"
        widget = self.fields["username"].widget
        # input_type, not attrs["type"]: the attribute would render a second, ignored type.
        widget.input_type = "email"
        widget.attrs.update(autocomplete="username")
