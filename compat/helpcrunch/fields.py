"""HelpCrunch's customer fields and where this service keeps each of them.

`name`, `email`, `userId`, `company` and `phone` are the Customer's own columns.
HelpCrunch's other standard fields are kept as typed properties under fixed keys,
and are never repeated inside `customData`. Fields this service cannot hold (location,
device, createdFrom, integrationId) and fields HelpCrunch does not know are accepted
and ignored on input, as HelpCrunch ignores unknown fields; the former are null on output.
"""

from customers.values import PropertyType

# Standard field -> (property key, property type).
STANDARD_PROPERTIES: dict[str, tuple[str, PropertyType]] = {
    "firstSeen": ("first_seen", PropertyType.DATE),
    "lastSeen": ("last_seen", PropertyType.DATE),
    "unsubscribed": ("unsubscribed", PropertyType.BOOLEAN),
    "blocked": ("blocked", PropertyType.BOOLEAN),
    "source": ("source", PropertyType.TEXT),
    "referer": ("referer", PropertyType.TEXT),
    "lastPage": ("last_page", PropertyType.TEXT),
    "locale": ("locale", PropertyType.TEXT),
    "notes": ("notes", PropertyType.TEXT),
}
STANDARD_KEYS: dict[str, str] = {key: field for field, (key, _) in STANDARD_PROPERTIES.items()}

# Customer columns: HelpCrunch field -> customer_update field (name is split in two).
CUSTOMER_COLUMNS: dict[str, str] = {
    "email": "email",
    "userId": "user_id",
    "phone": "phone",
    "company": "company",
}
WRITABLE_FIELDS = frozenset(
    {"id", "name", *CUSTOMER_COLUMNS, *STANDARD_PROPERTIES, "tags", "customData"}
)

# Identifier kinds and customer fields as named in HelpCrunch requests.
WIRE_NAMES: dict[str, str] = {
    "customer_id": "customer",
    "user_id": "userId",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "first_name": "name",
    "last_name": "name",
}


def property_field(key: str) -> str:
    """Return the request field of a property key: a standard field or `customData.<key>`."""
    return STANDARD_KEYS.get(key) or f"customData.{key}"
