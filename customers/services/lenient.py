"""Profile writes of lenient doors: store what fits, record the rest as data issues.

Customer.io accepts any attribute: a value its property's type refuses, or an email
another person holds, does not fail the request there. Here it is stored wherever it
fits, and every refusal is kept as a data issue (customers.services.data_issues).
"""

from collections.abc import Mapping, Sequence

from django.db import transaction

from customers.errors import Conflict, CustomerNotFound, InvalidInput
from customers.identifiers import Identifier
from customers.models import Account, Customer
from customers.services.customers import IDENTIFIER_FIELDS, customer_identify, customer_update
from customers.services.data_issues import data_issues_record
from customers.services.properties import (
    PropertyWrite,
    RefusedProperty,
    customer_properties_set,
)


def customer_profile_save_lenient(
    *,
    account: Account,
    identifier: Identifier,
    door: str,
    fields: Mapping[str, object] | None = None,
    writes: Sequence[PropertyWrite] = (),
    create: bool = True,
) -> tuple[Customer | None, list[RefusedProperty]]:
    """Identify the customer (creating it if allowed), then store each field and value that fits.

    An identifier field another customer holds, or one that is malformed, and every value
    its property refuses, are left out and recorded as data issues of `door`. Return
    (None, []) when `create` is false and no customer matches. One transaction; with no
    refusal it runs the queries of a strict write and no more.
    """
    fields = dict(fields or {})
    # No savepoint of its own: what it refuses is caught inside (customer_update and
    # customer_properties_set keep theirs), so the write path runs no extra statements.
    with transaction.atomic(savepoint=False):
        try:
            customer = customer_identify(account=account, identifier=identifier, create=create)
        except CustomerNotFound:
            if create:
                raise
            return None, []
        refused: list[RefusedProperty] = []
        contact = {k: v for k, v in fields.items() if k not in IDENTIFIER_FIELDS}
        if contact:
            customer_update(customer=customer, fields=contact)
        for name in IDENTIFIER_FIELDS:
            if name not in fields:
                continue
            try:
                customer_update(customer=customer, fields={name: fields[name]})
            except (Conflict, InvalidInput) as error:
                refused.append(RefusedProperty(name, error))
        if writes:
            result = customer_properties_set(
                account=account, customer=customer, writes=writes, all_or_nothing=False
            )
            refused += result.refused
        if refused:
            sent = {**{w.key: w.value for w in writes}, **fields}
            data_issues_record(
                account=account, door=door, customer=customer, refused=refused, sent=sent
            )
    return customer, refused
