"""HelpCrunch's error list: `{"errors": [{"code": "invalid_request", ...}, {"code", "message"}]}`.

The second entry's code names the failing field ("email", "customData.seats",
"filter[0].field"), or says what went wrong ("unauthorized", "not_found",
"too_many_requests").
"""

from contextlib import contextmanager
from dataclasses import replace

from compat.helpcrunch.fields import WIRE_NAMES, property_field
from customers.errors import CustomerNotFound, DomainError, InvalidInput, NotFound
from customers.http.errors import (
    ErrorRecord,
    domain_status,
    error_response,
)

CHALLENGE = 'Bearer realm="HelpCrunch API v1"'
INVALID_REQUEST = {"code": "invalid_request", "message": "Invalid request"}


class FieldError(InvalidInput):
    """A HelpCrunch request refused because of one field, named by `field`."""

    def __init__(self, field: str, message: str, *, status_code: int = 400):
        super().__init__(message)
        self.field = field
        self.status_code = status_code


def errors_body(code: str, message: str) -> dict:
    return {"errors": [INVALID_REQUEST, {"code": code, "message": message}]}


def error_field(error: DomainError) -> str:
    """Return the request field a domain error is about, else the error's own code."""
    if isinstance(error, FieldError):
        return error.field
    if isinstance(error, NotFound):
        return "not_found"
    details = error.details or {}
    if error.code == "too_many_definitions":
        return "customData"
    if isinstance(details.get("properties"), dict) and details["properties"]:
        return property_field(next(iter(details["properties"])))
    if isinstance(details.get("key"), str):
        return property_field(details["key"])
    if details.get("identifier") in WIRE_NAMES:
        return WIRE_NAMES[details["identifier"]]
    for name in ("user_id", "email", "phone"):
        if name in details:
            return WIRE_NAMES[name]
    return error.code


def error_status(error: DomainError) -> int:
    return error.status_code if isinstance(error, FieldError) else domain_status(error)


def error_message(error: DomainError) -> str:
    return "Customer not found" if isinstance(error, CustomerNotFound) else error.message


@contextmanager
def errors_within(prefix: str):
    """Prefix the field of any domain error raised inside with `prefix` ("[2]" in a batch)."""
    try:
        yield
    except NotFound as error:
        raise FieldError(
            "not_found", f"{error_message(error)} ({prefix})", status_code=error_status(error)
        ) from None
    except DomainError as error:
        field = error_field(error)
        joined = f"{prefix}.{field}" if field and not field.startswith("[") else prefix + field
        raise FieldError(joined, error_message(error), status_code=error_status(error)) from None


# The toolkit's codes, as HelpCrunch names them in the second entry of its error list.
_CODES = {"invalid_json": "body", "empty_body": "body", "rate_limited": "too_many_requests"}
_MESSAGES = {401: "Unauthorized", 429: "Too many requests"}


def render(record: ErrorRecord):
    """Render an error record as HelpCrunch's error list."""
    if record.error is not None:
        code, message = error_field(record.error), error_message(record.error)
        record = replace(record, status=error_status(record.error))
    elif "fields" in record.details:
        code, message = _first_field(record.details["fields"])
    else:
        code = _CODES.get(record.code, record.code)
        message = _MESSAGES.get(record.status, record.message)
    auth = {"WWW-Authenticate": CHALLENGE} if record.status == 401 else {}
    return error_response(errors_body(code, message), record, **auth)


def _first_field(detail, path: str = "") -> tuple[str, str]:
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return _first_field(value, f"{path}.{key}".lstrip("."))
    if isinstance(detail, list) and detail:
        return _first_field(detail[0], path)
    return path or "invalid_request", str(detail) or "Invalid request"
