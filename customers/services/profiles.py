"""A customer's whole profile write: identify, contact fields and properties, atomically."""

from collections.abc import Sequence

from django.db import transaction

from customers import values
from customers.errors import CustomerNotFound
from customers.identifiers import Identifier
from customers.models import Account, Customer, DefinitionSource
from customers.selectors import customer_held_values
from customers.services.customers import customer_identify, customer_update
from customers.services.properties import PropertyWrite, WriteResult, customer_properties_set
from customers.services.tags import customer_tags_add, customer_tags_set, tags_ensure
from customers.values import PropertyType


def customer_profile_save(
    *,
    account: Account,
    identifier: Identifier,
    fields: dict | None = None,
    writes: Sequence[PropertyWrite] = (),
    create: bool = True,
    all_or_nothing: bool = True,
    source: str = DefinitionSource.API,
    default_type: PropertyType | None = None,
    tags_added: Sequence[tuple[str, str | None]] = (),
) -> tuple[Customer | None, WriteResult]:
    """Identify the customer (creating it if allowed), update its fields, tags and properties.

    Return (None, empty result) when `create` is false and no customer matches.
    Everything is written in one transaction, or nothing is.
    """
    with transaction.atomic():
        try:
            customer = customer_identify(account=account, identifier=identifier, create=create)
        except CustomerNotFound:
            if create:
                raise
            return None, WriteResult()
        if fields:
            customer_update(customer=customer, fields=fields)
        if tags_added:
            customer_tags_add(customer=customer, tags=tags_ensure(account=account, tags=tags_added))
        result = WriteResult()
        if writes:
            result = customer_properties_set(
                account=account,
                customer=customer,
                writes=writes,
                all_or_nothing=all_or_nothing,
                source=source,
                default_type=default_type,
            )
        return customer, result


def customer_profile_change(
    *,
    account: Account,
    customer: Customer,
    fields: dict | None = None,
    writes: Sequence[PropertyWrite] = (),
    tags: Sequence[tuple[str, str | None]] | None = None,
    unassign_unnamed: bool = False,
    keep_keys: frozenset[str] = frozenset(),
) -> Customer:
    """Change a known customer's fields, tags and properties in one transaction.

    `tags`, when given, replaces the customer's tags. With `unassign_unnamed`, the
    write replaces the customer's properties: every value it does not name (apart
    from `keep_keys`) is unassigned from this customer only; the definitions and
    other customers' values stay.
    """
    with transaction.atomic():
        if fields:
            customer_update(customer=customer, fields=fields)
        if tags is not None:
            customer_tags_set(customer=customer, tags=tags_ensure(account=account, tags=tags))
        writes = list(writes)
        if unassign_unnamed:
            held = {v.key for v in customer_held_values(customer=customer)}
            # Clearing a value the customer does not hold changes nothing, and would be
            # refused for an archived definition: a replace leaves those alone.
            writes = [w for w in writes if not values.is_unassign(w.value) or w.key in held]
            named = {w.key for w in writes}
            writes += [PropertyWrite(key, None) for key in sorted(held - named - keep_keys)]
        if writes:
            customer_properties_set(account=account, customer=customer, writes=writes)
    return customer
