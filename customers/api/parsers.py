"""A strict JSON parser: size limit, no NaN/Infinity, no NUL characters."""

import json
import re

from django.http import QueryDict
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import FormParser, JSONParser

from customers import limits


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class NulCharacter(ParseError):
    default_code = "nul_character"


def read_limited(stream, meta) -> bytes:
    """Read the request body, refusing one over the configured size."""
    maximum = limits.max_body_bytes()
    too_large = PayloadTooLarge(f"The request body is over {maximum} bytes; send less per request.")
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > maximum:
        raise too_large
    body = stream.read(maximum + 1) if stream is not None else b""
    if len(body) > maximum:
        raise too_large
    return body


_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_nul(data, path: str = "") -> None:
    """Raise NulCharacter if any key or string in `data` holds a NUL or a lone surrogate.

    Neither can be stored: PostgreSQL refuses NUL in text, and lone surrogates are not UTF-8.
    """
    if isinstance(data, str):
        if "\x00" in data:
            raise NulCharacter(f"NUL characters are not allowed (in {path or 'the body'}).")
        if _SURROGATE.search(data):
            raise NulCharacter(
                f"Unpaired UTF-16 surrogates are not allowed (in {path or 'the body'})."
            )
    elif isinstance(data, dict):
        for key, value in data.items():
            refuse_nul(key, f"{path}.{key}".lstrip(".") + " key")
            refuse_nul(value, f"{path}.{key}".lstrip("."))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            refuse_nul(item, f"{path}[{index}]")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def loads_strict(body: bytes):
    """Parse JSON, refusing NaN/Infinity, invalid UTF-8, deep nesting and NUL characters."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ParseError("The body is not valid UTF-8.") from None
    except (ValueError, RecursionError) as error:
        raise ParseError(f"Malformed JSON: {error}.") from None
    refuse_nul(data)
    return data


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        body = read_limited(stream, request.META if request is not None else {})
        if not body.strip():
            return {}
        return loads_strict(body)


class StrictFormParser(FormParser):
    """Form-encoded bodies (curl -d) with the same size limit and NUL refusal as JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        body = read_limited(stream, request.META if request is not None else {})
        try:
            form = QueryDict(body, encoding="utf-8")
        except UnicodeDecodeError:
            raise ParseError("The body is not valid UTF-8.") from None
        for key, values in form.lists():
            refuse_nul(key, "form field name")
            for value in values:
                refuse_nul(value, key)
        return form
