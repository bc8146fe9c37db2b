"""Map HelpCrunch customer bodies to service arguments, and customers to HelpCrunch's shape.

A body is read with PUT semantics (`replace`: every field omitted is cleared, and
custom data not sent is unassigned) or PATCH semantics (only the fields sent; null
clears that field).
"""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.db import transaction

from compat.helpcrunch.errors import FieldError
from compat.helpcrunch.fields import (
    CUSTOMER_COLUMNS,
    STANDARD_KEYS,
    STANDARD_PROPERTIES,
    WRITABLE_FIELDS,
)
from customers import services, values
from customers.errors import DomainError, InvalidValue
from customers.http.errors import domain_status
from customers.identifiers import Identifier, identifier_value
from customers.models import Account, Customer, Tag
from customers.services import PropertyWrite
from customers.values import PropertyType

DOOR = "helpcrunch"
_UNIX_SECONDS = re.compile(r"-?\d{1,12}", re.ASCII)
_MAX_CODE_LENGTH = 80
TAG_EXAMPLE = '[{"name": "vip", "color": "#ff0000"}]'
CUSTOM_EXAMPLE = '{"property": "plan", "value": "pro"}'


@dataclass
class ProfileChange:
    """What one HelpCrunch write does to one customer."""

    fields: dict = field(default_factory=dict)  # customer_update fields
    writes: list[PropertyWrite] = field(default_factory=list)
    tags: list[tuple[str, str | None]] | None = None  # None: tags untouched; else replace
    # Unassign every custom property (not a standard field) that `writes` does not name.
    replace_custom_data: bool = False

    def creating_identifier(self) -> Identifier | None:
        """Return the identifier a new customer is created with: userId, else email, else phone."""
        for name in ("user_id", "email", "phone"):
            if self.fields.get(name) is not None:
                return Identifier(name, self.fields[name])
        return None


def customer_id(raw: object, field_name: str = "customer") -> int:
    """Return HelpCrunch's customer id (our customer_id), refusing anything but a number."""
    try:
        return identifier_value("customer_id", str(raw) if isinstance(raw, int) else raw)
    except DomainError:
        raise FieldError(
            field_name, "This value should be of type numeric: a customer id such as 542335."
        ) from None


def profile_change(body: object, *, replace: bool) -> ProfileChange:
    """Map a customer body (create, PUT or PATCH) to a ProfileChange.

    With `replace` (PUT), every standard field omitted becomes null or unassigned, tags
    omitted are removed, and custom data not sent is unassigned from this customer.
    Without it (PATCH), only the fields sent change; null clears that field.
    """
    if not isinstance(body, dict):
        raise FieldError("body", "The body is a JSON object of customer fields.")
    # HelpCrunch ignores fields it does not know ("city" in its own batch example).
    body = {name: value for name, value in body.items() if name in WRITABLE_FIELDS}
    change = ProfileChange()
    if "name" in body or replace:
        change.fields.update(_name_fields(body.get("name")))
    for wire, name in CUSTOMER_COLUMNS.items():
        if wire in body or replace:
            change.fields[name] = _column_value(wire, name, body.get(wire))
    for wire, (key, type_) in STANDARD_PROPERTIES.items():
        if wire in body or replace:
            change.writes.append(_standard_write(wire, key, type_, body.get(wire)))
    if "tags" in body or replace:
        change.tags = tag_pairs(body.get("tags"), "tags")
    if "customData" in body:
        change.writes.extend(_custom_writes(body["customData"]))
        change.replace_custom_data = replace or body["customData"] is None
    elif replace:
        change.replace_custom_data = True
    return change


def tag_pairs(raw: object, field_name: str) -> list[tuple[str, str | None]]:
    """Return [(name, color)] from `[{"name", "color"?}]` or `["name"]`; null is no tags."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FieldError(field_name, f"tags is a list such as {TAG_EXAMPLE}.")
    pairs = []
    for index, item in enumerate(raw):
        code = f"{field_name}[{index}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise FieldError(code, f"A tag is an object such as {TAG_EXAMPLE[1:-1]}.")
        extra = sorted(set(item) - {"name", "color", "id"})
        if extra:
            raise FieldError(f"{code}.{_code(extra[0])}", "A tag has a name and a color only.")
        name, color = item.get("name"), item.get("color")
        if not isinstance(name, str) or not name.strip():
            raise FieldError(f"{code}.name", "This value should not be blank.")
        if len(name.strip()) > Tag._meta.get_field("name").max_length:
            raise FieldError(f"{code}.name", "A tag name is at most 100 characters.")
        if color is not None and (not isinstance(color, str) or len(color) > 32):
            raise FieldError(f"{code}.color", "A tag color is a CSS color such as #c377e0.")
        pairs.append((name.strip(), color or None))
    return pairs


def _name_fields(raw: object) -> dict:
    """Split a name at its first space: "John Doe" -> first_name John, last_name Doe."""
    if raw is None:
        return {"first_name": "", "last_name": ""}
    if not isinstance(raw, str):
        raise FieldError("name", "This value should be of type string.")
    first, _, last = raw.strip().partition(" ")
    for part in (first, last.strip()):
        if len(part) > Customer._meta.get_field("first_name").max_length:
            raise FieldError("name", "Each part of a name is at most 150 characters.")
    return {"first_name": first, "last_name": last.strip()}


def _column_value(wire: str, name: str, raw: object):
    if name == "company":
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise FieldError(wire, "This value should be of type string.")
        if len(raw.strip()) > Customer._meta.get_field("company").max_length:
            raise FieldError(wire, "A company is at most 200 characters.")
        return raw.strip()
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise FieldError(wire, "This value should be of type string.")
    try:
        return identifier_value(name, raw)
    except DomainError as error:
        raise FieldError(wire, error.message) from None


def _standard_write(wire: str, key: str, type_: PropertyType, raw: object) -> PropertyWrite:
    if values.is_unassign(raw):
        # No type on an unassign: clearing never conflicts with the definition's type.
        return PropertyWrite(key, None)
    if type_ is PropertyType.DATE:
        raw = _unix_seconds(wire, raw)
    elif type_ is PropertyType.TEXT and not isinstance(raw, str):
        raise FieldError(wire, "This value should be of type string.")
    return PropertyWrite(key, raw, type_.value)


def _unix_seconds(wire: str, raw: object) -> int:
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and _UNIX_SECONDS.fullmatch(raw.strip()):
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > 253_402_300_799:
        raise FieldError(
            wire, 'This value should be a Unix timestamp in seconds, such as "1603885746".'
        )
    return raw


def _custom_writes(raw: object) -> list[PropertyWrite]:
    """Map customData, `[{"property", "value"}]` or `{property: value}`, to property writes."""
    if raw is None:
        return []
    writes = []
    names_by_key: dict[str, str] = {}
    for code, name, value in _custom_entries(raw):
        if not isinstance(name, str):
            raise FieldError(code, "A custom data property is named by a string.")
        try:
            key = values.normalize_key(name)
        except DomainError as error:
            raise FieldError(code, error.message) from None
        if key in names_by_key:
            raise FieldError(code, values.duplicate_key(names_by_key[key], name, key).message)
        names_by_key[key] = name
        if key in STANDARD_KEYS:
            raise FieldError(
                code,
                f"{_shown(name)} is HelpCrunch's standard field {STANDARD_KEYS[key]}: "
                "send it at the top level of the customer, not in customData.",
            )
        # A name that is not already a key ("Plan Tier") becomes the new definition's label.
        label = name.strip()[:200] if name.strip() != key else None
        writes.append(PropertyWrite(key, value, label=label))
    return writes


def _custom_entries(raw: object) -> list[tuple[str, object, object]]:
    """Return (error code, name, value) of each customData entry, in either of its shapes."""
    if isinstance(raw, dict):
        return [(f"customData.{_code(name)}", name, value) for name, value in raw.items()]
    if not isinstance(raw, list):
        raise FieldError("customData", 'customData is an object such as {"plan": "pro"}.')
    entries = []
    for index, item in enumerate(raw):
        code = f"customData[{index}]"
        if not isinstance(item, dict) or "property" not in item:
            raise FieldError(code, f"Each item is an object such as {CUSTOM_EXAMPLE}.")
        extra = sorted(set(item) - {"property", "value"})
        if extra:
            raise FieldError(
                f"{code}.{_code(extra[0])}", "An item has a property and a value only."
            )
        entries.append((f"{code}.property", item["property"], item.get("value")))
    return entries


def customer_json(customer: Customer) -> dict:
    """Return a customer in HelpCrunch's shape; `customers_with_values` must have run."""
    found = customer.property_values

    def standard(wire: str):
        key, _ = STANDARD_PROPERTIES[wire]
        return wire_value(*found[key]) if key in found else None

    return {
        "id": customer.pk,
        "name": customer.name or None,
        "email": customer.email,
        "userId": customer.user_id,
        "company": customer.company or None,
        "phone": customer.phone,
        # Documented as strings ("1603885746"), unlike dates inside customData.
        "firstSeen": _as_text(standard("firstSeen")),
        "lastSeen": _as_text(standard("lastSeen")),
        "location": None,
        "device": None,
        "unsubscribed": standard("unsubscribed"),
        "blocked": standard("blocked"),
        "source": standard("source"),
        "referer": standard("referer"),
        "lastPage": standard("lastPage"),
        "locale": standard("locale"),
        "createdFrom": None,
        "integrationId": None,
        "notes": standard("notes"),
        "tags": [{"name": tag.name, "color": tag.color} for tag in customer.tag_list],
        "customData": {
            key: wire_value(type_, stored)
            for key, (type_, stored) in found.items()
            if key not in STANDARD_KEYS
        },
    }


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


def wire_value(type_: PropertyType, stored) -> object:
    """Return a stored value as HelpCrunch sends it: dates as Unix seconds, the rest typed."""
    if type_ is PropertyType.DATE:
        if stored.tzinfo is None:
            stored = stored.replace(tzinfo=datetime.UTC)
        return math.floor(stored.timestamp())
    return values.to_json(stored, type_)


def _code(name: object) -> str:
    text = str(name)
    return text if len(text) <= _MAX_CODE_LENGTH else text[: _MAX_CODE_LENGTH - 1] + "…"


def _shown(name: object) -> str:
    return repr(_code(name))


def customer_create(*, account: Account, change: ProfileChange) -> Customer:
    """Create a customer from a HelpCrunch body (409 if its identifier is taken)."""
    identifier = change.creating_identifier()
    if identifier is None:
        raise FieldError("userId", "Send a userId, an email or a phone to create a customer.")
    identifier = Identifier(identifier.kind, identifier_value(identifier.kind, identifier.value))
    with transaction.atomic():
        customer = services.customer_create(account=account, identifier=identifier)
        customer_change(account=account, customer=customer, change=change)
    return customer


def customer_change(*, account: Account, customer: Customer, change: ProfileChange) -> Customer:
    """Apply `change`: PUT replaces the custom data, standard fields are kept apart.

    HelpCrunch stores any custom data value: one this service cannot store (a type its
    property refuses, an archived property, over a limit) is left out and recorded as a
    data issue while the rest is stored. A standard field's value of the wrong kind
    ("maybe" for `blocked`) refuses the request, as HelpCrunch refuses it.
    """
    clearing = [w for w in change.writes if values.is_unassign(w.value)]
    setting = [w for w in change.writes if not values.is_unassign(w.value)]
    with transaction.atomic():
        if change.tags is not None or clearing or change.replace_custom_data:
            services.customer_profile_change(
                account=account,
                customer=customer,
                fields=change.fields,
                writes=clearing,
                tags=change.tags,
                unassign_unnamed=change.replace_custom_data,
                keep_keys=frozenset(STANDARD_KEYS) | {w.key for w in setting},
            )
        elif change.fields:
            # The usual PATCH (fields and values): no nested transaction of its own, so it
            # costs the queries it cost before values were stored leniently.
            services.customer_update(customer=customer, fields=change.fields)
        if setting:
            result = services.customer_properties_set(
                account=account, customer=customer, writes=setting, all_or_nothing=False
            )
            _refuse_standard(result.refused)
            services.data_issues_record(
                account=account,
                door=DOOR,
                customer=customer,
                refused=result.refused,
                sent={w.key: w.value for w in setting},
            )
    return customer


def _refuse_standard(refused: list[services.RefusedProperty]) -> None:
    """Refuse the request for a standard field's invalid value, as HelpCrunch validates those."""
    for item in refused:
        if item.key in STANDARD_KEYS and isinstance(item.error, InvalidValue):
            raise FieldError(
                STANDARD_KEYS[item.key], item.error.message, status_code=domain_status(item.error)
            )


def event_json(event) -> dict:
    """Return a recorded event as HelpCrunch answers it."""
    return {
        "id": event.pk,
        "name": event.name,
        "data": event.properties,
        "createdAt": math.floor(event.occurred_at.timestamp()),
        "customer": event.customer_id,
    }
