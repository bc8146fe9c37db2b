"""Customer.io's HTTP Basic authentication: the account's site id and an API key."""

import base64
import binascii
import hmac

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from customers.services import api_key_authenticate

REALM = 'Basic realm="Customer.io Track API"'


class SiteKeyAuthentication(BaseAuthentication):
    """`Authorization: Basic base64(site_id:api_key)`; `request.auth` is the ApiKey."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed("Malformed Basic credentials.") from None
        site_id, _, raw_key = decoded.partition(":")
        api_key = api_key_authenticate(raw_key)
        if api_key is None or not hmac.compare_digest(
            site_id.encode(), api_key.account.site_id.encode()
        ):
            raise exceptions.AuthenticationFailed("Unauthorized: wrong site id or API key.")
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return REALM


class HasSiteKey(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise exceptions.NotAuthenticated(
                "Unauthorized: send your site id and API key with HTTP Basic auth."
            )
        return True
