"""Path converters shared by the native API and the pages, registered on import.

A path segment that does not match is a 404 before any query: the database is never
asked about a malformed key (PostgreSQL refuses NUL in text with an error).
"""

from django.urls import register_converter

from customers.values import KEY_REGEX


class PropertyKeyConverter:
    """Match only normalized property keys, so page names such as "new-property" never clash."""

    regex = KEY_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Here, not in a URL module: two URL modules use it, and Django refuses a second registration.
register_converter(PropertyKeyConverter, "property_key")
