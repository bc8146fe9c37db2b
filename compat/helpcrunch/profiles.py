"""Apply a HelpCrunch ProfileChange to a customer through the shared services, atomically."""

from django.db import transaction

from compat.helpcrunch.errors import FieldError
from compat.helpcrunch.fields import STANDARD_KEYS, WIRE_NAMES
from compat.helpcrunch.mapping import ProfileChange
from customers import selectors, services, values
from customers.errors import Conflict, CustomerNotFound
from customers.models import Account, Customer
from customers.services import PropertyWrite


def customer_create(*, account: Account, change: ProfileChange) -> Customer:
    """Create a customer from a HelpCrunch body; refuse an identifier another customer holds."""
    identifier = change.creating_identifier()
    if identifier is None:
        raise FieldError("userId", "Send a userId, an email or a phone to create a customer.")
    with transaction.atomic():
        try:
            services.customer_identify(account=account, identifier=identifier, create=False)
        except CustomerNotFound:
            pass
        else:
            raise Conflict(
                f"A customer with this {WIRE_NAMES[identifier.kind]} already exists: "
                "update it with PUT or PATCH /customers/{id}.",
                code="identifier_taken",
                details={identifier.kind: str(identifier.value)},
            )
        customer, _ = services.customer_profile_save(
            account=account,
            identifier=identifier,
            fields={k: v for k, v in change.fields.items() if k != identifier.kind},
            writes=change.writes,
            tags_added=change.tags or (),
        )
    return customer


def customer_change(*, account: Account, customer: Customer, change: ProfileChange) -> Customer:
    """Apply `change` to `customer` in one transaction, or nothing of it.

    With `replace_custom_data`, every custom property of the customer that the change
    does not name is unassigned from this customer (the definitions stay).
    """
    with transaction.atomic():
        if change.fields:
            services.customer_update(customer=customer, fields=change.fields)
        if change.tags is not None:
            tags = services.tags_ensure(account=account, tags=change.tags)
            services.customer_tags_set(customer=customer, tags=tags)
        writes = list(change.writes)
        if change.replace_custom_data:
            held = [v.definition.key for v in selectors.customer_values(customer=customer)]
            # Clearing a value the customer does not hold changes nothing, and would be
            # refused for an archived definition: a replace leaves those alone.
            writes = [w for w in writes if not values.is_unassign(w.value) or w.key in held]
            named = {write.key for write in writes}
            writes += [
                PropertyWrite(key, None)
                for key in held
                if key not in named and key not in STANDARD_KEYS
            ]
        if writes:
            services.customer_properties_set(account=account, customer=customer, writes=writes)
    return customer
