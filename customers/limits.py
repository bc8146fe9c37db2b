"""The configurable limits of PRODUCT.md §3, read from settings at call time."""

from django.conf import settings

from customers.values import Limits


def value_limits() -> Limits:
    return Limits(
        text_max_length=settings.CONTACTS_MAX_TEXT_LENGTH,
        collection_max_items=settings.CONTACTS_MAX_COLLECTION_ITEMS,
        json_max_bytes=settings.CONTACTS_MAX_JSON_BYTES,
    )


def max_keys_per_request() -> int:
    return settings.CONTACTS_MAX_KEYS_PER_REQUEST


def max_definitions() -> int:
    return settings.CONTACTS_MAX_DEFINITIONS


def max_body_bytes() -> int:
    return settings.CONTACTS_MAX_BODY_BYTES


# The import page's upload: a CSV file, far larger than any API body.
IMPORT_UPLOAD_PATH = "/customers/import/"


def max_import_bytes() -> int:
    return settings.CONTACTS_MAX_IMPORT_BYTES
