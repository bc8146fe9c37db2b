"""Property keys: the key pattern, labels normalized the Retently way, and key refusals."""

import re
import unicodedata
from collections.abc import Iterable

from customers.errors import InvalidKey
from customers.values.messages import SURROGATE_RE, show

# A property key, unanchored: URL converters match path segments with it.
KEY_REGEX = r"[a-z][a-z0-9_]{0,63}"
KEY_PATTERN = re.compile(rf"^{KEY_REGEX}\Z")
KEY_MAX_LENGTH = 64
# How many lost characters a refusal names before counting the rest.
_LOST_SHOWN = 3


def normalize_key(label: str) -> str:
    """Return the property key for a label, the Retently way.

    "New Property" becomes "new_property" and "firstName" becomes "first_name";
    accents are stripped, a leading digit gets a "p_" prefix and the key is cut
    to 64 characters. Raise ``InvalidKey`` when nothing usable is left, and when
    a character would be lost (a Cyrillic look-alike of "a", an invisible zero-width
    space): a key silently missing a letter would name another property.
    """
    if not isinstance(label, str):
        raise InvalidKey(f"Property label must be a string, got {show(label)}.")
    key, lost = _key_and_lost_characters(label)
    if lost:
        raise _lost_characters(label, key, lost)
    if not key:
        raise InvalidKey(
            f"Property label {show(label)} has no letters or digits to make a key from: "
            'use a label such as "Plan tier" or a key such as "plan_tier".'
        )
    return key


def validate_key(key: object) -> str:
    """Return the key if it is a normalized property key, else raise ``InvalidKey``.

    The message suggests the normalized form of the key when there is one.
    """
    if not isinstance(key, str):
        raise InvalidKey(f"Property key must be a string, got {show(key)}.")
    if KEY_PATTERN.fullmatch(key):
        return key
    rule = "use lowercase letters, digits and underscores, starting with a letter"
    if len(key) > KEY_MAX_LENGTH:
        rule += f", at most {KEY_MAX_LENGTH} characters"
    suggestion, _ = _key_and_lost_characters(key)
    if not suggestion:
        raise InvalidKey(f"Property key {show(key)} is not a valid key: {rule}.")
    raise InvalidKey(
        f'Property key {show(key)} is not a valid key: {rule} (for example "{suggestion}").',
        details={"suggestion": suggestion},
    )


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
        names = f"{show(first)} is sent twice"
    else:
        names = f'{show(first)} and {show(second)} both make the key "{key}"'
    return InvalidKey(
        f"{names}: send each property once.",
        code="duplicate_key",
        details={"key": key, "labels": [first, second]},
    )


def _key_and_lost_characters(label: str) -> tuple[str, list[str]]:
    """Return the key made from `label` and the characters of `label` it cannot keep."""
    ascii_label, lost = _ascii_form(label)
    return _snake_case(ascii_label), lost


def _ascii_form(label: str) -> tuple[str, list[str]]:
    """Return `label` in ASCII and the characters that have no ASCII form.

    Compatibility forms become ASCII (a fullwidth "p" is "p") and accents are dropped ("é" is
    "e"); any other non-ASCII character is lost: a letter or digit is left out,
    anything else separates words like a space.
    """
    if label.isascii():
        return label, []
    kept: list[str] = []
    lost: list[str] = []
    for char in label:
        decomposed = unicodedata.normalize("NFKD", char)
        if all(part.isascii() or unicodedata.category(part) == "Mn" for part in decomposed):
            kept.append("".join(part for part in decomposed if part.isascii()))
            continue
        # A lost letter or digit leaves no trace; lost punctuation separates words.
        kept.append("" if unicodedata.category(char)[0] in "LN" else " ")
        if char not in lost:
            lost.append(char)
    return "".join(kept), lost


def _snake_case(ascii_label: str) -> str:
    """Return the key of an ASCII label: snake_case, "p_" before a digit, 64 characters."""
    # Split camelCase and acronyms ("HTTPStatus") before lower-casing loses the boundaries.
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", ascii_label)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words)
    key = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
    if key and key[0].isdigit():
        key = f"p_{key}"
    return key[:KEY_MAX_LENGTH].rstrip("_")


def _lost_characters(label: str, key: str, lost: list[str]) -> InvalidKey:
    shown = ", ".join(_describe_character(char) for char in lost[:_LOST_SHOWN])
    if len(lost) > _LOST_SHOWN:
        shown += f" and {len(lost) - _LOST_SHOWN} more"
    message = (
        f"Property label {show(label)} has characters a key cannot hold ({shown}): "
        "use ASCII letters, digits, spaces and underscores"
    )
    if not key:
        return InvalidKey(f"{message}.")
    return InvalidKey(f'{message} (for example "{key}").', details={"suggestion": key})


def _describe_character(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char)[0] in "CZ" or SURROGATE_RE.fullmatch(char):
        return f"{code} {name}".rstrip()  # invisible or unprintable: name it only
    return f'"{char}" {code} {name}'.rstrip()
