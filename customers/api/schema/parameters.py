"""Query and path parameters of the native API: customer identifiers, keys, paging."""

from drf_spectacular.utils import OpenApiParameter

from customers.api.schema.fields import IDENTIFIERS_SENTENCE, KEY
from customers.identifiers import MAX_CUSTOMER_ID, MAX_EXTERNAL_ID_LENGTH

_IDENTIFIER_SCHEMAS = {
    "customer_id": (
        {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_CUSTOMER_ID},
        "The customer's numeric id, such as 42; the customer must exist.",
    ),
    "customer_uuid": (
        {"type": "string", "format": "uuid"},
        "The customer's UUID, such as 9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c; the customer "
        "must exist.",
    ),
    "visitor_id": (
        {"type": "string", "minLength": 1, "maxLength": MAX_EXTERNAL_ID_LENGTH},
        "Your anonymous visitor id, such as vis_abc123.",
    ),
    "user_id": (
        {"type": "string", "minLength": 1, "maxLength": MAX_EXTERNAL_ID_LENGTH},
        "Your user id, such as usr_789.",
    ),
    "email": (
        {"type": "string", "format": "email", "maxLength": MAX_EXTERNAL_ID_LENGTH},
        "The customer's email, such as jane@example.com (case-insensitive).",
    ),
}


def identifier_parameters(
    sentence: str = IDENTIFIERS_SENTENCE, *, filters: bool = False
) -> list[OpenApiParameter]:
    """Return the five identifier query parameters, each saying how many to send.

    As list `filters`, an empty value is no filter, so the empty string is allowed.
    """
    parameters = []
    for name, (schema, description) in _IDENTIFIER_SCHEMAS.items():
        if filters:
            schema = {k: v for k, v in schema.items() if k != "minLength"}
        parameters.append(OpenApiParameter(name, schema, description=f"{description} {sentence}"))
    return parameters


IDENTIFIER_PARAMETERS = identifier_parameters()


def key_parameter(description: str) -> OpenApiParameter:
    return OpenApiParameter(
        "key",
        {"type": "string", "pattern": KEY, "maxLength": 64},
        location=OpenApiParameter.PATH,
        description=f"{description} Lowercase letters, digits and underscores, starting "
        "with a letter, at most 64 characters.",
    )


CURSOR = OpenApiParameter(
    "cursor", str, description="Opaque cursor from the `next` or `previous` link of a page."
)
LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": 200},
    description="Page size, 1 to 200 (default 50); a larger size is cut to 200.",
)
