"""Reads of property definitions: one, lists with customer counts, keys, labels.

Each read runs a fixed number of queries, whatever the number of definitions,
customers or values.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from customers import statements
from customers.errors import DefinitionNotFound
from customers.models import Account, PropertyDefinition, SummaryCount
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


# Summary count rows of one count past which a read folds them into one (see SummaryCount).
FOLD_AT = 64


def definition_customer_count(*, definition: PropertyDefinition) -> int:
    """Return how many customers hold a value of `definition` (one query)."""
    counted = _counted(PropertyDefinition.objects.filter(pk=definition.pk), definition.account_id)
    found = counted.values_list("customer_count", "count_rows").first()
    count, rows = found or (0, 0)
    _fold_if_long(definition.account_id, rows)
    return count


def definitions_with_counts(
    *, account: Account, status: str = "active"
) -> list[PropertyDefinition]:
    """Return definitions annotated with `customer_count` (one query, from the summary
    counts: never a count of the values).

    `status` is "active", "archived" or "all".
    """
    queryset = PropertyDefinition.objects.filter(account=account)
    if status == "active":
        queryset = queryset.filter(archived_at__isnull=True)
    elif status == "archived":
        queryset = queryset.filter(archived_at__isnull=False)
    definitions = list(_counted(queryset, account.pk).order_by("key"))
    _fold_if_long(account.pk, max((d.count_rows or 0 for d in definitions), default=0))
    return definitions


def customer_total(*, account: Account) -> int:
    """Return how many customers the account has (one query, from the summary counts)."""
    found = SummaryCount.objects.filter(account_id=account.pk, definition_id__isnull=True)
    total = found.aggregate(n=Coalesce(Sum("delta"), 0), rows=Count("pk"))
    _fold_if_long(account.pk, total["rows"])
    return total["n"]


def _counted(queryset: QuerySet, account_id: int) -> QuerySet:
    """Annotate definitions with `customer_count` and `count_rows` (its summary rows)."""
    rows = (
        SummaryCount.objects.filter(account_id=account_id, definition_id=OuterRef("pk"))
        .order_by()
        .values("definition_id")
    )
    return queryset.annotate(
        customer_count=Coalesce(
            Subquery(rows.annotate(n=Sum("delta")).values("n"), output_field=IntegerField()), 0
        ),
        count_rows=Subquery(rows.annotate(n=Count("pk")).values("n")),
    )


def _fold_if_long(account_id: int, rows: int | None) -> None:
    """Fold the account's summary rows when one count has more than FOLD_AT of them."""
    if rows and rows > FOLD_AT:
        with transaction.atomic():
            statements.summary_fold(account_id)


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

    Each definition carries `customer_count`, of `customer_total` customers.
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
    """Return one tab of the account's definitions with their customer counts (three queries).

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
    total = customer_total(account=account)
    definitions = _sorted(_matching(definitions, q), sort=sort, dir=dir)
    return AttributeList(
        definitions=definitions,
        customer_total=total,
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
    """Return the account's definition `key` with `customer_count`, and the
    account's number of customers (two queries)."""
    definition = _counted(PropertyDefinition.objects.filter(account=account, key=key), account.pk)
    definition = definition.first()
    if definition is None:
        raise DefinitionNotFound(f'No property "{key}" in this account.', details={"key": key})
    _fold_if_long(account.pk, definition.count_rows)
    return definition, customer_total(account=account)
