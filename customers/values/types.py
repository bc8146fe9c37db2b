"""Property types, their names and aliases, the columns that store them, and size limits."""

import dataclasses
import datetime
import enum

from customers.errors import InvalidValue
from customers.values.messages import show

# A JSON property stores the object or array as sent (JSON types only, checked by coerce).
JsonValue = dict[str, object] | list[object]
StoredValue = str | float | bool | datetime.datetime | list[str] | JsonValue


class PropertyType(enum.StrEnum):
    """The canonical property types."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    URL = "url"
    COLLECTION = "collection"
    JSON = "json"

    @property
    def label(self) -> str:
        """Return the human-readable name of the type."""
        if self in (PropertyType.URL, PropertyType.JSON):
            return self.value.upper()
        return self.value.capitalize()


TYPE_ALIASES: dict[str, PropertyType] = {
    "string": PropertyType.TEXT,
    "int": PropertyType.INTEGER,
    "long": PropertyType.INTEGER,
    "double": PropertyType.NUMBER,
    "float": PropertyType.NUMBER,
    "decimal": PropertyType.NUMBER,
    "datetime": PropertyType.DATE,
    "list": PropertyType.COLLECTION,
    "array": PropertyType.COLLECTION,
    "object": PropertyType.JSON,
}

_TYPE_NAMES: dict[str, PropertyType] = {t.value: t for t in PropertyType} | TYPE_ALIASES

STORAGE_COLUMN: dict[PropertyType, str] = {
    PropertyType.TEXT: "value_text",
    PropertyType.URL: "value_text",
    PropertyType.NUMBER: "value_number",
    PropertyType.INTEGER: "value_number",
    PropertyType.BOOLEAN: "value_boolean",
    PropertyType.DATE: "value_datetime",
    PropertyType.COLLECTION: "value_list",
    PropertyType.JSON: "value_list",
}
VALUE_COLUMNS: tuple[str, ...] = (
    "value_text",
    "value_number",
    "value_boolean",
    "value_datetime",
    "value_list",
)


# A declared type fits a property of a wider type when each of its values is one of that
# type's values with the same meaning: an integer is a number, a URL is a text, a
# collection (an array of strings) is a JSON array. Anything else is a real mismatch, even
# where the value could be written as text (a date, a number, a boolean into text): the
# sender says the property means something else, so the property's type is for a person
# to change, not for a write to blur.
FITS_INTO: dict[PropertyType, PropertyType] = {
    PropertyType.INTEGER: PropertyType.NUMBER,
    PropertyType.URL: PropertyType.TEXT,
    PropertyType.COLLECTION: PropertyType.JSON,
}


def fits_into(declared: PropertyType, property_type: PropertyType) -> bool:
    """Say whether every value of the `declared` type is stored unchanged in meaning by a
    property of `property_type` (the same type, or a wider one)."""
    return declared is property_type or FITS_INTO.get(declared) is property_type


@dataclasses.dataclass(frozen=True)
class Limits:
    """Size limits applied by ``coerce`` (defaults from PRODUCT.md §3)."""

    text_max_length: int = 10_000
    collection_max_items: int = 100
    collection_item_max_length: int = 1_000
    url_max_length: int = 2_048
    # A JSON value's size as compact UTF-8 JSON, and how deeply it may nest.
    json_max_bytes: int = 16_384
    json_max_depth: int = 32


def parse_type(name: object) -> PropertyType:
    """Return the property type named by a canonical name or an alias, in any case."""
    if isinstance(name, str):
        cleaned = name.strip().lower()
        if cleaned in _TYPE_NAMES:
            return _TYPE_NAMES[cleaned]
    raise InvalidValue(
        f"Unknown property type {show(name)}: use one of "
        f"{', '.join(t.value for t in PropertyType)} "
        f"(or the aliases {', '.join(TYPE_ALIASES)}).",
        code="invalid_type",
    )


def is_unassign(value: object) -> bool:
    """Return whether the value unassigns the property (null or the empty string)."""
    return value is None or (isinstance(value, str) and value == "")


def infer_type(value: object) -> PropertyType:
    """Return the type of a new definition inferred from a JSON value.

    Strings are always text: they are never guessed to be dates or numbers. An array
    of strings, numbers and booleans is a collection; objects, and arrays holding
    anything else (objects, arrays, null), are JSON.
    """
    if isinstance(value, bool):
        return PropertyType.BOOLEAN
    if isinstance(value, int | float):
        return PropertyType.NUMBER
    if isinstance(value, list | tuple):
        if all(isinstance(item, str | int | float) for item in value):
            return PropertyType.COLLECTION
        return PropertyType.JSON
    if isinstance(value, dict):
        return PropertyType.JSON
    if isinstance(value, str):
        return PropertyType.TEXT
    raise InvalidValue(
        f"Cannot infer a property type from {show(value)}: send a string, number, "
        "boolean, array or object, or give the type explicitly."
    )
