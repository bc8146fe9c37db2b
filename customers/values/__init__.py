"""Property types, value coercion and property keys (PRODUCT.md §3).

One shared package, used by every door (native API, vendor adapters, pages,
import): it turns an incoming value into the Python value stored in one of a
PropertyValue's typed columns, turns a stored value back into its wire form, and
normalizes property keys the Retently way. It is pure: no ORM, no DRF, and
settings are read only inside ``coerce`` (``TIME_ZONE``, when no zone is given).

Every refusal is an ``InvalidValue`` or ``InvalidKey`` whose message says what
to send instead; no input, however malformed, raises anything else.

- ``types``: the property types, their aliases, storage columns, size limits, and
  which declared types fit a wider property's type;
- ``coercion``: a value to what is stored for its type, and back to JSON;
- ``dates``: the date forms read, and ISO 8601 timestamps;
- ``keys``: the key pattern, labels normalized to keys, key refusals;
- ``messages``: how refusals show values and name types.
"""

from customers.values.coercion import coerce, coerce_declared, to_json
from customers.values.dates import parse_iso_datetime
from customers.values.keys import (
    KEY_PATTERN,
    KEY_REGEX,
    duplicate_key,
    keys_check_distinct,
    normalize_key,
    validate_key,
)
from customers.values.types import (
    FITS_INTO,
    STORAGE_COLUMN,
    VALUE_COLUMNS,
    Limits,
    PropertyType,
    StoredValue,
    fits_into,
    infer_type,
    is_unassign,
    parse_type,
)

__all__ = [
    "FITS_INTO",
    "KEY_PATTERN",
    "KEY_REGEX",
    "STORAGE_COLUMN",
    "VALUE_COLUMNS",
    "Limits",
    "PropertyType",
    "StoredValue",
    "coerce",
    "coerce_declared",
    "duplicate_key",
    "fits_into",
    "infer_type",
    "is_unassign",
    "keys_check_distinct",
    "normalize_key",
    "parse_iso_datetime",
    "parse_type",
    "to_json",
    "validate_key",
]
