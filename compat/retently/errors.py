"""Retently's response envelope: {"message", "code", "data"}."""

from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

from customers.api.errors import domain_status, first_message
from customers.errors import DomainError


def envelope(message: str, code: int, data=None) -> dict:
    return {"message": message, "code": code, "data": data}


def retently_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        status = domain_status(exc)
        return Response(envelope(exc.message, status), status=status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    message = first_message(exc.detail) if isinstance(exc.detail, dict | list) else str(exc.detail)
    return Response(envelope(message, exc.status_code), status=exc.status_code, headers=headers)


def retently_not_found(request) -> JsonResponse:
    return JsonResponse(envelope(f"Not found: {request.path}", 404), status=404)
