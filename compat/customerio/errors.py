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


# Track v2's `reason` of an error, by HTTP status of the record.
V2_REASONS = {400: "invalid", 404: "not_found", 409: "conflict"}


def v2_error(record: ErrorRecord, batch_index: int | None = None) -> dict:
    """Return one error of Track v2's list: reason, field, message (and the batch index)."""
    entry: dict = {}
    if batch_index is not None:
        entry["batch_index"] = batch_index
    entry["reason"] = V2_REASONS.get(record.status, record.code)
    field = record.details.get("field") or record.details.get("identifier")
    if field:
        entry["field"] = field
    entry["message"] = record.message
    return entry


def render_v2(record: ErrorRecord):
    """Render an error record the way Track v2 answers: {"errors": [{reason, field, message}]}."""
    auth = {"WWW-Authenticate": CHALLENGE} if record.status == 401 else {}
    return error_response({"errors": [v2_error(record)]}, record, **auth)
