"""Property types, their names and aliases, the columns that store them, and size limits."""

import dataclasses
import datetime
import enum

from customers.errors import InvalidValue
from customers.values.messages import show

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
}
VALUE_COLUMNS: tuple[str, ...] = (
    "value_text",
    "value_number",
    "value_boolean",
    "value_datetime",
    "value_list",
)


@dataclasses.dataclass(frozen=True)
class Limits:
    """Size limits applied by ``coerce`` (defaults from PRODUCT.md §3)."""

    text_max_length: int = 10_000
    collection_max_items: int = 100
    collection_item_max_length: int = 1_000
    url_max_length: int = 2_048


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
        f"Cannot infer a property type from {show(value)}: send a string, number, "
        "boolean or array, or give the type explicitly."
    )
