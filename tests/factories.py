"""Test data made through the services, as the doors make it: one function per thing.

Each function writes through the service that owns the write (never the ORM where a
service exists), so test data obeys the same rules, normalization and audit as
production data. Every argument has a sensible default; a fresh email or name is
made where a test does not care which.
"""

import itertools
from collections.abc import Iterable, Mapping

from customers.identifiers import Identifier
from customers.models import (
    Account,
    ApiKey,
    ApiKeyScope,
    Customer,
    MemberRole,
    Membership,
    PropertyDefinition,
    Tag,
)
from customers.services import (
    Actor,
    PropertyWrite,
    WrittenProperty,
    account_get_or_create,
    api_key_create,
    customer_identify,
    customer_properties_set,
    customer_tags_add,
    customer_update,
    definition_archive,
    definition_create,
    tags_ensure,
)
from customers.services.members import member_add

TESTS = Actor(system="tests")
PASSWORD = "a-long-Passphrase-42"

_serial = itertools.count(1)


def fresh_email() -> str:
    """Return an email no other factory call has returned."""
    return f"c{next(_serial)}@example.com"


def make_account(name: str | None = None) -> Account:
    """Return the account called `name` (a new one by default)."""
    return account_get_or_create(name=name or f"Account {next(_serial)}")[0]


def make_api_key(
    account: Account, *, scope: str = ApiKeyScope.WRITE, name: str = ""
) -> tuple[ApiKey, str]:
    """Return a new key of `account` with its plain secret."""
    return api_key_create(account=account, scope=scope, name=name, actor=TESTS)


def make_member(
    account: Account,
    email: str | None = None,
    role: str = MemberRole.MARKETER,
    *,
    password: str | None = PASSWORD,
) -> Membership:
    """Return a member of `account`; `password=None` gives a new user a one-time password."""
    membership, _ = member_add(
        account=account, email=email or fresh_email(), role=role, password=password, actor=TESTS
    )
    return membership


def make_definition(
    account: Account,
    key: str,
    type: str = "text",
    *,
    label: str = "",
    description: str = "",
    archived: bool = False,
) -> PropertyDefinition:
    """Return a new definition of `account`, archived if asked."""
    definition = definition_create(
        account=account, key=key, type=type, label=label, description=description, actor=TESTS
    )
    if archived:
        definition_archive(definition=definition, actor=TESTS)
    return definition


def make_customer(
    account: Account,
    email: str | None = None,
    properties: Mapping[str, object] | Iterable[PropertyWrite] = (),
    tags: Iterable[str] = (),
    *,
    user_id: str | None = None,
    **fields,
) -> Customer:
    """Return the customer of `email` (or of `user_id` alone), created if new.

    A fresh email is made when neither is given. `fields` are contact fields
    (first_name, phone, …); `properties` is {key: value} or typed PropertyWrites.
    """
    if email is None and user_id is None:
        email = fresh_email()
    identifier = Identifier("email", email) if email else Identifier("user_id", user_id)
    customer = customer_identify(account=account, identifier=identifier, create=True)
    if email and user_id:
        fields["user_id"] = user_id
    if fields:
        customer_update(customer=customer, fields=fields)
    if isinstance(properties, Mapping):
        properties = [PropertyWrite(key, value) for key, value in properties.items()]
    writes = list(properties)
    if writes:
        customer_properties_set(account=account, customer=customer, writes=writes)
    if tags:
        customer_tags_add(customer=customer, tags=make_tags(account, *tags))
    return customer


def make_value(
    customer: Customer, key: str, value: object, type: str | None = None
) -> WrittenProperty:
    """Set one property of `customer` (defining `key` if new); return what was written."""
    result = customer_properties_set(
        account=customer.account, customer=customer, writes=[PropertyWrite(key, value, type)]
    )
    return result.written[0]


def customers_holding(account: Account, key: str, *values: object) -> list[Customer]:
    """Return one new customer per value, each holding that value of `key`."""
    return [make_customer(account, properties={key: value}) for value in values]


def make_tags(account: Account, *names: str, color: str | None = None) -> list[Tag]:
    """Return the account's tags of these names (by name), created if new."""
    return tags_ensure(account=account, tags=[(name, color) for name in names])
