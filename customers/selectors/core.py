"""Every read of customers, definitions and values, each in a fixed number of queries."""

from django.db.models import Count, Q, QuerySet

from customers.conditions import Condition, customers_matching
from customers.errors import DefinitionNotFound
from customers.models import Account, Customer, PropertyDefinition, PropertyValue, Tag
from customers.values import VALUE_COLUMNS, PropertyType


def customer_values(*, customer: Customer) -> list[PropertyValue]:
    """Return the customer's values of active definitions, by key (one query)."""
    return list(
        PropertyValue.objects.filter(customer=customer, definition__archived_at__isnull=True)
        .select_related("definition")
        .order_by("definition__key")
    )


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


def customers_filtered(
    *,
    account: Account,
    identifiers: dict[str, object] | None = None,
    tags: list[str] | None = None,
    search: str = "",
    conditions: list[Condition] | None = None,
) -> QuerySet[Customer]:
    """Return the account's customers matching every filter, newest first (lazy)."""
    queryset = Customer.objects.filter(account=account, **(identifiers or {}))
    for tag in tags or []:
        queryset = queryset.filter(tags__account=account, tags__name=tag)
    if search:
        queryset = queryset.filter(
            Q(email__icontains=search)
            | Q(user_id__icontains=search)
            | Q(visitor_id__icontains=search)
            | Q(phone__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(company__icontains=search)
        )
    queryset = customers_matching(queryset, account=account, conditions=conditions or [])
    return queryset.order_by("-id")


def customers_with_values(customers: list[Customer]) -> list[Customer]:
    """Attach `property_values` ({key: (type, stored)}) and `tag_list` to a page (two queries).

    Values are read as tuples, not model instances: a page of 50 customers may hold
    thousands of values.
    """
    if not customers:
        return customers
    ids = [c.pk for c in customers]
    by_customer: dict[int, dict] = {pk: {} for pk in ids}
    rows = (
        PropertyValue.objects.filter(customer_id__in=ids, definition__archived_at__isnull=True)
        .order_by("definition__key")
        .values_list("customer_id", "definition__key", "definition__type", *VALUE_COLUMNS)
    )
    for customer_id, key, type_, *columns in rows:
        stored = next((c for c in columns if c is not None), None)
        by_customer[customer_id][key] = (PropertyType(type_), stored)
    tags_by_customer: dict[int, list[Tag]] = {pk: [] for pk in ids}
    through = Customer.tags.through
    for row in through.objects.filter(customer_id__in=ids).select_related("tag"):
        tags_by_customer[row.customer_id].append(row.tag)
    for customer in customers:
        customer.property_values = by_customer[customer.pk]
        customer.tag_list = sorted(tags_by_customer[customer.pk], key=lambda t: t.name)
    return customers


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
