"""Request errors, and the one mapping from any refusal to an `ErrorRecord`.

A door's exception handler calls `record_for(exc)` and renders the record in its own
wire format; the status, the code, the message and headers such as Retry-After are
decided here, once for every door.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions

from customers.errors import Conflict, DomainError, NotFound


class RequestError(Exception):
    """A request refused before it reaches a service: its body or its framing is wrong."""

    status = 400
    code = "invalid_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MalformedBody(RequestError):
    code = "invalid_json"


class MalformedQuery(RequestError):
    code = "invalid_query"


class EmptyBody(RequestError):
    code = "empty_body"


class LengthRequired(RequestError):
    status = 411
    code = "length_required"


class PayloadTooLarge(RequestError):
    status = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class ErrorRecord:
    """What went wrong, decided once; each door renders it in its own wire format."""

    status: int
    code: str
    message: str
    details: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    # The domain error behind the record, for doors that name the field it concerns.
    error: DomainError | None = None

    def __post_init__(self):
        # A message may echo client input; lone surrogates in it cannot be encoded.
        object.__setattr__(self, "message", printable(self.message))


def error_response(body: dict, record: ErrorRecord, **headers: str) -> JsonResponse:
    """Return a door's error `body` with the record's status and headers (plus `headers`)."""
    return JsonResponse(
        body,
        status=record.status,
        headers={**record.headers, **headers},
        json_dumps_params={"separators": (",", ":")},
    )


def printable(text: str) -> str:
    """Return `text` with anything UTF-8 cannot encode (lone surrogates) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def domain_status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 400


def first_message(detail, path: str = "") -> str:
    """Return the first message of a DRF error detail, prefixed with the field it concerns."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            prefix = path if key == "non_field_errors" else f"{path}.{key}".lstrip(".")
            return first_message(value, prefix)
        return "Invalid input."
    if isinstance(detail, list):
        return first_message(detail[0], path) if detail else "Invalid input."
    return f"{path}: {detail}" if path else str(detail)


_API_CODES = {
    exceptions.ParseError: "invalid_json",
    exceptions.NotAuthenticated: "unauthorized",
    exceptions.AuthenticationFailed: "unauthorized",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid_input",
}


def record_for(exc: Exception) -> ErrorRecord | None:
    """Return the error record of `exc`, or None for an exception that is a server error."""
    if isinstance(exc, DomainError):
        return ErrorRecord(domain_status(exc), exc.code, exc.message, exc.details, error=exc)
    if isinstance(exc, RequestError):
        return ErrorRecord(exc.status, exc.code, exc.message)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    return _api_record(exc)


def _api_record(exc: exceptions.APIException) -> ErrorRecord:
    code = next((c for t, c in _API_CODES.items() if isinstance(exc, t)), None)
    code = code or getattr(exc, "default_code", "error")
    headers, details = {}, {}
    if isinstance(exc.detail, dict | list):
        message = first_message(exc.detail)
        details = {"fields": exc.detail}
    else:
        message = str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        retry_after = int(exc.wait or 0) + 1
        headers["Retry-After"] = str(retry_after)
        message = f"Too many requests. Retry after {retry_after} seconds."
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        message += " Send JSON with the header Content-Type: application/json."
    return ErrorRecord(exc.status_code, code, message, details, headers)


def server_error_record() -> ErrorRecord:
    return ErrorRecord(500, "server_error", "Something went wrong on our side; it has been logged.")


def not_found_record(path: str, hint: str = "") -> ErrorRecord:
    return ErrorRecord(404, "not_found", f"No endpoint at {printable(path)}.{hint}")
