"""Refusal messages: how a value is shown, how a type is named, and the refusal itself.

Every refusal says what was expected, shows what was sent (shortened to about 60
characters, never breaking UTF-8) and, after a colon, what to send instead.
"""

import datetime
import enum
import json
import math
import re
from collections.abc import Callable
from typing import NoReturn

from customers.errors import InvalidValue

SHOW_LIMIT = 60
SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A PropertyType; named by its base class, as the types module imports this one.
TypeName = enum.StrEnum


def refuse(message: str, hint: str | None, type_: TypeName) -> NoReturn:
    """Raise ``InvalidValue`` with the message and, after a colon, what to send instead."""
    text = f"{message}: {hint}." if hint else f"{message}."
    raise InvalidValue(text, details={"type": type_.value})


def noun(type_: TypeName) -> str:
    """Return the type as the object of a sentence: "a text property", "an integer property"."""
    name = type_.value.upper() if type_ in ("url", "json") else type_.value
    article = "an" if name[0] in "aeio" else "a"
    return f"{article} {name} property"


def show(value: object) -> str:
    """Return the value as JSON-like text, shortened to about 60 characters."""
    text = render(value, SHOW_LIMIT)
    if not isinstance(value, str) and len(text) > SHOW_LIMIT:
        text = text[: SHOW_LIMIT - 1] + "…"
    # A lone surrogate in a message would break the UTF-8 encoding of an error response.
    return SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(value: object, budget: int) -> str:
    """Return the value as JSON-like text of about `budget` characters."""
    if budget <= 0:
        return "…"
    if value is None:
        return "null"
    for kinds, renderer in _RENDERERS:
        if isinstance(value, kinds):
            return renderer(value, budget)
    return _render_other(value, budget)


def _render_boolean(value: bool, budget: int) -> str:
    return "true" if value else "false"


def _render_string(value: str, budget: int) -> str:
    if len(value) <= budget:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value[: budget - 3], ensure_ascii=False)[:-1] + '…"'


def _render_float(value: float, budget: int) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _render_integer(value: int, budget: int) -> str:
    try:
        return str(value)
    except ValueError:  # beyond Python's integer-to-text digit limit
        return "a very large integer"


def _render_sequence(value: list | tuple, budget: int) -> str:
    text = "["
    for item in value:
        if len(text) > budget:
            return text + "…"
        text += (", " if len(text) > 1 else "") + render(item, budget - len(text))
    return text + "]"


def _render_mapping(value: dict, budget: int) -> str:
    text = "{"
    for key, item in value.items():
        if len(text) > budget:
            return text + "…"
        text += (", " if len(text) > 1 else "") + render(key, budget - len(text)) + ": "
        text += render(item, budget - len(text))
    return text + "}"


def _render_isoformat(value: datetime.date | datetime.time, budget: int) -> str:
    return value.isoformat()


def _render_other(value: object, budget: int) -> str:
    try:
        return repr(value)[:budget]
    except Exception:  # an arbitrary object's repr may fail; the message must not
        return f"<{type(value).__name__}>"


# Booleans before integers: a bool is an int.
_RENDERERS: tuple[tuple[type | tuple[type, ...], Callable[..., str]], ...] = (
    (bool, _render_boolean),
    (str, _render_string),
    (float, _render_float),
    (int, _render_integer),
    ((list, tuple), _render_sequence),
    (dict, _render_mapping),
    ((datetime.date, datetime.time), _render_isoformat),
)
