"""Map Customer.io Track request bodies to service arguments."""

import re
from datetime import datetime

from django.http import QueryDict

from customers import values
from customers.errors import InvalidIdentifier, InvalidInput
from customers.identifiers import Identifier, identifier_value
from customers.services import PropertyWrite

# Attributes with a meaning of their own, never stored as properties. (Relationships to
# objects are not served: `cio_relationships` is kept as a json property, not dropped.)
RESERVED_ATTRIBUTES = frozenset({"id", "cio_id", "email", "created_at", "_update", "anonymous_id"})
# A person's identifiers in merge_customers and Track v2: the kind each names here.
PERSON_IDENTIFIERS = {"id": "user_id", "email": "email", "cio_id": "customer_id"}
CIO_PREFIX = "cio_"
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


def path_identifier(raw: str) -> Identifier:
    """Return the person a path names: `cio_<customer id>`, an email, or the person's id.

    An email is matched case-insensitively; anything else is the person's own id
    (user_id), slashes included.
    """
    if raw.startswith(CIO_PREFIX):
        return Identifier("customer_id", cio_id(raw[len(CIO_PREFIX) :]))
    if "@" in raw:
        try:
            return Identifier("email", identifier_value("email", raw))
        except InvalidIdentifier:
            pass
    return Identifier("user_id", identifier_value("user_id", raw))


def cio_id(raw: object) -> int:
    """Return the customer id of a `cio_id` (this service's customer_id)."""
    try:
        return identifier_value("customer_id", raw)
    except InvalidIdentifier:
        raise InvalidIdentifier(
            f"Invalid cio_id {str(raw)[:60]!r}: here a cio_id is the customer_id this service "
            "gave the person, such as cio_42.",
            details={"identifier": "cio_id"},
        ) from None


def person_identifier(identifiers: object, field: str = "identifiers") -> Identifier:
    """Return the person named by `{"id": …}`, `{"email": …}` or `{"cio_id": …}`."""
    if not isinstance(identifiers, dict):
        raise InvalidInput(
            f'{field} must be an object such as {{"id": "42"}}, {{"email": "ann@example.com"}} '
            'or {"cio_id": "7"}.',
            details={"field": field},
        )
    named = [k for k in PERSON_IDENTIFIERS if identifiers.get(k) not in (None, "")]
    if len(named) != 1:
        raise InvalidIdentifier(
            f"{field} must name a person by exactly one of id, email or cio_id.",
            details={"field": field},
        )
    kind, raw = named[0], identifiers[named[0]]
    if kind == "cio_id":
        return Identifier("customer_id", cio_id(str(raw).removeprefix(CIO_PREFIX)))
    return Identifier(PERSON_IDENTIFIERS[kind], identifier_value(PERSON_IDENTIFIERS[kind], raw))


def anonymous_identifier(anonymous_id: object) -> Identifier:
    return Identifier("visitor_id", identifier_value("visitor_id", anonymous_id))


def anonymous_id_of(attributes: dict) -> str | None:
    """Return the visitor id an identify names, to merge that visitor into the person."""
    raw = attributes.get("anonymous_id")
    return None if raw in (None, "") else anonymous_identifier(raw).value


def customer_fields(attributes: dict, identifier: Identifier | None = None) -> dict:
    """Return the contact fields an identify sets: email, created_at, and the person's id
    when the path named the person otherwise (by email or cio_id)."""
    fields = {}
    if "email" in attributes:
        fields["email"] = attributes["email"]
    if (
        identifier is not None
        and identifier.kind != "user_id"
        and attributes.get("id") not in (None, "")
    ):
        fields["user_id"] = attributes["id"]
    if attributes.get("created_at") not in (None, ""):
        fields["created_at"] = unix_timestamp(attributes["created_at"], "created_at")
    return fields


def event_id(body: dict) -> str | None:
    raw = body.get("id")
    return None if raw in (None, "") else str(raw)


def event_time(body: dict) -> datetime | None:
    raw = body.get("timestamp")
    return None if raw in (None, "") else unix_timestamp(raw, "timestamp")


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


# Device fields with a meaning of their own; any other is kept among its attributes.
DEVICE_FIELDS = frozenset({"id", "token", "platform", "last_used", "attributes"})


def device_of(body: dict, *, token_field: str) -> dict:
    """Map a `device` object to customer_device_set's arguments (token from `token_field`)."""
    device = body.get("device")
    if not isinstance(device, dict):
        raise InvalidInput(
            'device must be an object such as {"id": "<token>", "platform": "ios"}.',
            details={"field": "device"},
        )
    last_used = device.get("last_used")
    attributes = device.get("attributes")
    if attributes in (None, ""):
        attributes = {}
    if not isinstance(attributes, dict):
        raise InvalidInput("device.attributes must be an object.", details={"field": "device"})
    extra = {k: v for k, v in device.items() if k not in DEVICE_FIELDS}
    return {
        "token": device.get(token_field),
        "platform": device.get("platform"),
        "last_used_at": None
        if last_used in (None, "")
        else unix_timestamp(last_used, "device.last_used"),
        "attributes": {**extra, **attributes},
    }


def merge_pair(body: dict) -> tuple[Identifier, Identifier]:
    """Return the (primary, secondary) people of a merge request."""
    return (
        person_identifier(body.get("primary"), "primary"),
        person_identifier(body.get("secondary"), "secondary"),
    )
