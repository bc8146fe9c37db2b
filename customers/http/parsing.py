"""Strict parsing of JSON and form bodies, shared by every door.

Refused, each with a message that says what to fix: invalid UTF-8, malformed JSON,
NaN/Infinity and numbers too large for a double (`1e400`), integers too long to read,
duplicate keys in one object, nesting deeper than `MAX_DEPTH`, and NUL characters or
lone surrogates in any key or string (neither can be stored: PostgreSQL refuses NUL in
text, and lone surrogates are not UTF-8).
"""

import json
import math
import re
from urllib.parse import parse_qsl

from django.http import QueryDict

from customers.http.errors import MalformedBody, MalformedQuery, printable

MAX_DEPTH = 32
MAX_FORM_FIELDS = 1000
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(ValueError):
    """Raised from inside json.loads' hooks; becomes MalformedBody with its message."""


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _Refused(f"the number {text[:40]} is out of range (largest is about 1.8e308)")
    return number


def _refuse_constant(name: str):
    raise _Refused(f"{name} is not valid JSON; send a number or null")


def _unique_object(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"the key {key!r} appears twice in one object; send it once")
            seen.add(key)
    return obj


def loads_strict(body: bytes):
    """Parse a JSON body, refusing anything that cannot be stored exactly as sent."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBody(f"The body is not valid UTF-8 (byte {error.start}).") from None
    try:
        data = json.loads(
            text,
            parse_float=_finite_float,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_object,
        )
    except _Refused as error:
        raise MalformedBody(printable(f"Malformed JSON: {error}.")) from None
    except RecursionError:
        raise MalformedBody(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as error:
        # json.JSONDecodeError, and int() refusing an integer of thousands of digits.
        raise MalformedBody(printable(f"Malformed JSON: {error}.")) from None
    if "\\u" in text or text.count("{") + text.count("[") >= MAX_DEPTH:
        # Only an escape can put NUL or a lone surrogate in a parsed string (UTF-8 cannot
        # encode surrogates, and JSON refuses raw control characters), and only that many
        # brackets can nest that deep: other bodies need no walk.
        refuse_unstorable(data)
    return data


def refuse_unstorable(data) -> None:
    """Refuse NUL, lone surrogates and deep nesting anywhere in parsed JSON."""
    stack = [(data, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list) and depth >= MAX_DEPTH:
            raise MalformedBody(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, str):
            refuse_unstorable_text(item, path)
        elif isinstance(item, dict):
            for key, value in item.items():
                child = f"{path}.{key}".lstrip(".")
                refuse_unstorable_text(key, f"{child} key")
                stack.append((value, child, depth + 1))
        elif isinstance(item, list):
            stack.extend((value, f"{path}[{i}]", depth + 1) for i, value in enumerate(item))


def refuse_unstorable_text(text: str, where: str, error=MalformedBody) -> None:
    where = where or "the body"
    if "\x00" in text:
        raise error(printable(f"NUL characters are not allowed (in {where})."))
    if _SURROGATE.search(text):
        raise error(printable(f"Unpaired UTF-16 surrogates are not allowed (in {where})."))


def form_strict(body: bytes) -> QueryDict:
    """Parse a form-encoded body, refusing invalid UTF-8 (also when percent-encoded) and NUL.

    A JSON document sent with a form content type (`curl -d '{...}'` without a
    Content-Type header) is refused: read as a form it is one field name with no value.
    """
    if body.lstrip()[:1] in (b"{", b"["):
        raise MalformedBody(
            "The body is JSON but was sent as a form (Content-Type: "
            "application/x-www-form-urlencoded); send it with Content-Type: application/json."
        )
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except UnicodeDecodeError:
        raise MalformedBody("The form body is not valid UTF-8 once percent-decoded.") from None
    except ValueError:
        raise MalformedBody(f"The form has more than {MAX_FORM_FIELDS} fields.") from None
    form = QueryDict(mutable=True)
    for key, value in pairs:
        refuse_unstorable_text(key, "a form field name")
        refuse_unstorable_text(value, f"form field {key!r}")
        form.appendlist(key, value)
    form._mutable = False
    return form


def refuse_unstorable_query(params) -> None:
    """Refuse NUL or lone surrogates in a query string's names and values."""
    for name, values in params.lists():
        refuse_unstorable_text(name, "a query parameter name", MalformedQuery)
        for value in values:
            refuse_unstorable_text(value, f"query parameter {name!r}", MalformedQuery)
