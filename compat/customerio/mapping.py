"""Map Customer.io Track request bodies to service arguments."""

import re
from datetime import datetime

from django.http import QueryDict

from customers import values
from customers.errors import InvalidInput
from customers.services import PropertyWrite

# Attributes with a meaning of their own, never stored as properties.
RESERVED_ATTRIBUTES = frozenset({"id", "cio_id", "email", "created_at", "_update"})
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def body_dict(data) -> dict:
    """Return a JSON or form body as a dict; `data[price]=1` becomes {"data": {"price": "1"}}."""
    if isinstance(data, QueryDict):
        nested: dict = {}
        for key, value in data.items():
            head, _, rest = key.partition("[")
            path = [head, *_BRACKETS.findall("[" + rest)] if rest else [head]
            target = nested
            for part in path[:-1]:
                child = target.get(part)
                if not isinstance(child, dict):
                    child = target[part] = {}
                target = child
            target[path[-1]] = value
        return nested
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object or form fields.")
    return data


def is_true(value) -> bool:
    return value is True or (isinstance(value, str | int) and str(value).lower() in ("true", "1"))


def unix_timestamp(value, field: str) -> datetime:
    """Return a Unix-seconds timestamp (number or digit string) as an aware datetime."""
    if isinstance(value, bool) or not (
        isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit())
    ):
        raise InvalidInput(f"{field} must be a Unix timestamp in seconds, such as 1603885746.")
    return values.coerce(value, values.PropertyType.DATE)


def attribute_writes(attributes: dict) -> list[PropertyWrite]:
    """Map every non-reserved attribute to a property write, keys normalized.

    Two attributes that normalize to the same key are refused, naming both.
    """
    named = [
        (name, values.normalize_key(name), value)
        for name, value in attributes.items()
        if name not in RESERVED_ATTRIBUTES
    ]
    values.keys_check_distinct((name, key) for name, key, _ in named)
    return [PropertyWrite(key, value) for _, key, value in named]


def customer_fields(attributes: dict) -> dict:
    fields = {}
    if "email" in attributes:
        fields["email"] = attributes["email"]
    if attributes.get("created_at") not in (None, ""):
        fields["created_at"] = unix_timestamp(attributes["created_at"], "created_at")
    return fields


def event_data(body: dict) -> dict:
    data = body.get("data", {})
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise InvalidInput("data must be an object of event attributes.")
    return data


def event_name(body: dict) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name is required: the event's name, such as purchased.")
    return name.strip()


# Customer.io's event types, kept as the event's source.
EVENT_SOURCES = {"event": "customerio", "page": "customerio_page", "screen": "customerio_screen"}


def event_source(body: dict) -> str:
    kind = body.get("type")
    if kind is None or kind == "":
        kind = "event"
    # Checked as a string first: a list or an object cannot be looked up in a dict.
    if not isinstance(kind, str) or kind not in EVENT_SOURCES:
        raise InvalidInput(f"type must be one of {', '.join(EVENT_SOURCES)}.")
    return EVENT_SOURCES[kind]
