"""Map Retently subscribers and their `properties: [{label, type, value}]` to service calls."""

import functools
from dataclasses import dataclass, field

from customers import values
from customers.errors import DomainError, InvalidInput
from customers.services import PropertyWrite
from customers.values import PropertyType

# Retently's five types; our own names and aliases are accepted too.
RETENTLY_TYPES = {
    "string": PropertyType.TEXT,
    "date": PropertyType.DATE,
    "integer": PropertyType.INTEGER,
    "boolean": PropertyType.BOOLEAN,
    "collection": PropertyType.COLLECTION,
}
# How our types are named back to a Retently client.
TYPE_NAMES = {
    PropertyType.TEXT: "string",
    PropertyType.URL: "string",
    PropertyType.DATE: "date",
    PropertyType.INTEGER: "integer",
    PropertyType.NUMBER: "number",
    PropertyType.BOOLEAN: "boolean",
    PropertyType.COLLECTION: "collection",
    # Not a Retently type: what this service stores for objects and arrays of objects.
    PropertyType.JSON: "json",
}
SUBSCRIBER_FIELDS = frozenset({"email", "first_name", "last_name", "company", "tags", "properties"})
SURVEY_FIELDS = SUBSCRIBER_FIELDS
# A client sends the same few labels for every subscriber: each is normalized once. Long
# labels are not kept, so the cache stays small whatever clients send.
_cached_key = functools.lru_cache(maxsize=1024)(values.normalize_key)
LONGEST_CACHED_LABEL = 100


@dataclass
class Subscriber:
    """One subscriber of a request, mapped; `refused` holds properties refused while mapping."""

    email: str
    fields: dict
    tags: list[str]
    writes: list[PropertyWrite] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)


def subscriber_from(item: object) -> Subscriber:
    """Map one subscriber object, refusing it whole when it cannot be identified.

    It is refused whole too when two of its labels make the same key ("Plan" and
    "plan"); other refused properties are reported in `refused`.
    """
    if not isinstance(item, dict):
        raise InvalidInput("Each subscriber is an object with at least an email.")
    unknown = sorted(set(item) - SUBSCRIBER_FIELDS)
    if unknown:
        raise InvalidInput(
            f"Unknown subscriber field {unknown[0]!r}: use " + ", ".join(sorted(SUBSCRIBER_FIELDS))
        )
    subscriber = Subscriber(
        email=_email_of(item), fields=_profile_fields_of(item), tags=_tags_of(item)
    )
    properties = item.get("properties") or []
    if not isinstance(properties, list):
        raise InvalidInput("properties must be a list of {label, type, value} objects.")
    for entry in properties:
        try:
            subscriber.writes.append(property_write(entry))
        except DomainError as error:
            label = entry.get("label") if isinstance(entry, dict) else None
            subscriber.refused.append(refusal(label, None, error))
    # Which of two labels of one key was meant is unknown: the subscriber is refused whole.
    values.keys_check_distinct((write.label, write.key) for write in subscriber.writes)
    return subscriber


def _email_of(item: dict) -> str:
    email = item.get("email")
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput("email is required for every subscriber.")
    return email.strip()


def _profile_fields_of(item: dict) -> dict:
    fields = {}
    for name in ("first_name", "last_name", "company"):
        if name in item:
            value = item[name]
            if value is not None and not isinstance(value, str):
                raise InvalidInput(f"{name} must be a string.")
            fields[name] = value
    return fields


def _tags_of(item: dict) -> list[str]:
    """Return the tags, sent as a list or as one comma-separated string."""
    tags = item.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput("tags must be a list of strings.")
    return tags


def property_write(entry: object) -> PropertyWrite:
    """Map {label, type, value}: the label becomes a snake_case key, the type one of ours."""
    if not isinstance(entry, dict) or "label" not in entry:
        raise InvalidInput("A property is an object with a label, a value and optionally a type.")
    extra = sorted(set(entry) - {"label", "type", "value"})
    if extra:
        raise InvalidInput(f"Unknown property field {extra[0]!r}: use label, type and value.")
    label = entry["label"]
    if not isinstance(label, str):
        raise InvalidInput('A property\'s label is a string such as "Subscription name".')
    type_name = entry.get("type")
    type_ = None
    if type_name not in (None, ""):
        if not isinstance(type_name, str):
            raise InvalidInput("A property's type is one of: " + ", ".join(RETENTLY_TYPES))
        type_ = RETENTLY_TYPES.get(type_name.strip().lower()) or values.parse_type(type_name)
    return PropertyWrite(_key_of(label), entry.get("value"), type_, label=label.strip())


def _key_of(label: str) -> str:
    if len(label) > LONGEST_CACHED_LABEL:
        return values.normalize_key(label)
    return _cached_key(label)


def refusal(label: str | None, key: str | None, error: DomainError) -> dict:
    return {"label": label, "name": key, "code": error.code, "error": error.message}


def property_json(label: str, key: str, type_: PropertyType, stored) -> dict:
    return {
        "label": label,
        "name": key,
        "type": TYPE_NAMES[type_],
        "value": None if stored is None else values.to_json(stored, type_),
    }
