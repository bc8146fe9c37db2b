"""X-API-Key authentication and scopes for the native API."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

# Re-exported: the doors import the throttle from here until they are repointed.
from customers.services import api_key_authenticate

HEADER = "X-API-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticate with `X-API-Key: <key>`; `request.auth` is the ApiKey."""

    def authenticate(self, request):
        raw_key = request.headers.get(HEADER)
        if raw_key is None:
            return None
        api_key = api_key_authenticate(raw_key.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                "Invalid or revoked API key. Create one with `manage.py create_api_key` "
                "or on the Settings page."
            )
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        # Any value makes DRF answer 401 rather than 403 when the key is missing.
        return HEADER


class HasApiKey(BasePermission):
    message = f"Send your API key in the {HEADER} header."

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise exceptions.NotAuthenticated(self.message)
        return True


class HasAdminScope(HasApiKey):
    message = "This action needs an API key with the admin scope."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.auth.is_admin


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describe X-API-Key in the OpenAPI schema."""

    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": HEADER}
