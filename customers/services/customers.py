"""Customers: identify (and create where the identifier allows), delete."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers import statements
from customers.errors import Conflict, CustomerNotFound, InvalidInput
from customers.identifiers import Identifier, identifier_value
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
    customer = statements.customer_by(account, identifier.kind, identifier.value)
    if customer is not None:
        return customer
    if not (create and identifier.creates):
        raise CustomerNotFound(
            f"No customer with {identifier.kind} {identifier.value!s} in this account.",
            details={identifier.kind: str(identifier.value)},
        )
    # Insert-or-ignore, then read: two concurrent first writes for the same
    # identifier both end up with the one row the database kept.
    lookup = {"account": account, _LOOKUP_FIELD[identifier.kind]: identifier.value}
    Customer.objects.bulk_create([Customer(**lookup)], ignore_conflicts=True)
    return statements.customer_by(account, identifier.kind, identifier.value)


def customer_create(*, account: Account, identifier: Identifier) -> Customer:
    """Create a customer with `identifier`; refuse one the account already has (409).

    The database's unique constraint decides, so two concurrent creators of the same
    identifier get one customer and one conflict.
    """
    if not identifier.creates:
        raise ValueError(f"customers are not created by {identifier.kind}")
    try:
        with transaction.atomic():
            return Customer.objects.create(
                account=account, **{_LOOKUP_FIELD[identifier.kind]: identifier.value}
            )
    except IntegrityError:
        raise Conflict(
            f"A customer with {identifier.kind} {identifier.value} already exists.",
            code="identifier_taken",
            details={identifier.kind: str(identifier.value)},
        ) from None


def customer_delete(*, customer: Customer) -> None:
    """Delete the customer with its values and events."""
    with transaction.atomic():
        # The customer's row first, as writers lock it (then its values): in the other
        # order a concurrent write of its values and this delete would deadlock.
        Customer.objects.select_for_update().filter(pk=customer.pk).exists()
        customer.delete()


UPDATABLE_FIELDS = (
    "email",
    "phone",
    "user_id",
    "first_name",
    "last_name",
    "company",
    "created_at",
)
# External identifiers: normalized as lookups are, NULL when cleared, unique per account.
IDENTIFIER_FIELDS = ("email", "phone", "user_id")


def contact_text(name: str, value: object) -> str:
    """Return a contact text field as stored (None as ""); refuse what it cannot hold."""
    value = "" if value is None else str(value)
    max_length = Customer._meta.get_field(name).max_length
    if len(value) > max_length or "\x00" in value:
        raise InvalidInput(
            f"{name} is at most {max_length} characters, without NUL characters.",
            details={"field": name},
        )
    return value


def _unchanged_identifier(name: str, current: str | None, sent: object) -> bool:
    # The stored identifier was checked when stored; sending it again needs no new check
    # (an email's validation is the costliest step of a profile write).
    if not isinstance(sent, str) or current is None:
        return False
    sent = sent.strip()
    return (sent.lower() if name == "email" else sent) == current


def customer_update(*, customer: Customer, fields: dict[str, object]) -> Customer:
    """Change a customer's contact fields; refuse an identifier another customer has."""
    changes = {}
    for name, value in fields.items():
        if name not in UPDATABLE_FIELDS:
            raise ValueError(f"{name} is not an updatable customer field")
        if name in IDENTIFIER_FIELDS and value not in (None, ""):
            if _unchanged_identifier(name, getattr(customer, name), value):
                continue
            value = identifier_value(name, value)
        elif name in IDENTIFIER_FIELDS:
            value = None
        elif name == "created_at":
            if not isinstance(value, datetime):
                raise ValueError("created_at must be a datetime")
        else:
            value = contact_text(name, value)
        if getattr(customer, name) != value:
            changes[name] = value
    if not changes:
        return customer
    now = timezone.now()
    try:
        with transaction.atomic():
            Customer.objects.filter(pk=customer.pk).update(**changes, updated_at=now)
    except IntegrityError:
        taken = ", ".join(f"{k} {v}" for k, v in changes.items() if k in IDENTIFIER_FIELDS)
        raise Conflict(
            f"Another customer in this account already has {taken}.",
            code="identifier_taken",
            details={k: v for k, v in changes.items() if k in IDENTIFIER_FIELDS},
        ) from None
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.updated_at = now
    return customer
