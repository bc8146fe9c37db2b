"""Customer events: record (insert or replace by id) and track (identify, profile, record)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from customers import statements
from customers.errors import InvalidInput
from customers.identifiers import Identifier
from customers.models import Account, Customer
from customers.services import PropertyWrite, customer_profile_save
from events.models import Event

MAX_NAME_LENGTH = 255


def event_record(
    *,
    account: Account,
    customer: Customer,
    name: str,
    event_id: str | None = None,
    source: str = "",
    occurred_at: datetime | None = None,
    properties: dict | None = None,
) -> tuple[Event, bool]:
    """Insert the event, or replace the account's event with the same id; return (event, created).

    The write is one INSERT … ON CONFLICT DO UPDATE, so concurrent posts of one id
    leave exactly one event.
    """
    for field, value in (("name", name), ("id", event_id or "x"), ("source", source or "x")):
        if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME_LENGTH or "\x00" in value:
            raise InvalidInput(
                f"An event's {field} is 1 to {MAX_NAME_LENGTH} characters.",
                details={"field": field},
            )
    if properties is not None and not isinstance(properties, dict):
        raise InvalidInput("An event's properties are a JSON object.", details={"field": "data"})
    now = timezone.now()
    # A generated id is new; only a client's own id may name an event to replace.
    existed = event_id is not None and statements.row_exists(
        Event, account=account.pk, event_id=event_id
    )
    event = Event(
        account=account,
        customer=customer,
        event_id=event_id or str(uuid.uuid4()),
        name=name,
        source=source,
        occurred_at=occurred_at or now,
        received_at=now,
        properties=properties or {},
    )
    statements.row_upsert(
        event,
        unique=("account", "event_id"),
        update=("customer", "name", "source", "occurred_at", "received_at", "properties"),
    )
    return event, not existed


def event_track(
    *,
    account: Account,
    identifier: Identifier,
    name: str,
    event_id: str | None = None,
    source: str = "",
    occurred_at: datetime | None = None,
    properties: dict | None = None,
    customer_fields: dict | None = None,
    customer_properties: Sequence[PropertyWrite] = (),
) -> tuple[Event, bool]:
    """Identify (or create) the customer, update its profile and record the event, atomically."""
    with transaction.atomic():
        customer, _ = customer_profile_save(
            account=account,
            identifier=identifier,
            fields=customer_fields,
            writes=customer_properties,
        )
        return event_record(
            account=account,
            customer=customer,
            name=name,
            event_id=event_id,
            source=source,
            occurred_at=occurred_at,
            properties=properties,
        )
