"""OpenAPI of POST/GET /api/events (seed 002 custom customer events); documentation only."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from customers.api.schema.errors import error_responses, native_operation
from customers.api.schema.fields import PHONE, Constant, Documented, ecma_pattern, typed
from customers.api.schema.parameters import CURSOR, LIMIT, identifier_parameters
from customers.api.schema.properties import SEED_CUSTOMER_ID, SEED_UUID
from customers.identifiers import MAX_EXTERNAL_ID_LENGTH
from events.api.serializers import SNAKE_CASE

SNAKE = ecma_pattern(SNAKE_CASE)
_PRIMITIVE = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
_EVENT_ID = "8f14e45f-ceea-467f-a0e6-4f1d5c0b2a31"
_TIMESTAMP = "2026-06-01T12:00:00+00:00"


class EventCustomer(Documented):
    """The customer the event happened to, and profile properties to write on it.

    Identify the customer by external_id; without one, by exactly one of phone_number or
    email (both are refused). Beside an external_id, phone_number and email are kept on
    the profile.
    """

    external_id = serializers.CharField(
        required=False,
        max_length=MAX_EXTERNAL_ID_LENGTH,
        help_text="Your unique customer id (stored as the customer's user_id); a new one "
        "creates the customer.",
    )
    phone_number = serializers.RegexField(
        PHONE, required=False, max_length=20, help_text="E.164, such as +14155550123."
    )
    email = serializers.EmailField(required=False, max_length=254)
    properties = typed(
        {"type": "object", "additionalProperties": _PRIMITIVE},
        required=False,
        help_text="Profile properties: keys without spaces (firstName is stored as "
        "first_name), primitive values (string, boolean, number or ISO date); null is "
        "refused.",
    )


class EventCreateRequest(Documented):
    """A custom customer event; posting an id again replaces that event."""

    id = serializers.CharField(
        required=False,
        max_length=255,
        help_text="Your unique id of this event (a UUID is recommended); an existing id "
        "replaces that event. One is made up when absent.",
    )
    name = serializers.RegexField(
        SNAKE, max_length=255, help_text='The event type in snake_case, such as "order_shipped".'
    )
    source = serializers.RegexField(
        SNAKE,
        required=False,
        max_length=255,
        help_text='The tool that sent the event, in snake_case, such as "shopify".',
    )
    timestamp = serializers.CharField(
        required=False,
        max_length=64,
        help_text="When it happened, ISO 8601 (such as 2026-06-01T12:00:00Z); now when absent.",
    )
    customer = EventCustomer()
    properties = typed(
        {"type": "object", "additionalProperties": {}},
        required=False,
        help_text="The event's metadata, stored as sent.",
    )


class StoredEvent(Documented):
    """A recorded event."""

    id = serializers.CharField()
    name = serializers.CharField()
    source = serializers.CharField(allow_null=True)
    timestamp = serializers.DateTimeField(help_text="When it happened.")
    received_at = serializers.DateTimeField(help_text="When it was last posted.")
    # Null for an anonymous event no person is known for (Customer.io without anonymous_id).
    customer_id = serializers.IntegerField(allow_null=True)
    customer_uuid = serializers.UUIDField(allow_null=True)
    properties = typed({"type": "object", "additionalProperties": {}})


class EventCreatedResponse(Documented):
    """The event as stored: created (201) or replaced by id (200)."""

    status = Constant("created", "replaced")
    event = StoredEvent()


class EventListResponse(Documented):
    """One page of events, newest first, with links to the next and previous pages."""

    status = Constant("ok")
    events = StoredEvent(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


_EVENT = {
    "id": _EVENT_ID,
    "name": "order_shipped",
    "source": "shopify",
    "timestamp": _TIMESTAMP,
    "received_at": _TIMESTAMP,
    "customer_id": SEED_CUSTOMER_ID,
    "customer_uuid": SEED_UUID,
    "properties": {"order_id": "1001", "total": 99.5},
}


def _stored(status: str, description: str) -> OpenApiResponse:
    return OpenApiResponse(
        EventCreatedResponse,
        description=description,
        examples=[
            OpenApiExample(
                "order_shipped", value={"status": status, "event": _EVENT}, response_only=True
            )
        ],
    )


events_create = native_operation(
    summary="Record a custom customer event (insert, or replace by id)",
    description="Record what a customer did, identify or create the customer, and write "
    "the customer's properties on the profile, in one transaction. An id already recorded "
    "replaces that event (200); otherwise the event is new (201).",
    operation_id="events_create",
    request=EventCreateRequest,
    examples=[
        OpenApiExample(
            "Seed 002",
            value={
                "id": _EVENT_ID,
                "name": "order_shipped",
                "source": "shopify",
                "timestamp": "2026-06-01T12:00:00Z",
                "customer": {
                    "external_id": "usr_789",
                    "email": "jane@example.com",
                    "properties": {"first_name": "Jane", "vip": True},
                },
                "properties": {"order_id": "1001", "total": 99.5},
            },
            request_only=True,
        )
    ],
    responses={
        200: _stored("replaced", "The event with this id was replaced."),
        201: _stored("created", "The event was recorded."),
        **error_responses(400, 409, body=True),
    },
)

events_list = native_operation(
    summary="List events, newest first: one customer's (with an identifier) or the account's",
    description="Return events newest first, 50 a page by default, with cursor links: one "
    "customer's when an identifier is given (at most one; an unknown customer is a 404), "
    "else the whole account's.",
    operation_id="events_list",
    parameters=[
        *identifier_parameters(
            "Only this customer's events (send at most one identifier).", filters=True
        ),
        OpenApiParameter("name", str, description="Only events with this name."),
        OpenApiParameter("source", str, description="Only events from this source."),
        OpenApiParameter(
            "after",
            {"type": "string", "format": "date-time"},
            description="Only events that occurred at or after this time (ISO 8601).",
        ),
        OpenApiParameter(
            "before",
            {"type": "string", "format": "date-time"},
            description="Only events that occurred before this time (ISO 8601).",
        ),
        CURSOR,
        LIMIT,
    ],
    responses={
        200: OpenApiResponse(
            EventListResponse,
            description="A page of events.",
            examples=[
                OpenApiExample(
                    "order_shipped",
                    value={"status": "ok", "events": [_EVENT], "next": None, "previous": None},
                    response_only=True,
                )
            ],
        ),
        **error_responses(400, 404),
    },
)
