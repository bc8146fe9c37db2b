"""Customers: identify (and create where the identifier allows), delete."""

from django.db import transaction

from customers.errors import CustomerNotFound
from customers.identifiers import Identifier
from customers.models import Account, Customer

_LOOKUP_FIELD = {
    "customer_id": "pk",
    "customer_uuid": "uuid",
    "visitor_id": "visitor_id",
    "user_id": "user_id",
    "email": "email",
    "phone": "phone",
}


def customer_identify(*, account: Account, identifier: Identifier, create: bool) -> Customer:
    """Return the account's customer with `identifier`.

    With `create`, a customer identified by visitor_id, user_id or email is created
    when none matches; customer_id and customer_uuid must always exist.
    """
    lookup = {"account": account, _LOOKUP_FIELD[identifier.kind]: identifier.value}
    customer = Customer.objects.filter(**lookup).first()
    if customer is not None:
        return customer
    if not (create and identifier.creates):
        raise CustomerNotFound(
            f"No customer with {identifier.kind} {identifier.value!s} in this account.",
            details={identifier.kind: str(identifier.value)},
        )
    # Insert-or-ignore, then read: two concurrent first writes for the same
    # identifier both end up with the one row the database kept.
    Customer.objects.bulk_create([Customer(**lookup)], ignore_conflicts=True)
    return Customer.objects.get(**lookup)


def customer_delete(*, customer: Customer) -> None:
    """Delete the customer with its values and events."""
    with transaction.atomic():
        customer.delete()
