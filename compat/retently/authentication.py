"""Retently's `Authorization: api_key=<key>` header."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from customers.services import api_key_authenticate

PREFIX = "api_key="


class RetentlyKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("Authorization", "").strip()
        if not header.lower().startswith(PREFIX):
            return None
        api_key = api_key_authenticate(header[len(PREFIX) :].strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unauthorized")
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return PREFIX + "<key>"


class HasRetentlyKey(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise exceptions.NotAuthenticated("Unauthorized")
        return True
