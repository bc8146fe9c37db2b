"""Coercion: an incoming value to the Python value stored for its type, and back to JSON.

Every refusal is an ``InvalidValue`` whose message says what to send instead; no
input, however malformed, raises anything else.
"""

import datetime
import decimal
import json
import math
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from customers.values.dates import coerce_date
from customers.values.messages import SURROGATE_RE, noun, refuse, show
from customers.values.types import (
    JsonValue,
    Limits,
    PropertyType,
    StoredValue,
    is_unassign,
    parse_type,
)

_DEFAULT_LIMITS = Limits()
# Integers are stored in a float column: beyond 2**53 they would silently lose digits.
MAX_EXACT_INTEGER = 2**53
# Digit strings longer than this are beyond any double: not worth converting to check.
_MAX_INTEGER_DIGITS = 400
_BOOLEAN_WORDS = {
    "true": True,
    "1": True,
    "yes": True,
    "y": True,
    "false": False,
    "0": False,
    "no": False,
    "n": False,
}
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NOT_FINITE_RE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_WHOLE_RE = re.compile(r"[+-]?\d+", re.ASCII)
# The length is checked before validation, so the validator's own cap is lifted.
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])
_URL_VALIDATOR.max_length = 2**62


def coerce(
    value: object,
    type_: PropertyType,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    tz: datetime.tzinfo | None = None,
) -> StoredValue:
    """Return the value to store for a property of the given type.

    ``tz`` is the zone of dates sent without one; it defaults to the server's
    ``TIME_ZONE``. Raise ``InvalidValue``, saying what to send instead, when the
    value cannot be stored as that type. Callers check ``is_unassign`` first.
    """
    if not isinstance(type_, PropertyType):
        type_ = parse_type(type_)
    if is_unassign(value):
        refuse(
            f"Expected a value for {noun(type_)}, got {show(value)}",
            'use null or "" only to unassign the property',
            type_,
        )
    if isinstance(value, str):
        check_storable(value, type_)
    return _COERCERS[type_](value, type_, limits, tz)


def coerce_declared(
    value: object,
    declared: PropertyType,
    property_type: PropertyType,
    *,
    limits: Limits = _DEFAULT_LIMITS,
) -> StoredValue:
    """Return the value to store for a property of `property_type` when the sender declared
    it as `declared`, a type that fits into it (``fits_into``).

    The value must be a valid `declared` value; its wire form is then stored in the
    property's type, as a type change would convert it (2 as an integer is the number 2,
    a collection a JSON array of its items as strings).
    """
    wire = to_json(coerce(value, declared, limits=limits), declared)
    return coerce(wire, property_type, limits=limits)


def to_json(stored: StoredValue, type_: PropertyType) -> object:
    """Return the wire form of a stored value.

    Numbers without a fraction are integers, dates are ISO 8601 in UTC,
    collections are lists of strings and JSON values are as they were stored.
    """
    match type_:
        case PropertyType.NUMBER | PropertyType.INTEGER:
            number = float(stored)
            if number.is_integer() and abs(number) <= MAX_EXACT_INTEGER:
                return int(number)
            return number
        case PropertyType.BOOLEAN:
            return bool(stored)
        case PropertyType.DATE:
            if stored.tzinfo is None:
                stored = stored.replace(tzinfo=datetime.UTC)
            return stored.astimezone(datetime.UTC).isoformat()
        case PropertyType.COLLECTION:
            return [str(item) for item in stored]
        case PropertyType.JSON:
            return stored
    return str(stored)


def check_storable(text: str, type_: PropertyType) -> None:
    """Refuse text the database cannot store: NUL characters and lone surrogates."""
    if "\x00" in text:
        refuse(
            f"NUL characters (\\u0000) cannot be stored in {noun(type_)}, got {show(text)}",
            "remove them",
            type_,
        )
    if SURROGATE_RE.search(text):
        refuse(
            f"Lone surrogate characters cannot be stored in {noun(type_)}, got {show(text)}",
            "send valid UTF-8 text",
            type_,
        )


def _coerce_text(value: object, type_: PropertyType, limits: Limits, tz: object) -> str:
    if isinstance(value, str):
        text = value
    elif (text := _scalar_text(value)) is None:
        refuse(
            f"Expected text for {noun(type_)}, got {show(value)}",
            "send a string (numbers and booleans are stored as their text)",
            type_,
        )
    if len(text) > limits.text_max_length:
        refuse(
            f"Text for {noun(type_)} is at most {limits.text_max_length} characters, "
            f"got {len(text)} characters ({show(value)})",
            "send a shorter text",
            type_,
        )
    return text


def _coerce_number(value: object, type_: PropertyType, limits: Limits, tz: object) -> float:
    if _inexact_integer(value):
        refuse(
            f"Expected a number for {noun(type_)} that can be stored exactly, got {show(value)}",
            f"whole numbers beyond ±{MAX_EXACT_INTEGER} lose digits as numbers; "
            "send it as a string to a text property",
            type_,
        )
    number = _finite_number(value)
    if number is not None:
        return number
    refuse(f"Expected a number for {noun(type_)}, got {show(value)}", _number_hint(value), type_)


def _number_hint(value: object) -> str:
    """Return what to send instead of a value that is not a finite number."""
    if isinstance(value, bool):
        return "send a number (booleans are not numbers; use a boolean property for them)"
    if _is_not_finite(value):
        return "send a finite number (NaN and Infinity cannot be stored)"
    if isinstance(value, int | decimal.Decimal) or _looks_numeric(value):
        return "the number is too large to store"
    return 'send a JSON number or a numeric string such as "15.99"'


def _inexact_integer(value: object) -> bool:
    """Say whether `value` is a whole number, written without a fraction or exponent, that
    a double would store with other digits (2**53 + 1 becomes 2**53)."""
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.lstrip("+-").isdigit()) or len(text) > _MAX_INTEGER_DIGITS:
            return False
        value = int(text)
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) <= MAX_EXACT_INTEGER:
        return False
    try:
        return int(float(value)) != value
    except OverflowError:
        return False  # beyond any double: refused as too large to store


def _coerce_integer(value: object, type_: PropertyType, limits: Limits, tz: object) -> float:
    if isinstance(value, bool):
        refuse(
            f"Expected a whole number for {noun(type_)}, got {show(value)}",
            "send a whole number (booleans are not numbers; use a boolean property for them)",
            type_,
        )
    whole = _whole_number(value)
    if whole is None:
        refuse(f"Expected a whole number for {noun(type_)}, got {show(value)}", None, type_)
    if abs(whole) > MAX_EXACT_INTEGER:
        refuse(
            f"Expected a whole number between -{MAX_EXACT_INTEGER} and {MAX_EXACT_INTEGER} "
            f"for {noun(type_)}, got {show(value)}",
            "larger integers cannot be stored exactly; use a text property",
            type_,
        )
    return float(whole)


def _whole_number(value: object) -> int | None:
    """Return the integer a value writes without a fraction, or None when it has one."""
    if isinstance(value, int):
        return value
    if isinstance(value, float | decimal.Decimal) and _is_whole(value):
        return int(value)
    if isinstance(value, str) and _WHOLE_RE.fullmatch(value.strip()):
        try:
            return int(value.strip())
        except ValueError:  # more digits than Python converts; certainly out of range
            return MAX_EXACT_INTEGER + 1
    return None


def _coerce_boolean(value: object, type_: PropertyType, limits: Limits, tz: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[value.strip().lower()]
    refuse(
        f'Expected true, false, 1, 0, "yes", "no", "y" or "n" for {noun(type_)}, got {show(value)}',
        None,
        type_,
    )


def _coerce_date(
    value: object, type_: PropertyType, limits: Limits, tz: datetime.tzinfo | None
) -> datetime.datetime:
    return coerce_date(value, type_, tz)


def _coerce_url(value: object, type_: PropertyType, limits: Limits, tz: object) -> str:
    expected = f"Expected an absolute http(s) URL for {noun(type_)}, got {show(value)}"
    hint = 'send a URL such as "https://example.com/page"'
    if not isinstance(value, str):
        refuse(expected, hint, type_)
    url = value.strip()
    if len(url) > limits.url_max_length:
        refuse(
            f"A URL for {noun(type_)} is at most {limits.url_max_length} characters, "
            f"got {len(url)} characters ({show(value)})",
            "send a shorter URL",
            type_,
        )
    try:
        _URL_VALIDATOR(url)
    except (ValidationError, ValueError, UnicodeError):
        refuse(expected, hint, type_)
    return url


def _coerce_collection(value: object, type_: PropertyType, limits: Limits, tz: object) -> list[str]:
    raw_items = _collection_raw_items(value, type_)
    if len(raw_items) > limits.collection_max_items:
        refuse(
            f"A collection property holds at most {limits.collection_max_items} items, "
            f"got {len(raw_items)} ({show(value)})",
            "send fewer items",
            type_,
        )
    items = [
        item
        for position, raw in enumerate(raw_items, start=1)
        if (item := _collection_item(raw, position, type_, limits))
    ]
    if isinstance(value, str) and not items:
        refuse(
            f"Expected at least one item for {noun(type_)}, got {show(value)}",
            'send a string such as "a, b, c", [] for an empty collection, '
            'or null or "" to unassign the property',
            type_,
        )
    return items


def _collection_raw_items(value: object, type_: PropertyType) -> list[object] | tuple[object, ...]:
    """Return the items of an array, or of a comma-separated string."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list | tuple):
        return value
    refuse(
        f"Expected an array or a comma-separated string for {noun(type_)}, got {show(value)}",
        'send an array of strings, numbers or booleans, or a string such as "a, b, c"',
        type_,
    )


def _collection_item(raw: object, position: int, type_: PropertyType, limits: Limits) -> str:
    """Return one item as stored text ("" for a blank item, which is dropped)."""
    if isinstance(raw, str):
        check_storable(raw, type_)
        item = raw.strip()
    elif (item := _scalar_text(raw)) is None:
        refuse(
            f"Expected a string, number or boolean as item {position} of {noun(type_)}, "
            f"got {show(raw)}",
            "nested arrays, objects and null cannot be stored in a collection",
            type_,
        )
    if len(item) > limits.collection_item_max_length:
        refuse(
            f"An item of {noun(type_)} is at most {limits.collection_item_max_length} "
            f"characters, got {len(item)} characters in item {position} ({show(raw)})",
            "send shorter items",
            type_,
        )
    return item


def _scalar_text(value: object) -> str | None:
    """Return the text form of a number or boolean, or None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # beyond Python's integer-to-text digit limit
            return None
    if isinstance(value, float) and math.isfinite(value):
        if value.is_integer() and abs(value) <= MAX_EXACT_INTEGER:
            return str(int(value))
        return repr(value)
    return None


def _finite_number(value: object) -> float | None:
    """Return the value as a finite float, or None when it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _NUMBER_RE.fullmatch(value.strip()):
            return None
        value = value.strip()
    elif not isinstance(value, int | float | decimal.Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_whole(value: float | decimal.Decimal) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return value.is_finite() and value == value.to_integral_value()


def _is_not_finite(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, decimal.Decimal):
        return not value.is_finite()
    return isinstance(value, str) and bool(_NOT_FINITE_RE.fullmatch(value.strip()))


def _looks_numeric(value: object) -> bool:
    return isinstance(value, str) and bool(_NUMBER_RE.fullmatch(value.strip()))


def _coerce_json(value: object, type_: PropertyType, limits: Limits, tz: object) -> JsonValue:
    """Return an object or array, or the one a string writes as JSON text, checked."""
    parsed = _json_text(value, type_) if isinstance(value, str) else value
    if not isinstance(parsed, dict | list | tuple):
        refuse(
            f"Expected a JSON object or array for {noun(type_)}, got {show(value)}",
            'send an object such as {"city": "Berlin"} or an array; single values belong '
            "in text, number or boolean properties",
            type_,
        )
    checked = _json_checked(parsed, 1, type_, limits)
    size = len(json.dumps(checked, ensure_ascii=False, separators=(",", ":")).encode())
    if size > limits.json_max_bytes:
        refuse(
            f"A value of {noun(type_)} is at most {limits.json_max_bytes} bytes as JSON, "
            f"got {size} bytes ({show(value)})",
            "send a smaller object",
            type_,
        )
    return checked


def _json_text(text: str, type_: PropertyType) -> object:
    """Return what JSON text in a string writes (a form or a CSV cell sends it so)."""
    try:
        # NaN and Infinity are read, then refused with what JSON holds instead.
        return json.loads(text)
    except (ValueError, RecursionError):
        refuse(
            f"Expected a JSON object or array for {noun(type_)}, got {show(text)}",
            'send an object or an array, or its JSON text such as {"city": "Berlin"}',
            type_,
        )


def _json_checked(value: object, depth: int, type_: PropertyType, limits: Limits) -> object:
    """Return `value` as plain JSON data: finite numbers, storable strings, string keys."""
    if isinstance(value, dict | list | tuple) and depth > limits.json_max_depth:
        refuse(
            f"A value of {noun(type_)} nests at most {limits.json_max_depth} levels deep, "
            f"got {show(value)} at level {depth}",
            "send a flatter object",
            type_,
        )
    if isinstance(value, dict):
        checked = {}
        for key, item in value.items():
            if not isinstance(key, str):
                refuse(
                    f"Keys of objects in {noun(type_)} are strings, got {show(key)}",
                    "send the key as a string",
                    type_,
                )
            check_storable(key, type_)
            checked[key] = _json_checked(item, depth + 1, type_, limits)
        return checked
    if isinstance(value, list | tuple):
        return [_json_checked(item, depth + 1, type_, limits) for item in value]
    if isinstance(value, str):
        check_storable(value, type_)
        return value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float | decimal.Decimal):
        number = _finite_number(value)
        if number is None:
            _json_refuse(value, type_)
        return number
    if isinstance(value, int) and _scalar_text(value) is not None:
        return value
    _json_refuse(value, type_)


def _json_refuse(value: object, type_: PropertyType) -> None:
    refuse(
        f"Cannot store {show(value)} in {noun(type_)}",
        "JSON holds strings, finite numbers, booleans, null, arrays and objects with string keys",
        type_,
    )


_COERCERS: dict[PropertyType, Callable[..., StoredValue]] = {
    PropertyType.TEXT: _coerce_text,
    PropertyType.NUMBER: _coerce_number,
    PropertyType.INTEGER: _coerce_integer,
    PropertyType.BOOLEAN: _coerce_boolean,
    PropertyType.DATE: _coerce_date,
    PropertyType.URL: _coerce_url,
    PropertyType.COLLECTION: _coerce_collection,
    PropertyType.JSON: _coerce_json,
}
