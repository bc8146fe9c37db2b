"""Customer.io's person operations, shared by Track v1's endpoints and v2's entity and batch.

Each maps one operation's wire fields to service calls; the services hold every rule.
"""

from dataclasses import dataclass

from compat.customerio import mapping
from customers import services
from customers.errors import CustomerNotFound
from customers.identifiers import Identifier
from customers.models import Account, ApiKey
from customers.services import Actor
from events.services import customer_merge, event_record, event_track, person_identify

DOOR = "customerio"


@dataclass(frozen=True)
class Caller:
    """The account and API key an operation runs for."""

    account: Account
    api_key: ApiKey

    @property
    def actor(self) -> Actor:
        return Actor(api_key=self.api_key)


def identify(caller: Caller, identifier: Identifier, attributes: dict) -> None:
    """Create or update the person; what does not fit is recorded as a data issue."""
    person_identify(
        account=caller.account,
        identifier=identifier,
        door=DOOR,
        actor=caller.actor,
        fields=mapping.customer_fields(attributes, identifier),
        writes=mapping.attribute_writes(attributes),
        create=not mapping.is_true(attributes.get("_update")),
        anonymous_id=mapping.anonymous_id_of(attributes),
    )


def _existing(caller: Caller, identifier: Identifier):
    """Return the person, or None when there is none (deletes and removals are idempotent)."""
    try:
        return services.customer_identify(
            account=caller.account, identifier=identifier, create=False
        )
    except CustomerNotFound:
        return None


def delete(caller: Caller, identifier: Identifier) -> None:
    """Delete the person with their values and events; an unknown person is no error."""
    if (customer := _existing(caller, identifier)) is not None:
        services.customer_delete(customer=customer)


def track(caller: Caller, identifier: Identifier | None, event: dict) -> None:
    """Record an event of the person (None: of no known person)."""
    fields = {
        "name": mapping.event_name(event),
        "event_id": mapping.event_id(event),
        "source": mapping.event_source(event),
        "occurred_at": mapping.event_time(event),
        "properties": mapping.event_data(event),
    }
    if identifier is None:
        event_record(account=caller.account, customer=None, **fields)
    else:
        event_track(account=caller.account, identifier=identifier, **fields)


def add_device(caller: Caller, identifier: Identifier, device: dict) -> None:
    customer = services.customer_identify(
        account=caller.account, identifier=identifier, create=True
    )
    services.customer_device_set(account=caller.account, customer=customer, **device)


def delete_device(caller: Caller, identifier: Identifier, token: object) -> None:
    if (customer := _existing(caller, identifier)) is not None:
        services.customer_device_delete(account=caller.account, customer=customer, token=token)


def suppress(caller: Caller, identifier: Identifier) -> None:
    customer = services.customer_identify(
        account=caller.account, identifier=identifier, create=True
    )
    services.customer_suppress(customer=customer)


def unsuppress(caller: Caller, identifier: Identifier) -> None:
    if (customer := _existing(caller, identifier)) is not None:
        services.customer_unsuppress(customer=customer)


def merge(caller: Caller, primary: Identifier, secondary: Identifier) -> None:
    """Merge the secondary person into the primary; an unknown secondary merges nothing."""
    if (other := _existing(caller, secondary)) is None:
        return
    kept = services.customer_identify(account=caller.account, identifier=primary, create=True)
    customer_merge(account=caller.account, primary=kept, secondary=other, actor=caller.actor)
