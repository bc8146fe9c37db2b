"""Customers meeting property conditions, as one filtered query.

Values in a condition are coerced to the definition's type with the same rules as writes.
"""

import json
import math

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from customers import values
from customers.conditions import NEGATIONS, OPERATORS_BY_TYPE, Condition, Operator
from customers.errors import InvalidInput
from customers.models import (
    Account,
    PropertyDefinition,
    PropertyValue,
    SummaryCount,
    folded_items,
)
from customers.selectors.sqlite_search import customers_holding_item
from customers.values import PropertyType

ORDERED_TYPES = {PropertyType.NUMBER, PropertyType.INTEGER, PropertyType.DATE}
_RANGE_LOOKUP = {
    Operator.GREATER: "gt",
    Operator.GREATER_OR_EQUAL: "gte",
    Operator.LESS: "lt",
    Operator.LESS_OR_EQUAL: "lte",
}


def customers_matching(
    queryset: QuerySet, *, account: Account, conditions: list[Condition], match_any: bool = False
) -> QuerySet:
    """Return `queryset` narrowed to customers meeting every condition, or any with `match_any`.

    One query reads the conditions' definitions (with how many customers hold each); the
    rest is one filtered query, on PostgreSQL after one or two that choose its plan.
    """
    if not conditions:
        return queryset
    keys = {c.key for c in conditions}
    holders = (
        SummaryCount.objects.filter(account_id=account.pk, definition_id=OuterRef("pk"))
        .order_by()
        .values("definition_id")
        .annotate(n=Sum("delta"))
        .values("n")
    )
    customers = (
        SummaryCount.objects.filter(account_id=account.pk, definition_id__isnull=True)
        .order_by()
        .values("account_id")
        .annotate(n=Sum("delta"))
        .values("n")
    )
    definitions = {
        d.key: d
        for d in PropertyDefinition.objects.filter(account=account, key__in=keys).annotate(
            holders=Subquery(holders, output_field=IntegerField()),
            customers=Subquery(customers, output_field=IntegerField()),
        )
    }
    for condition in conditions:
        definition = definitions.get(condition.key)
        if definition is None:
            raise InvalidInput(
                f'Cannot filter on "{condition.key}": no such property in this account.',
                code="unknown_filter",
                details={"key": condition.key},
            )
        if definition.is_archived:
            raise InvalidInput(
                f'Cannot filter on "{condition.key}": the property is archived. Restore it '
                "on the Contact attributes page to filter on it.",
                code="archived_filter",
                details={"key": condition.key},
            )
    ordered = _most_selective_first(conditions, definitions)
    if match_any or connection.vendor != "postgresql":
        combined = Q()
        for condition in ordered:
            q = _condition_q(condition, definitions[condition.key])
            combined = (combined | q) if match_any else (combined & q)
        return queryset.filter(combined)
    return _planned(queryset, account, ordered, definitions)


# The newest customers among whom each condition's share is counted.
SAMPLE_CUSTOMERS = 500
# A condition met by at most about this many customers drives: its index gives their ids.
DRIVER_MAX = 5_000
# How many of the newest customers a page may be looked for among, one by one.
SCAN_MAX = 20_000
PAGE = 50


def _planned(queryset: QuerySet, account: Account, conditions: list, definitions: dict):
    """Every condition met, in the plan that suits how many customers meet each (PostgreSQL).

    Its planner cannot weigh the share of a value (say, one collection item) and guesses;
    a wrong guess reads every value of a property. Here one query counts, among the newest
    SAMPLE_CUSTOMERS customers, those meeting each positive condition; then:
    - a condition few customers meet drives: its index gives their ids (one more query),
      and the other conditions are checked on those customers only;
    - else, when customers meeting them all are common enough, customers are checked one
      by one, newest first, until a page is full;
    - else the customers meeting the two rarest conditions are intersected from their
      indexes, and the others checked on those customers.
    """
    positives = [c for c in conditions if c.operator not in NEGATIONS]
    if not positives:
        return queryset.filter(_all_per_customer(conditions, definitions))
    matches = [_value_match(c, definitions[c.key]) for c in positives]
    newest = (queryset.model.objects.filter(account=account).order_by("-id").values("id"))[
        :SAMPLE_CUSTOMERS
    ]
    met = PropertyValue.objects.filter(
        customer_id__in=Subquery(newest),
        definition__in=[definitions[c.key] for c in positives],
    ).aggregate(
        **{
            f"c{i}": Count("pk", filter=Q(definition=definitions[c.key]) & (match or Q()))
            for i, (c, match) in enumerate(zip(positives, matches, strict=True))
        }
    )
    total = next(iter(definitions.values())).customers or 0
    sampled = max(1, min(SAMPLE_CUSTOMERS, total))
    shares = [met[f"c{i}"] / sampled for i in range(len(positives))]
    rarest = min(
        range(len(positives)),
        key=lambda i: (not _indexed(positives[i], definitions[positives[i].key]), shares[i]),
    )
    driver, driver_match = positives[rarest], matches[rarest]
    others = [c for c in conditions if c is not driver]
    holding = PropertyValue.objects.filter(definition=definitions[driver.key])
    if driver_match is not None:
        holding = holding.filter(driver_match)
    if _indexed(driver, definitions[driver.key]) and shares[rarest] * total <= DRIVER_MAX:
        ids = list(holding.values_list("customer_id", flat=True)[: DRIVER_MAX * 4 + 1])
        if len(ids) <= DRIVER_MAX * 4:
            return queryset.filter(Q(pk__in=ids) & _all_per_customer(others, definitions))
    joint = math.prod(shares)
    if joint and PAGE / joint <= SCAN_MAX:
        return queryset.filter(_all_per_customer(conditions, definitions))
    # The two rarest indexed conditions: the customers both hold, intersected from their
    # indexes (few, as they rarely meet together), the others checked on those only.
    joined = sorted(
        (i for i, c in enumerate(positives) if _indexed(c, definitions[c.key])),
        key=lambda i: shares[i],
    )[:2]
    sets = []
    for i in joined:
        holding = PropertyValue.objects.filter(definition=definitions[positives[i].key])
        if matches[i] is not None:
            holding = holding.filter(matches[i])
        sets.append(holding.order_by().values_list("customer_id", flat=True))
    rest = [c for c in conditions if all(c is not positives[i] for i in joined)]
    if len(sets) == 2:
        ids = list(sets[0].intersection(sets[1])[: DRIVER_MAX * 4 + 1])
        if len(ids) <= DRIVER_MAX * 4:
            return queryset.filter(Q(pk__in=ids) & _all_per_customer(rest, definitions))
    narrowed = Q()
    for held in sets:
        narrowed &= Q(pk__in=held)
    return queryset.filter(narrowed & _all_per_customer(rest, definitions))


def _indexed(condition: Condition, definition: PropertyDefinition) -> bool:
    """Whether an index finds the values meeting `condition` (all but text `contains` and
    `starts_with`, which are case-insensitive)."""
    return condition.operator not in (Operator.CONTAINS, Operator.STARTS_WITH) or (
        definition.property_type is PropertyType.COLLECTION
    )


def _all_per_customer(conditions: list, definitions: dict) -> Q:
    combined = Q()
    for condition in conditions:
        combined &= _condition_q(condition, definitions[condition.key], per_customer=True)
    return combined


def _most_selective_first(conditions: list[Condition], definitions: dict) -> list[Condition]:
    """Order conditions so that those few customers meet come first: a customer failing
    one is then dropped before the others are looked up. Negations (not set, not equal)
    hold for most customers; the others at most for the property's holders."""

    def rank(condition: Condition) -> tuple:
        negated = condition.operator in NEGATIONS
        return (negated, definitions[condition.key].holders or 0)

    return sorted(conditions, key=rank)


def _condition_q(
    condition: Condition, definition: PropertyDefinition, *, per_customer: bool = False
) -> Q:
    """Return the condition on customers: whether they hold a value that matches (or, for
    negations, none). `per_customer` keeps PostgreSQL from turning it into a join: it is
    then checked customer by customer."""
    has_value = PropertyValue.objects.filter(customer=OuterRef("pk"), definition=definition)
    match = _value_match(condition, definition)
    if (
        match is not None
        and definition.property_type is PropertyType.COLLECTION
        and connection.vendor == "sqlite"
    ):
        # The customers holding the item, from SQLite's items index (migration 0009).
        holding = Q(pk__in=customers_holding_item(definition, condition.value.strip()))
        return ~holding if condition.operator in NEGATIONS else holding
    if match is not None:
        has_value = has_value.filter(match)
    held = (_PerCustomer if per_customer else Exists)(has_value)
    return ~Q(held) if condition.operator in NEGATIONS else Q(held)


class _PerCustomer(Exists):
    """EXISTS that PostgreSQL keeps a check per row (OFFSET 0: never turned into a join)."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def _value_match(condition: Condition, definition: PropertyDefinition) -> Q | None:
    """Return the condition on one value row, or None when holding any value is enough
    (set, not set)."""
    operator = condition.operator
    if operator in (Operator.IS_SET, Operator.IS_NOT_SET):
        return None
    type_ = definition.property_type
    if type_ is PropertyType.JSON:
        raise InvalidInput(
            f'"{condition.key}" is a JSON property: filter it by set or not set only '
            f"({condition.key}__set=true or {condition.key}__not_set=true).",
            details={"key": condition.key},
        )
    column = values.STORAGE_COLUMN[type_]
    if operator in _RANGE_LOOKUP:
        if type_ not in ORDERED_TYPES:
            raise InvalidInput(
                f'"{condition.key}" is a {type_} property: greater/less than apply to '
                "number, integer and date properties only.",
                details={"key": condition.key},
            )
        target = values.coerce(condition.value, type_)
        return Q(**{f"{column}__{_RANGE_LOOKUP[operator]}": target})
    if operator not in OPERATORS_BY_TYPE[type_]:
        raise InvalidInput(
            f'"{condition.key}" is a {type_} property: "{operator}" applies to '
            f"{_types_taking(operator)} properties only.",
            details={"key": condition.key},
        )
    if operator is Operator.STARTS_WITH:
        _refuse_nul(condition.value)
        return Q(**{f"{column}__istartswith": condition.value})
    if operator in (Operator.CONTAINS, Operator.NOT_CONTAINS) or type_ is PropertyType.COLLECTION:
        return _contains_q(condition, type_, column)
    return Q(**{column: values.coerce(condition.value, type_)})


def _types_taking(operator: Operator) -> str:
    names = [str(type_) for type_, taken in OPERATORS_BY_TYPE.items() if operator in taken]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _refuse_nul(text: str) -> None:
    if "\x00" in text:
        raise InvalidInput("Filter values cannot contain NUL characters.")


def _contains_q(condition: Condition, type_: PropertyType, column: str) -> Q:
    if type_ is PropertyType.COLLECTION:
        item = condition.value.strip()
        if "\x00" in item:
            raise InvalidInput("Filter values cannot contain NUL characters.")
        if connection.vendor == "postgresql":
            # One lookup in the GIN index of lower-cased items (migration 0005): the item
            # as a one-item array, lower-cased the same way (JSON text, then jsonb), which
            # PostgreSQL folds to a constant.
            wanted = Func(
                Value(json.dumps([item], ensure_ascii=False)),
                template="(LOWER(%(expressions)s))::jsonb",
            )
            return Q(value_list__isnull=False) & Q(
                Func(
                    folded_items(),
                    wanted,
                    arg_joiner=" @> ",
                    template="(%(expressions)s)",
                    output_field=BooleanField(),
                )
            )
        # An item matches as a whole JSON string; both escapings, since backends store differently.
        return Q(**{f"{column}__icontains": json.dumps(item)}) | Q(
            **{f"{column}__icontains": json.dumps(item, ensure_ascii=False)}
        )
    if type_ in (PropertyType.TEXT, PropertyType.URL):
        if "\x00" in condition.value:
            raise InvalidInput("Filter values cannot contain NUL characters.")
        return Q(**{f"{column}__icontains": condition.value})
    raise InvalidInput(
        f'"{condition.key}" is a {type_} property: "contains" applies to text, URL and '
        "collection properties only.",
        details={"key": condition.key},
    )
