"""Retently's `Authorization: api_key=<key>` header, or its `?api_key=<key>` query parameter.

Retently's reference documents the query parameter as supported but not recommended
(a URL is logged where a header is not); the header wins when both are sent.
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from customers.services import api_key_authenticate

PREFIX = "api_key="
QUERY_PARAMETER = "api_key"


class RetentlyKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("Authorization", "").strip()
        if header.lower().startswith(PREFIX):
            raw_key = header[len(PREFIX) :]
        elif request.query_params.get(QUERY_PARAMETER):
            raw_key = request.query_params[QUERY_PARAMETER]
        else:
            return None
        api_key = api_key_authenticate(raw_key.strip())
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
