"""Customers meeting property conditions, as one filtered query.

Values in a condition are coerced to the definition's type with the same rules as writes.
"""

import json

from django.db.models import Exists, OuterRef, Q, QuerySet

from customers import values
from customers.conditions import Condition, Operator
from customers.errors import InvalidInput
from customers.models import Account, PropertyDefinition, PropertyValue
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

    One query reads the conditions' definitions; the rest is one filtered query.
    """
    if not conditions:
        return queryset
    keys = {c.key for c in conditions}
    definitions = {
        d.key: d
        for d in PropertyDefinition.objects.filter(
            account=account, key__in=keys, archived_at__isnull=True
        )
    }
    combined = Q()
    for condition in conditions:
        definition = definitions.get(condition.key)
        if definition is None:
            raise InvalidInput(
                f'Cannot filter on "{condition.key}": no such property in this account.',
                code="unknown_filter",
                details={"key": condition.key},
            )
        q = _condition_q(condition, definition)
        combined = (combined | q) if match_any else (combined & q)
    return queryset.filter(combined)


def _condition_q(condition: Condition, definition: PropertyDefinition) -> Q:
    has_value = PropertyValue.objects.filter(customer=OuterRef("pk"), definition=definition)
    operator = condition.operator
    if operator is Operator.IS_SET:
        return Q(Exists(has_value))
    if operator is Operator.IS_NOT_SET:
        return ~Q(Exists(has_value))
    type_ = definition.property_type
    column = values.STORAGE_COLUMN[type_]
    if operator in _RANGE_LOOKUP:
        if type_ not in ORDERED_TYPES:
            raise InvalidInput(
                f'"{condition.key}" is a {type_} property: greater/less than apply to '
                "number, integer and date properties only.",
                details={"key": condition.key},
            )
        target = values.coerce(condition.value, type_)
        return Q(Exists(has_value.filter(**{f"{column}__{_RANGE_LOOKUP[operator]}": target})))
    if operator is Operator.CONTAINS or type_ is PropertyType.COLLECTION:
        match = _contains_q(condition, type_, column)
    else:
        match = Q(**{column: values.coerce(condition.value, type_)})
    if operator is Operator.NOT_EQUALS:
        return ~Q(Exists(has_value.filter(match)))
    return Q(Exists(has_value.filter(match)))


def _contains_q(condition: Condition, type_: PropertyType, column: str) -> Q:
    if type_ is PropertyType.COLLECTION:
        # An item matches as a whole JSON string; both escapings, since backends store differently.
        item = condition.value.strip()
        if "\x00" in item:
            raise InvalidInput("Filter values cannot contain NUL characters.")
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
