"""HelpCrunch's error list: `{"errors": [{"code": "invalid_request", ...}, {"code", "message"}]}`.

The second entry's code names the failing field ("email", "customData.seats",
"filter[0].field"), or says what went wrong ("unauthorized", "not_found",
"too_many_requests").
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from compat.helpcrunch.fields import WIRE_NAMES, property_field
from customers.api.errors import domain_status
from customers.api.parsers import PayloadTooLarge
from customers.errors import CustomerNotFound, DomainError, InvalidInput, NotFound

INVALID_REQUEST = {"code": "invalid_request", "message": "Invalid request"}


class FieldError(InvalidInput):
    """A HelpCrunch request refused because of one field, named by `field`."""

    def __init__(self, field: str, message: str, *, status_code: int = status.HTTP_400_BAD_REQUEST):
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


_DRF_CODES = {
    exceptions.ParseError: "body",
    exceptions.NotAuthenticated: "unauthorized",
    exceptions.AuthenticationFailed: "unauthorized",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "too_many_requests",
    PayloadTooLarge: "payload_too_large",
}


def helpcrunch_exception_handler(exc, context):
    """Map domain and DRF errors to HelpCrunch's error list; None lets others through."""
    if isinstance(exc, DomainError):
        return Response(errors_body(error_field(exc), error_message(exc)), status=error_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    code = next((c for t, c in _DRF_CODES.items() if isinstance(exc, t)), None)
    message = str(exc.detail) if isinstance(exc.detail, str) else "Invalid request"
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="HelpCrunch API v1"'
        message = "Unauthorized"
    elif isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(int(exc.wait or 0) + 1)
        message = "Too many requests"
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        message = f"{exc.detail} Send JSON with the header Content-Type: application/json."
    elif isinstance(exc, exceptions.ValidationError):
        code, message = _first_field(exc.detail)
    return Response(
        errors_body(code or getattr(exc, "default_code", "error"), message),
        status=exc.status_code,
        headers=headers,
    )


def _first_field(detail, path: str = "") -> tuple[str, str]:
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return _first_field(value, f"{path}.{key}".lstrip("."))
    if isinstance(detail, list) and detail:
        return _first_field(detail[0], path)
    return path or "invalid_request", str(detail) or "Invalid request"


def helpcrunch_not_found(request) -> JsonResponse:
    return JsonResponse(
        errors_body("not_found", f"No HelpCrunch v1 endpoint at {request.path}"), status=404
    )
