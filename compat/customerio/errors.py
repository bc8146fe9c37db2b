"""Customer.io's error format: {"meta": {"errors": ["..."]}}."""

from customers.http.errors import (
    ErrorRecord,
    error_response,
)

CHALLENGE = 'Basic realm="Customer.io Track API"'


def errors_body(message: str) -> dict:
    return {"meta": {"errors": [message]}}


def render(record: ErrorRecord):
    """Render an error record the way Customer.io's Track API answers."""
    auth = {"WWW-Authenticate": CHALLENGE} if record.status == 401 else {}
    return error_response(errors_body(record.message), record, **auth)
