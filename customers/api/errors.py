"""The native API's one error shape: {"status":"error","error":{"code","message","details"}}."""

from customers.http.errors import (
    ErrorRecord,
    error_response,
)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {
        "status": "error",
        "error": {"code": code, "message": message, "details": details or {}},
    }


def render(record: ErrorRecord):
    """Render an error record in the native shape."""
    auth = {"WWW-Authenticate": "X-API-Key"} if record.status == 401 else {}
    return error_response(error_body(record.code, record.message, record.details), record, **auth)
