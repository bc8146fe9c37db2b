"""Reads of property definitions: one, lists with customer counts and fill rates, keys, labels.

Each read runs a fixed number of queries, whatever the number of definitions,
customers or values.
"""

import math
from dataclasses import dataclass

from django.db.models import Count, Q

from customers.errors import DefinitionNotFound
from customers.models import Account, Customer, PropertyDefinition, PropertyValue
from customers.values import PropertyType

STATUSES = ("active", "archived")
SORTS = ("label", "key", "type", "customers")
DIRECTIONS = ("asc", "desc")


def definition_get(*, account: Account, key: str) -> PropertyDefinition:
    """Return the account's definition `key`, archived or not."""
    definition = PropertyDefinition.objects.filter(account=account, key=key).first()
    if definition is None:
        raise DefinitionNotFound(f'No property "{key}" in this account.', details={"key": key})
    return definition


def definition_customer_count(*, definition: PropertyDefinition) -> int:
    return PropertyValue.objects.filter(definition=definition).count()


def definitions_with_counts(
    *, account: Account, status: str = "active"
) -> list[PropertyDefinition]:
    """Return definitions annotated with `customer_count` (one query).

    `status` is "active", "archived" or "all".
    """
    queryset = PropertyDefinition.objects.filter(account=account)
    if status == "active":
        queryset = queryset.filter(archived_at__isnull=True)
    elif status == "archived":
        queryset = queryset.filter(archived_at__isnull=False)
    return list(queryset.annotate(customer_count=Count("values")).order_by("key"))


def definitions_active(*, account: Account) -> list[PropertyDefinition]:
    """Return the account's active definitions by key, without counting values (one query)."""
    return list(
        PropertyDefinition.objects.filter(account=account, archived_at__isnull=True).order_by("key")
    )


def definition_labels(*, account: Account) -> dict[str, str]:
    """Return {key: label} of every definition of the account (one query)."""
    return dict(PropertyDefinition.objects.filter(account=account).values_list("key", "label"))


def active_definition_keys(*, account: Account, keys: set[str]) -> set[str]:
    """Return which of `keys` name an active definition of the account (one query)."""
    return set(
        PropertyDefinition.objects.filter(
            account=account, key__in=keys, archived_at__isnull=True
        ).values_list("key", flat=True)
    )


@dataclass
class AttributeList:
    """The definitions of one tab of the Contact attributes page, filtered and sorted.

    Each definition carries `customer_count`, `fill_rate` (0..1 of the account's
    customers) and `fill_label` ("42%").
    """

    definitions: list[PropertyDefinition]
    customer_total: int
    active_count: int
    archived_count: int
    status: str = "active"
    q: str = ""
    sort: str = "label"
    dir: str = "asc"

    @property
    def tab_count(self) -> int:
        return self.active_count if self.status == "active" else self.archived_count


def attribute_list(
    *,
    account: Account,
    status: str = "active",
    q: str = "",
    sort: str = "label",
    dir: str = "asc",
) -> AttributeList:
    """Return one tab of the account's definitions with fill rates (three queries).

    `q` matches the label, key or description, ignoring case. Unknown `status`,
    `sort` or `dir` values fall back to the defaults.
    """
    status = status if status in STATUSES else "active"
    sort = sort if sort in SORTS else "label"
    dir = dir if dir in DIRECTIONS else "asc"
    q = q.strip()
    definitions = definitions_with_counts(account=account, status=status)
    tabs = PropertyDefinition.objects.filter(account=account).aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )
    customer_total = Customer.objects.filter(account=account).count()
    definitions = _sorted(_matching(definitions, q), sort=sort, dir=dir)
    for definition in definitions:
        _attach_fill(definition, customer_total)
    return AttributeList(
        definitions=definitions,
        customer_total=customer_total,
        active_count=tabs["active"],
        archived_count=tabs["archived"],
        status=status,
        q=q,
        sort=sort,
        dir=dir,
    )


_SORT_KEYS = {
    "label": lambda d: d.label.casefold(),
    "key": lambda d: d.key,
    "type": lambda d: PropertyType(d.type).label,
    "customers": lambda d: d.customer_count,
}


def _matching(definitions: list[PropertyDefinition], q: str) -> list[PropertyDefinition]:
    """Return the definitions whose label, key or description holds `q`, ignoring case."""
    if not q:
        return definitions
    needle = q.casefold()
    return [
        d
        for d in definitions
        if needle in d.label.casefold() or needle in d.key or needle in d.description.casefold()
    ]


def _sorted(
    definitions: list[PropertyDefinition], *, sort: str, dir: str
) -> list[PropertyDefinition]:
    """Sort by the column `sort`, ties by key; here rather than in SQL so that text sorts
    the same on every database."""
    definitions.sort(key=lambda d: d.key)
    definitions.sort(key=_SORT_KEYS[sort], reverse=dir == "desc")
    return definitions


def attribute_detail(*, account: Account, key: str) -> tuple[PropertyDefinition, int]:
    """Return the account's definition `key` with `customer_count` and fill, and the
    account's number of customers (two queries)."""
    definition = (
        PropertyDefinition.objects.filter(account=account, key=key)
        .annotate(customer_count=Count("values"))
        .first()
    )
    if definition is None:
        raise DefinitionNotFound(f'No property "{key}" in this account.', details={"key": key})
    customer_total = Customer.objects.filter(account=account).count()
    _attach_fill(definition, customer_total)
    return definition, customer_total


def _attach_fill(definition: PropertyDefinition, customer_total: int) -> None:
    rate = definition.customer_count / customer_total if customer_total else 0.0
    definition.fill_rate = rate
    definition.fill_width = round(rate * 100, 1)
    if rate == 0:
        definition.fill_label = "0%"
    elif rate < 0.01:
        definition.fill_label = "<1%"
    else:
        definition.fill_label = f"{math.floor(rate * 100)}%" if rate < 1 else "100%"
