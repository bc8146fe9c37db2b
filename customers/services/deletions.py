"""Customer deletions asked for by a door, each recorded in the audit log."""

from collections.abc import Sequence

from django.db import transaction

from customers.models import Account, AuditAction, Customer
from customers.services.audit import Actor, audit_record
from customers.services.customers import customer_delete


def customers_delete(
    *, account: Account, customers: Sequence[Customer], actor: Actor, door: str
) -> int:
    """Delete each customer (values, events and all) and audit it; return how many went.

    One transaction: either every customer goes, with its audit entry, or none does.
    """
    with transaction.atomic():
        for customer in customers:
            pk = customer.pk  # Django clears it on delete.
            target = customer.email or customer.user_id or f"customer {pk}"
            customer_delete(customer=customer)
            audit_record(
                account=account,
                actor=actor,
                action=AuditAction.CUSTOMER_DELETED,
                target=target,
                details={"customer_id": pk, "door": door},
            )
    return len(customers)
