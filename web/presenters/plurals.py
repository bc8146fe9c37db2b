"""Nouns that agree with a count, for the messages and labels people read."""

from django.utils.translation import ngettext


def counted(count: int, singular: str, plural: str = "") -> str:
    """Return the count and the noun that agrees with it: "1 value", "1,234 values".

    `plural` defaults to `singular` + "s" ("property", "properties" needs both).
    """
    return f"{count:,} {ngettext(singular, plural or f'{singular}s', count)}"
