"""The native API's one error body, and the documented error responses of each operation."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers

from customers.api.schema.fields import Constant, Documented


class ErrorDetail(Documented):
    """What went wrong: a stable code to branch on, a message for people, and details."""

    code = serializers.CharField(
        help_text="Stable machine-readable code, such as invalid_identifier, "
        "customer_not_found, property_not_found, type_conflict, property_archived, "
        "invalid_input, unauthorized, forbidden, payload_too_large or rate_limited."
    )
    message = serializers.CharField(help_text="What went wrong and what to send instead.")
    details = serializers.DictField(
        help_text='Structured context: the key or identifier concerned, or {"fields": {...}} '
        "with the messages of each invalid field; empty when there is nothing to add."
    )


class ErrorResponse(Documented):
    """The body of every native API error, whatever its status."""

    status = Constant("error")
    error = ErrorDetail()


def _error(code: str, message: str, details: dict | None = None) -> dict:
    return {
        "status": "error",
        "error": {"code": code, "message": message, "details": details or {}},
    }


_MISSING_IDENTIFIER = _error(
    "missing_identifier",
    "Identify the customer with exactly one of: customer_id, customer_uuid, visitor_id, "
    "user_id, email.",
)
_INVALID_FIELD = _error(
    "invalid_input",
    "properties: This field is required.",
    {"fields": {"properties": ["This field is required."]}},
)
_CUSTOMER_NOT_FOUND = _error(
    "customer_not_found",
    "No customer with customer_uuid 9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c in this account.",
    {"customer_uuid": "9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c"},
)
_PROPERTY_NOT_FOUND = _error(
    "property_not_found", 'No property "company_name" in this account.', {"key": "company_name"}
)
_TYPE_CONFLICT = _error(
    "type_conflict",
    'Property "company_name" is of type text, not number. Send a value of its type, or '
    "change the type on the Contact attributes page.",
    {"key": "company_name", "type": "text", "requested": "number"},
)
_ARCHIVED = _error(
    "property_archived",
    'Property "company_name" is archived. Restore it on the Contact attributes page to '
    "write to it.",
    {"key": "company_name"},
)

# status: (description, [(example name, body)])
_STATUSES: dict[int, tuple[str, list[tuple[str, dict]]]] = {
    400: (
        "Invalid input: no identifier or several, a malformed identifier, key or value, "
        "an unknown field, malformed JSON, or more properties than the per-request limit.",
        [("Missing identifier", _MISSING_IDENTIFIER), ("Invalid field", _INVALID_FIELD)],
    ),
    401: (
        "No X-API-Key header, or a key that is unknown or revoked.",
        [("No API key", _error("unauthorized", "Send your API key in the X-API-Key header."))],
    ),
    403: (
        "The API key lacks the admin scope this operation needs.",
        [
            (
                "Write-scoped key",
                _error("forbidden", "This action needs an API key with the admin scope."),
            )
        ],
    ),
    404: (
        "The customer (by customer_id or customer_uuid) or the property does not exist "
        "in this account.",
        [("Customer not found", _CUSTOMER_NOT_FOUND), ("Property not found", _PROPERTY_NOT_FOUND)],
    ),
    409: (
        "The write conflicts with the account's definitions: a type other than the "
        "property's, an archived property, or a key or identifier that already exists.",
        [("Type conflict", _TYPE_CONFLICT), ("Archived property", _ARCHIVED)],
    ),
    411: (
        "A chunked body that this server cannot read; send a Content-Length.",
        [
            (
                "Chunked body",
                _error(
                    "length_required",
                    "Send the body with a Content-Length header; this server cannot read "
                    "chunked bodies.",
                ),
            )
        ],
    ),
    413: (
        "The body is over the size limit (1 MiB by default, CONTACTS_MAX_BODY_BYTES).",
        [
            (
                "Body too large",
                _error(
                    "payload_too_large",
                    "The request body is over 1048576 bytes; send less per request "
                    "(CONTACTS_MAX_BODY_BYTES sets the limit).",
                ),
            )
        ],
    ),
    415: (
        "The body is not sent as application/json.",
        [
            (
                "Not JSON",
                _error(
                    "unsupported_media_type",
                    'Unsupported media type "text/plain" in request. Send JSON with the '
                    "header Content-Type: application/json.",
                ),
            )
        ],
    ),
    429: (
        "Too many requests for this API key (API_RATE_LIMIT); retry after the number of "
        "seconds in Retry-After.",
        [("Rate limited", _error("rate_limited", "Too many requests. Retry after 12 seconds."))],
    ),
}
# Every operation authenticates and is rate limited; writes also read a body.
_ALWAYS = (401, 429)
_BODY = (411, 413, 415)


def error_responses(*statuses: int, body: bool = False) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for `statuses`, plus those of every call."""
    chosen = sorted({*statuses, *_ALWAYS, *(_BODY if body else ())})
    responses = {}
    for status in chosen:
        description, examples = _STATUSES[status]
        responses[status] = OpenApiResponse(
            ErrorResponse,
            description=description,
            examples=[
                OpenApiExample(name, value=value, status_codes=[status], response_only=True)
                for name, value in examples
            ],
        )
    return responses


ERROR_HEADERS = [
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=[429],
        description="Seconds to wait before the next request.",
    ),
    OpenApiParameter(
        "WWW-Authenticate",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        response=[401],
        description="Always X-API-Key: the header that carries the key.",
    ),
]


def native_operation(*, parameters=(), **kwargs):
    """Return `extend_schema` for a native operation, with the error response headers."""
    return extend_schema(parameters=[*parameters, *ERROR_HEADERS], **kwargs)
