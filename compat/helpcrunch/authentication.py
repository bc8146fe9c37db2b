"""HelpCrunch's `Authorization: Bearer <api key>` header, with the native API's keys."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from customers.services import api_key_authenticate

CHALLENGE = 'Bearer realm="HelpCrunch API v1"'


class BearerKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>`; `request.auth` is the ApiKey."""

    def authenticate(self, request):
        scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        api_key = api_key_authenticate(token.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unauthorized")
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return CHALLENGE


class HasBearerKey(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise exceptions.NotAuthenticated("Unauthorized")
        return True
