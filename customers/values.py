"""Property types, value coercion and property keys (PRODUCT.md §3).

One shared module, used by every door (native API, vendor adapters, pages,
import): it turns an incoming value into the Python value stored in one of a
PropertyValue's typed columns, turns a stored value back into its wire form, and
normalizes property keys the Retently way. It is pure: no ORM, no DRF, and
settings are read only inside ``coerce`` (``TIME_ZONE``, when no zone is given).

Every refusal is an ``InvalidValue`` or ``InvalidKey`` whose message says what
to send instead; no input, however malformed, raises anything else.
"""

import dataclasses
import datetime
import decimal
import enum
import json
import math
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from customers.errors import InvalidKey, InvalidValue

StoredValue = str | float | bool | datetime.datetime | list[str]


class PropertyType(enum.StrEnum):
    """The canonical property types."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    URL = "url"
    COLLECTION = "collection"

    @property
    def label(self) -> str:
        """Return the human-readable name of the type."""
        return "URL" if self is PropertyType.URL else self.value.capitalize()


_TYPE_ALIASES: dict[str, PropertyType] = {
    "string": PropertyType.TEXT,
    "int": PropertyType.INTEGER,
    "long": PropertyType.INTEGER,
    "double": PropertyType.NUMBER,
    "float": PropertyType.NUMBER,
    "decimal": PropertyType.NUMBER,
    "datetime": PropertyType.DATE,
    "list": PropertyType.COLLECTION,
    "array": PropertyType.COLLECTION,
}

_TYPE_NAMES: dict[str, PropertyType] = {t.value: t for t in PropertyType} | _TYPE_ALIASES

STORAGE_COLUMN: dict[PropertyType, str] = {
    PropertyType.TEXT: "value_text",
    PropertyType.URL: "value_text",
    PropertyType.NUMBER: "value_number",
    PropertyType.INTEGER: "value_number",
    PropertyType.BOOLEAN: "value_boolean",
    PropertyType.DATE: "value_datetime",
    PropertyType.COLLECTION: "value_list",
}
VALUE_COLUMNS: tuple[str, ...] = (
    "value_text",
    "value_number",
    "value_boolean",
    "value_datetime",
    "value_list",
)

# A property key, unanchored: URL converters match path segments with it.
KEY_REGEX = r"[a-z][a-z0-9_]{0,63}"
KEY_PATTERN = re.compile(rf"^{KEY_REGEX}\Z")
_KEY_MAX_LENGTH = 64


@dataclasses.dataclass(frozen=True)
class Limits:
    """Size limits applied by ``coerce`` (defaults from PRODUCT.md §3)."""

    text_max_length: int = 10_000
    collection_max_items: int = 100
    collection_item_max_length: int = 1_000
    url_max_length: int = 2_048


# Integers are stored in a float column: beyond 2**53 they would silently lose digits.
_MAX_EXACT_INTEGER = 2**53
_SHOW_LIMIT = 60
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
_UNIX_SECONDS_RE = re.compile(r"-?\d+", re.ASCII)
_ISO_RE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII | re.IGNORECASE,
)
_US_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_YMD_SLASH_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_DATE_FORMS = (
    'ISO 8601 such as "2019-12-31T10:00:00Z", a date such as "2019-12-31", '
    '"MM/DD/YYYY", "YYYY/MM/DD" or Unix seconds such as 1603885746'
)
# The length is checked before validation, so the validator's own cap is lifted.
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])
_URL_VALIDATOR.max_length = 2**62


def parse_type(name: object) -> PropertyType:
    """Return the property type named by a canonical name or an alias, in any case."""
    if isinstance(name, str):
        cleaned = name.strip().lower()
        if cleaned in _TYPE_NAMES:
            return _TYPE_NAMES[cleaned]
    raise InvalidValue(
        f"Unknown property type {_show(name)}: use one of "
        f"{', '.join(t.value for t in PropertyType)} "
        f"(or the aliases {', '.join(_TYPE_ALIASES)}).",
        code="invalid_type",
    )


def is_unassign(value: object) -> bool:
    """Return whether the value unassigns the property (null or the empty string)."""
    return value is None or (isinstance(value, str) and value == "")


def infer_type(value: object) -> PropertyType:
    """Return the type of a new definition inferred from a JSON value.

    Strings are always text: they are never guessed to be dates or numbers.
    """
    if isinstance(value, bool):
        return PropertyType.BOOLEAN
    if isinstance(value, int | float):
        return PropertyType.NUMBER
    if isinstance(value, list | tuple):
        return PropertyType.COLLECTION
    if isinstance(value, str):
        return PropertyType.TEXT
    raise InvalidValue(
        f"Cannot infer a property type from {_show(value)}: send a string, number, "
        "boolean or array, or give the type explicitly."
    )


def coerce(
    value: object,
    type_: PropertyType,
    *,
    limits: Limits = Limits(),
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
        _refuse(
            f"Expected a value for {_noun(type_)}, got {_show(value)}",
            'use null or "" only to unassign the property',
            type_,
        )
    if isinstance(value, str):
        _check_storable(value, type_)
    match type_:
        case PropertyType.TEXT:
            return _coerce_text(value, type_, limits)
        case PropertyType.NUMBER:
            return _coerce_number(value, type_)
        case PropertyType.INTEGER:
            return _coerce_integer(value, type_)
        case PropertyType.BOOLEAN:
            return _coerce_boolean(value, type_)
        case PropertyType.DATE:
            return _coerce_date(value, type_, tz)
        case PropertyType.URL:
            return _coerce_url(value, type_, limits)
        case PropertyType.COLLECTION:
            return _coerce_collection(value, type_, limits)
    raise AssertionError(type_)  # pragma: no cover - the match is exhaustive


def to_json(stored: StoredValue, type_: PropertyType) -> object:
    """Return the wire form of a stored value.

    Numbers without a fraction are integers, dates are ISO 8601 in UTC and
    collections are lists of strings.
    """
    match type_:
        case PropertyType.NUMBER | PropertyType.INTEGER:
            number = float(stored)
            if number.is_integer() and abs(number) <= _MAX_EXACT_INTEGER:
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
    return str(stored)


def normalize_key(label: str) -> str:
    """Return the property key for a label, the Retently way.

    "New Property" becomes "new_property" and "firstName" becomes "first_name";
    accents are stripped, a leading digit gets a "p_" prefix and the key is cut
    to 64 characters. Raise ``InvalidKey`` when nothing usable is left, and when
    a character would be lost (a Cyrillic look-alike of "a", an invisible zero-width
    space): a key silently missing a letter would name another property.
    """
    if not isinstance(label, str):
        raise InvalidKey(f"Property label must be a string, got {_show(label)}.")
    key, lost = _key_and_lost_characters(label)
    if lost:
        raise _lost_characters(label, key, lost)
    if not key:
        raise InvalidKey(
            f"Property label {_show(label)} has no letters or digits to make a key from: "
            'use a label such as "Plan tier" or a key such as "plan_tier".'
        )
    return key


def keys_check_distinct(labels_and_keys: Iterable[tuple[str, str]]) -> None:
    """Refuse two labels of one request that normalize to the same key, naming both.

    Applying both would silently keep only the last value ("Plan" in fullwidth
    letters and "plan" are both "plan").
    """
    first_label: dict[str, str] = {}
    for label, key in labels_and_keys:
        if key in first_label:
            raise duplicate_key(first_label[key], label, key)
        first_label[key] = label


def duplicate_key(first: str, second: str, key: str) -> InvalidKey:
    """Return the refusal of two labels of one request that make the same key."""
    if first == second:
        names = f"{_show(first)} is sent twice"
    else:
        names = f'{_show(first)} and {_show(second)} both make the key "{key}"'
    return InvalidKey(
        f"{names}: send each property once.",
        code="duplicate_key",
        details={"key": key, "labels": [first, second]},
    )


def _key_and_lost_characters(label: str) -> tuple[str, list[str]]:
    """Return the key made from `label` and the characters of `label` it cannot keep.

    Compatibility forms become ASCII (a fullwidth "p" is "p") and accents are dropped ("é" is
    "e"); any other non-ASCII character is lost: a letter or digit is left out of
    the key, anything else separates words like a space.
    """
    kept: list[str] = []
    lost: list[str] = []
    for char in label if not label.isascii() else ():
        decomposed = unicodedata.normalize("NFKD", char)
        if all(part.isascii() or unicodedata.category(part) == "Mn" for part in decomposed):
            kept.append("".join(part for part in decomposed if part.isascii()))
        else:
            # A lost letter or digit leaves no trace; lost punctuation separates words.
            kept.append("" if unicodedata.category(char)[0] in "LN" else " ")
            if char not in lost:
                lost.append(char)
    ascii_label = label if label.isascii() else "".join(kept)
    # Split camelCase and acronyms ("HTTPStatus") before lower-casing loses the boundaries.
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", ascii_label)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words)
    key = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
    if key and key[0].isdigit():
        key = f"p_{key}"
    return key[:_KEY_MAX_LENGTH].rstrip("_"), lost


def _lost_characters(label: str, key: str, lost: list[str]) -> InvalidKey:
    shown = ", ".join(_describe_character(char) for char in lost[:3])
    if len(lost) > 3:
        shown += f" and {len(lost) - 3} more"
    message = (
        f"Property label {_show(label)} has characters a key cannot hold ({shown}): "
        "use ASCII letters, digits, spaces and underscores"
    )
    if not key:
        return InvalidKey(f"{message}.")
    return InvalidKey(f'{message} (for example "{key}").', details={"suggestion": key})


def _describe_character(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char)[0] in "CZ" or _SURROGATE_RE.fullmatch(char):
        return f"{code} {name}".rstrip()  # invisible or unprintable: name it only
    return f'"{char}" {code} {name}'.rstrip()


def validate_key(key: object) -> str:
    """Return the key if it is a normalized property key, else raise ``InvalidKey``.

    The message suggests the normalized form of the key when there is one.
    """
    if not isinstance(key, str):
        raise InvalidKey(f"Property key must be a string, got {_show(key)}.")
    if KEY_PATTERN.fullmatch(key):
        return key
    rule = "use lowercase letters, digits and underscores, starting with a letter"
    if len(key) > _KEY_MAX_LENGTH:
        rule += f", at most {_KEY_MAX_LENGTH} characters"
    suggestion, _ = _key_and_lost_characters(key)
    if not suggestion:
        raise InvalidKey(f"Property key {_show(key)} is not a valid key: {rule}.")
    raise InvalidKey(
        f'Property key {_show(key)} is not a valid key: {rule} (for example "{suggestion}").',
        details={"suggestion": suggestion},
    )


def _coerce_text(value: object, type_: PropertyType, limits: Limits) -> str:
    if isinstance(value, str):
        text = value
    elif (text := _scalar_text(value)) is None:
        _refuse(
            f"Expected text for {_noun(type_)}, got {_show(value)}",
            "send a string (numbers and booleans are stored as their text)",
            type_,
        )
    if len(text) > limits.text_max_length:
        _refuse(
            f"Text for {_noun(type_)} is at most {limits.text_max_length} characters, "
            f"got {len(text)} characters ({_show(value)})",
            "send a shorter text",
            type_,
        )
    return text


def _coerce_number(value: object, type_: PropertyType) -> float:
    if _inexact_integer(value):
        _refuse(
            f"Expected a number for {_noun(type_)} that can be stored exactly, got {_show(value)}",
            f"whole numbers beyond ±{_MAX_EXACT_INTEGER} lose digits as numbers; "
            "send it as a string to a text property",
            type_,
        )
    number = _finite_number(value)
    if number is not None:
        return number
    if isinstance(value, bool):
        hint = "send a number (booleans are not numbers; use a boolean property for them)"
    elif _is_not_finite(value):
        hint = "send a finite number (NaN and Infinity cannot be stored)"
    elif isinstance(value, int | decimal.Decimal) or _looks_numeric(value):
        hint = "the number is too large to store"
    else:
        hint = 'send a JSON number or a numeric string such as "15.99"'
    _refuse(f"Expected a number for {_noun(type_)}, got {_show(value)}", hint, type_)


def _inexact_integer(value: object) -> bool:
    """Say whether `value` is a whole number, written without a fraction or exponent, that
    a double would store with other digits (2**53 + 1 becomes 2**53)."""
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.lstrip("+-").isdigit()) or len(text) > 400:
            return False
        value = int(text)
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) <= _MAX_EXACT_INTEGER:
        return False
    try:
        return int(float(value)) != value
    except OverflowError:
        return False  # beyond any double: refused as too large to store


def _coerce_integer(value: object, type_: PropertyType) -> float:
    whole: int | None = None
    if isinstance(value, bool):
        _refuse(
            f"Expected a whole number for {_noun(type_)}, got {_show(value)}",
            "send a whole number (booleans are not numbers; use a boolean property for them)",
            type_,
        )
    if isinstance(value, int):
        whole = value
    elif isinstance(value, float | decimal.Decimal) and _is_whole(value):
        whole = int(value)
    elif isinstance(value, str) and _WHOLE_RE.fullmatch(value.strip()):
        try:
            whole = int(value.strip())
        except ValueError:  # more digits than Python converts; certainly out of range
            whole = _MAX_EXACT_INTEGER + 1
    if whole is None:
        _refuse(f"Expected a whole number for {_noun(type_)}, got {_show(value)}", None, type_)
    if abs(whole) > _MAX_EXACT_INTEGER:
        _refuse(
            f"Expected a whole number between -{_MAX_EXACT_INTEGER} and {_MAX_EXACT_INTEGER} "
            f"for {_noun(type_)}, got {_show(value)}",
            "larger integers cannot be stored exactly; use a text property",
            type_,
        )
    return float(whole)


def _coerce_boolean(value: object, type_: PropertyType) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[value.strip().lower()]
    _refuse(
        f'Expected true, false, 1, 0, "yes", "no", "y" or "n" for {_noun(type_)}, '
        f"got {_show(value)}",
        None,
        type_,
    )


def _coerce_date(
    value: object, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    expected = f"Expected a date for {_noun(type_)}, got {_show(value)}"
    try:
        if isinstance(value, datetime.datetime):
            moment = value if value.tzinfo is not None else value.replace(tzinfo=_zone(tz))
        elif isinstance(value, datetime.date):
            moment = datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            moment = _from_unix_seconds(value, expected, type_)
        elif isinstance(value, str):
            moment = _parse_date_text(value.strip(), expected, type_, tz)
        else:
            _refuse(expected, f"send {_DATE_FORMS}", type_)
        return moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError, OSError):
        _refuse(
            f"Expected a date between the years 1 and 9999 for {_noun(type_)}, got {_show(value)}",
            "Unix timestamps are in seconds, not milliseconds",
            type_,
        )


def _from_unix_seconds(value: float, expected: str, type_: PropertyType) -> datetime.datetime:
    if isinstance(value, float):
        if not math.isfinite(value):
            _refuse(expected, f"send {_DATE_FORMS}", type_)
        if not value.is_integer():
            _refuse(expected, "Unix timestamps are whole seconds", type_)
        value = int(value)
    return _EPOCH + datetime.timedelta(seconds=value)


def _parse_date_text(
    text: str, expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    if _UNIX_SECONDS_RE.fullmatch(text):
        return _EPOCH + datetime.timedelta(seconds=int(text))
    if match := _ISO_RE.fullmatch(text):
        return _from_iso_match(match, expected, type_, tz)
    if match := _US_DATE_RE.fullmatch(text):
        month, day, year = (int(part) for part in match.groups())
        if _is_calendar_date(year, month, day):
            return datetime.datetime(year, month, day, tzinfo=_zone(tz))
        if _is_calendar_date(year, day, month):
            # Never swapped: a lenient parser would silently store another day.
            _refuse(
                expected,
                "slash dates are read as MM/DD/YYYY and DD/MM/YYYY is not accepted; "
                f"use ISO 8601 such as {datetime.date(year, day, month).isoformat()}",
                type_,
            )
        _refuse(_not_a_calendar_date(expected), "send a real date as MM/DD/YYYY", type_)
    if match := _YMD_SLASH_RE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        if _is_calendar_date(year, month, day):
            return datetime.datetime(year, month, day, tzinfo=_zone(tz))
        _refuse(_not_a_calendar_date(expected), "send a real date as YYYY/MM/DD", type_)
    _refuse(expected, f"send {_DATE_FORMS}", type_)


def _from_iso_match(
    match: re.Match[str], expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    parts = match.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    if not _is_calendar_date(year, month, day):
        _refuse(_not_a_calendar_date(expected), "send a real date as YYYY-MM-DD", type_)
    if parts["hour"] is None:
        return datetime.datetime(year, month, day, tzinfo=datetime.UTC)
    hour, minute, second = int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        _refuse(expected, "the time must be between 00:00:00 and 23:59:59", type_)
    microsecond = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    offset = parts["offset"]
    if offset is None:
        zone = _zone(tz)
    elif offset.upper() == "Z":
        zone = datetime.UTC
    else:
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            _refuse(expected, "the UTC offset must be between -23:59 and +23:59", type_)
        delta = datetime.timedelta(hours=hours, minutes=minutes)
        zone = datetime.timezone(-delta if offset[0] == "-" else delta)
    return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=zone)


def parse_iso_datetime(value: object, *, tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """Return an ISO 8601 timestamp as an aware UTC datetime; refuse every other form.

    A date without time is UTC midnight; a time without offset is read in `tz`.
    """
    expected = f"Expected an ISO 8601 timestamp, got {_show(value)}"
    hint = "send a timestamp such as 2026-06-01T12:00:00Z"
    if not isinstance(value, str) or not (match := _ISO_RE.fullmatch(value.strip())):
        _refuse(expected, hint, PropertyType.DATE)
    try:
        return _from_iso_match(match, expected, PropertyType.DATE, tz).astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        _refuse(expected, hint, PropertyType.DATE)


def _coerce_url(value: object, type_: PropertyType, limits: Limits) -> str:
    expected = f"Expected an absolute http(s) URL for {_noun(type_)}, got {_show(value)}"
    hint = 'send a URL such as "https://example.com/page"'
    if not isinstance(value, str):
        _refuse(expected, hint, type_)
    url = value.strip()
    if len(url) > limits.url_max_length:
        _refuse(
            f"A URL for {_noun(type_)} is at most {limits.url_max_length} characters, "
            f"got {len(url)} characters ({_show(value)})",
            "send a shorter URL",
            type_,
        )
    try:
        _URL_VALIDATOR(url)
    except (ValidationError, ValueError, UnicodeError):
        _refuse(expected, hint, type_)
    return url


def _coerce_collection(value: object, type_: PropertyType, limits: Limits) -> list[str]:
    if isinstance(value, str):
        raw_items: list[object] | tuple[object, ...] = value.split(",")
    elif isinstance(value, list | tuple):
        raw_items = value
    else:
        _refuse(
            f"Expected an array or a comma-separated string for {_noun(type_)}, got {_show(value)}",
            'send an array of strings, numbers or booleans, or a string such as "a, b, c"',
            type_,
        )
    if len(raw_items) > limits.collection_max_items:
        _refuse(
            f"A collection property holds at most {limits.collection_max_items} items, "
            f"got {len(raw_items)} ({_show(value)})",
            "send fewer items",
            type_,
        )
    items: list[str] = []
    for position, raw in enumerate(raw_items, start=1):
        if isinstance(raw, str):
            _check_storable(raw, type_)
            item = raw.strip()
        elif (item := _scalar_text(raw)) is None:
            _refuse(
                f"Expected a string, number or boolean as item {position} of {_noun(type_)}, "
                f"got {_show(raw)}",
                "nested arrays, objects and null cannot be stored in a collection",
                type_,
            )
        if len(item) > limits.collection_item_max_length:
            _refuse(
                f"An item of {_noun(type_)} is at most {limits.collection_item_max_length} "
                f"characters, got {len(item)} characters in item {position} ({_show(raw)})",
                "send shorter items",
                type_,
            )
        if item:
            items.append(item)
    if isinstance(value, str) and not items:
        _refuse(
            f"Expected at least one item for {_noun(type_)}, got {_show(value)}",
            'send a string such as "a, b, c", [] for an empty collection, '
            'or null or "" to unassign the property',
            type_,
        )
    return items


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
        if value.is_integer() and abs(value) <= _MAX_EXACT_INTEGER:
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


def _is_calendar_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _not_a_calendar_date(expected: str) -> str:
    return expected.replace("Expected a date", "Expected a real calendar date", 1)


def _zone(tz: datetime.tzinfo | None) -> datetime.tzinfo:
    if tz is not None:
        return tz
    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE or "UTC")


def _check_storable(text: str, type_: PropertyType) -> None:
    """Refuse text the database cannot store: NUL characters and lone surrogates."""
    if "\x00" in text:
        _refuse(
            f"NUL characters (\\u0000) cannot be stored in {_noun(type_)}, got {_show(text)}",
            "remove them",
            type_,
        )
    if _SURROGATE_RE.search(text):
        _refuse(
            f"Lone surrogate characters cannot be stored in {_noun(type_)}, got {_show(text)}",
            "send valid UTF-8 text",
            type_,
        )


def _refuse(message: str, hint: str | None, type_: PropertyType) -> NoReturn:
    """Raise ``InvalidValue`` with the message and, after a colon, what to send instead."""
    text = f"{message}: {hint}." if hint else f"{message}."
    raise InvalidValue(text, details={"type": type_.value})


def _noun(type_: PropertyType) -> str:
    name = "URL" if type_ is PropertyType.URL else type_.value
    article = "an" if name[0] in "aeio" else "a"
    return f"{article} {name} property"


def _show(value: object) -> str:
    """Return the value as JSON-like text, shortened to about 60 characters."""
    text = _render(value, _SHOW_LIMIT)
    if not isinstance(value, str) and len(text) > _SHOW_LIMIT:
        text = text[: _SHOW_LIMIT - 1] + "…"
    # A lone surrogate in a message would break the UTF-8 encoding of an error response.
    return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _render(value: object, budget: int) -> str:
    if budget <= 0:
        return "…"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) <= budget:
            return json.dumps(value, ensure_ascii=False)
        return json.dumps(value[: budget - 3], ensure_ascii=False)[:-1] + '…"'
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:
            return "a very large integer"
    if isinstance(value, list | tuple):
        text = "["
        for item in value:
            if len(text) > budget:
                return text + "…"
            text += (", " if len(text) > 1 else "") + _render(item, budget - len(text))
        return text + "]"
    if isinstance(value, dict):
        text = "{"
        for key, item in value.items():
            if len(text) > budget:
                return text + "…"
            text += (", " if len(text) > 1 else "") + _render(key, budget - len(text)) + ": "
            text += _render(item, budget - len(text))
        return text + "}"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    try:
        return repr(value)[:budget]
    except Exception:  # an arbitrary object's repr may fail; the message must not
        return f"<{type(value).__name__}>"
