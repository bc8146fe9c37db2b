"""Customer.io's error format: {"meta": {"errors": ["..."]}}."""

from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

from customers.api.errors import domain_status, first_message
from customers.errors import DomainError


def errors_body(message: str) -> dict:
    return {"meta": {"errors": [message]}}


def customerio_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(errors_body(exc.message), status=domain_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Basic realm="Customer.io Track API"'
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    message = first_message(exc.detail) if isinstance(exc.detail, dict | list) else str(exc.detail)
    return Response(errors_body(message), status=exc.status_code, headers=headers)


def customerio_not_found(request) -> JsonResponse:
    return JsonResponse(errors_body(f"Not found: {request.path}"), status=404)
