"""Input and output mapping of POST/GET /api/events (seed 002 custom events)."""

import re

from rest_framework import serializers

from customers.api.serializers import PlainInput
from customers.services import PropertyWrite
from customers.values import keys_check_distinct, normalize_key
from events.models import Event

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
PRIMITIVES = (str, bool, int, float)


def snake_case_name(field: str, value: str | None) -> str | None:
    if value is not None and not SNAKE_CASE.match(value):
        raise serializers.ValidationError(
            {
                field: [
                    f'Use snake_case for the {field}, such as "order_shipped"; got {value[:60]!r}.'
                ]
            }
        )
    return value


class EventCustomerInput(PlainInput):
    """Seed 002's customer: external_id, else phone_number or email, and its properties."""

    FIELDS = ("external_id", "phone_number", "email", "properties")

    def __init__(self, data):
        # Seed 002 sends external_id as a string; numeric ids are common too.
        super().__init__(data)
        self.cleaned = {
            "external_id": self.text("external_id", max_length=255),
            "phone_number": self.text("phone_number", max_length=20),
            "email": self.text("email", max_length=254),
            "properties": _checked_properties(self.mapping("properties")),
        }
        self.cleaned = {k: v for k, v in self.cleaned.items() if v is not None}
        if not self.cleaned.get("external_id"):
            if self.cleaned.get("phone_number") and self.cleaned.get("email"):
                raise _refused(
                    "Without an external_id, identify the customer by phone_number or by "
                    "email, not both."
                )
            if not self.cleaned.get("phone_number") and not self.cleaned.get("email"):
                raise _refused(
                    "Identify the customer by external_id, or else by phone_number or email."
                )


def _refused(message: str) -> serializers.ValidationError:
    return serializers.ValidationError({"non_field_errors": [message]})


def _checked_properties(properties: dict | None) -> dict | None:
    for key, value in (properties or {}).items():
        if " " in key:
            problem = f"Property names use underscores instead of spaces: {key!r}."
        elif value is None:
            problem = (
                f"{key}: null values are not supported; send a string, boolean, number or ISO date."
            )
        elif not isinstance(value, PRIMITIVES):
            problem = f"{key}: values are primitives (string, boolean, number or ISO date)."
        else:
            continue
        raise serializers.ValidationError({"properties": [problem]})
    return properties


def customer_identifier(customer: dict) -> tuple[str, str]:
    """Return (identifier kind, raw value): external_id first, else phone or email."""
    if customer.get("external_id"):
        return "user_id", customer["external_id"]
    if customer.get("phone_number"):
        return "phone", customer["phone_number"]
    return "email", customer["email"]


def customer_fields(customer: dict) -> dict:
    """Return the contact fields sent beside an external_id, to keep on the profile."""
    if not customer.get("external_id"):
        return {}
    fields = {}
    if customer.get("email"):
        fields["email"] = customer["email"]
    if customer.get("phone_number"):
        fields["phone"] = customer["phone_number"]
    return fields


def customer_property_writes(customer: dict) -> list[PropertyWrite]:
    """Map seed 002's customer properties to writes, keys normalized ("firstName" -> first_name).

    Two names that normalize to the same key are refused, naming both.
    """
    named = [
        (name, normalize_key(name), value) for name, value in customer.get("properties", {}).items()
    ]
    keys_check_distinct((name, key) for name, key, _ in named)
    return [PropertyWrite(key, value) for _, key, value in named]


class EventCreateInput(PlainInput):
    """The body of POST /api/events, checked by hand (see PlainInput)."""

    FIELDS = ("id", "name", "source", "timestamp", "customer", "properties")

    def __init__(self, data):
        super().__init__(data)
        customer = self.data.get("customer")
        if "customer" not in self.data:
            raise serializers.ValidationError({"customer": ["This field is required."]})
        try:
            customer = EventCustomerInput(customer).cleaned
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"customer": error.detail}) from None
        self.cleaned = {
            "id": self.text("id", max_length=255),
            "name": snake_case_name("name", self.text("name", max_length=255, required=True)),
            "source": snake_case_name("source", self.text("source", max_length=255)),
            "timestamp": self.text("timestamp", max_length=64),
            "customer": customer,
            "properties": self.mapping("properties"),
        }
        self.cleaned = {k: v for k, v in self.cleaned.items() if v is not None}


def event_json(event: Event) -> dict:
    return {
        "id": event.event_id,
        "name": event.name,
        "source": event.source or None,
        "timestamp": event.occurred_at.isoformat(),
        "received_at": event.received_at.isoformat(),
        "customer_id": event.customer_id,
        # None for an anonymous event no person is known for (Customer.io without anonymous_id).
        "customer_uuid": str(event.customer.uuid) if event.customer_id else None,
        "properties": event.properties,
    }
