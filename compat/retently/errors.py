"""Retently's response envelope: {"message", "code", "data"}."""

from customers.http.errors import (
    ErrorRecord,
    error_response,
)


def envelope(message: str, code: int, data=None) -> dict:
    return {"message": message, "code": code, "data": data}


def render(record: ErrorRecord):
    """Render an error record in Retently's envelope, its status repeated as `code`."""
    return error_response(envelope(record.message, record.status), record)
