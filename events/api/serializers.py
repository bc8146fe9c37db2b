"""Input and output mapping of POST/GET /api/events (seed 002 custom events)."""

import re

from rest_framework import serializers

from customers.api.serializers import StrictSerializer
from customers.services import PropertyWrite
from customers.values import keys_check_distinct, normalize_key
from events.models import Event

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
PRIMITIVES = (str, bool, int, float)


def snake_case_name(field: str):
    def check(value: str) -> str:
        if not SNAKE_CASE.match(value):
            raise serializers.ValidationError(
                f'Use snake_case for the {field}, such as "order_shipped"; got {value[:60]!r}.'
            )
        return value

    return check


class EventCustomerSerializer(StrictSerializer):
    external_id = serializers.CharField(required=False, max_length=255, allow_blank=False)
    phone_number = serializers.CharField(required=False, max_length=20)
    email = serializers.CharField(required=False, max_length=254)
    properties = serializers.DictField(child=serializers.JSONField(allow_null=True), required=False)

    def to_internal_value(self, data):
        # Seed 002 sends external_id as a string; numeric ids are common too.
        if isinstance(data, dict) and type(data.get("external_id")) is int:
            data = {**data, "external_id": str(data["external_id"])}
        return super().to_internal_value(data)

    def validate_properties(self, properties: dict) -> dict:
        for key, value in properties.items():
            if " " in key:
                raise serializers.ValidationError(
                    f"Property names use underscores instead of spaces: {key!r}."
                )
            if value is None:
                raise serializers.ValidationError(
                    f"{key}: null values are not supported; send a string, boolean, number "
                    "or ISO date."
                )
            if not isinstance(value, PRIMITIVES):
                raise serializers.ValidationError(
                    f"{key}: values are primitives (string, boolean, number or ISO date)."
                )
        return properties

    def validate(self, data):
        if not data.get("external_id"):
            if data.get("phone_number") and data.get("email"):
                raise serializers.ValidationError(
                    "Without an external_id, identify the customer by phone_number or by "
                    "email, not both."
                )
            if not data.get("phone_number") and not data.get("email"):
                raise serializers.ValidationError(
                    "Identify the customer by external_id, or else by phone_number or email."
                )
        return data


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


class EventCreateSerializer(StrictSerializer):
    id = serializers.CharField(required=False, max_length=255)
    name = serializers.CharField(max_length=255, validators=[snake_case_name("name")])
    source = serializers.CharField(
        required=False, max_length=255, validators=[snake_case_name("source")]
    )
    timestamp = serializers.CharField(required=False, max_length=64)
    customer = EventCustomerSerializer()
    properties = serializers.DictField(child=serializers.JSONField(allow_null=True), required=False)


def event_json(event: Event) -> dict:
    return {
        "id": event.event_id,
        "name": event.name,
        "source": event.source or None,
        "timestamp": event.occurred_at.isoformat(),
        "received_at": event.received_at.isoformat(),
        "customer_id": event.customer_id,
        "customer_uuid": str(event.customer.uuid),
        "properties": event.properties,
    }
