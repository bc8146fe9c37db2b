"""Customer events: record (insert or replace by id), track (identify, profile, record), and
the customer writes that carry events along: merges and identifying an anonymous visitor."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from customers import statements
from customers.errors import InvalidInput
from customers.identifiers import Identifier
from customers.models import Account, Customer
from customers.services import (
    Actor,
    PropertyWrite,
    RefusedProperty,
    customer_profile_merge,
    customer_profile_save,
    customer_profile_save_lenient,
)
from events.models import Event

MAX_NAME_LENGTH = 255


def event_record(
    *,
    account: Account,
    customer: Customer | None,
    name: str,
    event_id: str | None = None,
    source: str = "",
    occurred_at: datetime | None = None,
    properties: dict | None = None,
) -> tuple[Event, bool]:
    """Insert the event, or replace the account's event with the same id; return (event, created).

    `customer` None records an anonymous event that no person is known for.

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


def customer_merge(
    *, account: Account, primary: Customer, secondary: Customer, actor: Actor
) -> Customer:
    """Merge `secondary` into `primary`: its events, values, tags and devices move, the
    primary wins every conflict, the secondary is deleted and the merge audited."""
    if primary.pk == secondary.pk:
        return primary
    with transaction.atomic():
        Event.objects.filter(customer=secondary).update(customer=primary)
        return customer_profile_merge(
            account=account, primary=primary, secondary=secondary, actor=actor
        )


def person_identify(
    *,
    account: Account,
    identifier: Identifier,
    door: str,
    actor: Actor,
    fields: dict | None = None,
    writes: Sequence[PropertyWrite] = (),
    create: bool = True,
    anonymous_id: str | None = None,
) -> tuple[Customer | None, list[RefusedProperty]]:
    """Write a person's profile leniently (customer_profile_save_lenient) and, given the
    `anonymous_id` of a visitor, merge that visitor's events and values into the person.

    The person keeps the visitor id when it has none, so later anonymous events of the
    visitor land on the person.
    """
    with transaction.atomic():
        customer, refused = customer_profile_save_lenient(
            account=account,
            identifier=identifier,
            door=door,
            fields=fields,
            writes=writes,
            create=create,
        )
        if customer is not None and anonymous_id is not None:
            visitor = statements.customer_by(account, "visitor_id", anonymous_id)
            if visitor is not None:
                customer_merge(account=account, primary=customer, secondary=visitor, actor=actor)
            elif customer.visitor_id is None:
                Customer.objects.filter(pk=customer.pk).update(visitor_id=anonymous_id)
                customer.visitor_id = anonymous_id
    return customer, refused
