"""Customer.io Track API v2: one person operation per entity, a list of them per batch.

An operation is `{"type": "person", "action": …, "identifiers": {…}, …}`; the actions
served are identify, delete, event, page, screen, add_device, delete_device, suppress,
unsuppress and merge. Objects, deliveries and relationships are not served: such an
operation is refused with a message saying so.
"""

from collections.abc import Callable

from compat.customerio import mapping, operations
from customers.errors import InvalidInput
from customers.identifiers import Identifier

EVENT_ACTIONS = {"event": "event", "page": "page", "screen": "screen"}


def _identifier(op: dict) -> Identifier:
    identifiers = op.get("identifiers")
    if isinstance(identifiers, dict) and set(identifiers) == {"anonymous_id"}:
        return mapping.anonymous_identifier(identifiers["anonymous_id"])
    return mapping.person_identifier(identifiers)


def _person(op: dict) -> Identifier:
    identifier = _identifier(op)
    if identifier.kind == "visitor_id":
        raise InvalidInput(
            "identifiers: an anonymous_id names no person here; send id, email or cio_id.",
            details={"field": "identifiers"},
        )
    return identifier


def _attributes(op: dict) -> dict:
    attributes = op.get("attributes")
    if attributes in (None, ""):
        return {}
    if not isinstance(attributes, dict):
        raise InvalidInput("attributes must be an object.", details={"field": "attributes"})
    return attributes


def _identify(caller, op):
    operations.identify(caller, _person(op), _attributes(op))


def _delete(caller, op):
    operations.delete(caller, _person(op))


def _event(caller, op):
    # v2 carries the event's data in `attributes` and its type in `action`.
    event = {
        "name": op.get("name"),
        "id": op.get("id"),
        "timestamp": op.get("timestamp"),
        "type": EVENT_ACTIONS[op["action"]],
        "data": _attributes(op),
    }
    operations.track(caller, _identifier(op), event)


def _add_device(caller, op):
    operations.add_device(caller, _person(op), mapping.device_of(op, token_field="token"))


def _delete_device(caller, op):
    device = op.get("device")
    token = device.get("token") if isinstance(device, dict) else None
    operations.delete_device(caller, _person(op), token)


def _suppress(caller, op):
    operations.suppress(caller, _person(op))


def _unsuppress(caller, op):
    operations.unsuppress(caller, _person(op))


def _merge(caller, op):
    operations.merge(caller, *mapping.merge_pair(op))


ACTIONS: dict[str, Callable[[operations.Caller, dict], None]] = {
    "identify": _identify,
    "delete": _delete,
    "event": _event,
    "page": _event,
    "screen": _event,
    "add_device": _add_device,
    "delete_device": _delete_device,
    "suppress": _suppress,
    "unsuppress": _unsuppress,
    "merge": _merge,
}


def operation_run(caller: operations.Caller, op: object) -> None:
    """Run one v2 operation; refuse one this service does not serve."""
    if not isinstance(op, dict):
        raise InvalidInput("Each operation is an object with type and action.")
    if op.get("type") != "person":
        raise InvalidInput(
            f"type {str(op.get('type'))[:40]!r} is not served: only person operations are "
            "(objects and deliveries are not kept here).",
            details={"field": "type"},
        )
    action = op.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise InvalidInput(
            f"action {str(action)[:40]!r} is not served; use one of {', '.join(ACTIONS)}.",
            details={"field": "action"},
        )
    ACTIONS[action](caller, op)
