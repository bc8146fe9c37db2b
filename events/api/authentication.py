"""The access token of seed 002's vendor-shaped route, sent as that vendor's clients send it.

Its clients put the store's access token in an `X-Yotpo-Token` header (or the older
`utoken` query parameter); the native `X-API-Key` header is accepted too. The token is
one of this service's API keys.
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from customers.services import api_key_authenticate

HEADER = "X-Yotpo-Token"
QUERY_PARAMETER = "utoken"


class StoreTokenAuthentication(BaseAuthentication):
    """`X-Yotpo-Token: <key>` or `?utoken=<key>`; `request.auth` is the ApiKey."""

    def authenticate(self, request):
        raw_key = request.headers.get(HEADER) or request.query_params.get(QUERY_PARAMETER)
        if not raw_key:
            return None
        api_key = api_key_authenticate(raw_key.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                f"Invalid or revoked access token: send one of this store's API keys in the "
                f"{HEADER} header."
            )
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return HEADER
