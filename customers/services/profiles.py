"""A customer's whole profile write: identify, contact fields and properties, atomically."""

from collections.abc import Sequence

from django.db import transaction

from customers.errors import CustomerNotFound
from customers.identifiers import Identifier
from customers.models import Account, Customer, DefinitionSource
from customers.services.customers import customer_identify, customer_update
from customers.services.properties import PropertyWrite, WriteResult, customer_properties_set
from customers.services.tags import customer_tags_add, tags_ensure
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
