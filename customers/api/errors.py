"""The native API's one error shape: {"status":"error","error":{"code","message","details"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from customers.errors import Conflict, DomainError, InvalidInput, NotFound


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {
        "status": "error",
        "error": {"code": code, "message": message, "details": details or {}},
    }


def domain_status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, Conflict):
        return status.HTTP_409_CONFLICT
    if isinstance(error, InvalidInput):
        return status.HTTP_400_BAD_REQUEST
    return status.HTTP_400_BAD_REQUEST


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


_DRF_CODES = {
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


def native_exception_handler(exc, context):
    """Map domain and DRF errors to the native error shape; None lets others through."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=domain_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    code = _DRF_CODES.get(type(exc)) or getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        message, details = first_message(exc.detail), {"fields": exc.detail}
    else:
        message, details = str(exc.detail), {}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        message += " Send JSON with the header Content-Type: application/json."
    if isinstance(exc, exceptions.Throttled):
        message = f"Too many requests. Retry after {headers.get('Retry-After', '1')} seconds."
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = "X-API-Key"
    return Response(error_body(code, message, details), status=exc.status_code, headers=headers)


def native_not_found(request) -> JsonResponse:
    return JsonResponse(
        error_body("not_found", f"No endpoint at {request.path}. See /api/docs/."), status=404
    )


def native_server_error(request) -> JsonResponse:
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side; it has been logged."),
        status=500,
    )
