"""The customers list's property conditions in words, and the columns they add."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from customers.conditions import FLAG_OPERATORS, Condition, Operator
from customers.models import Customer, PropertyDefinition
from customers.values import PropertyType
from web.presenters.values import display_value

_OPERATOR_WORDS = {
    Operator.EQUALS: "is",
    Operator.NOT_EQUALS: "is not",
    Operator.CONTAINS: "contains",
    Operator.NOT_CONTAINS: "does not contain",
    Operator.STARTS_WITH: "starts with",
    Operator.GREATER: "is greater than",
    Operator.GREATER_OR_EQUAL: "is at least",
    Operator.LESS: "is less than",
    Operator.LESS_OR_EQUAL: "is at most",
    Operator.IS_SET: "is set",
    Operator.IS_NOT_SET: "is not set",
}
_DATE_OPERATOR_WORDS = {
    Operator.GREATER: "is after",
    Operator.GREATER_OR_EQUAL: "is on or after",
    Operator.LESS: "is before",
    Operator.LESS_OR_EQUAL: "is on or before",
}


def operator_words(operator: Operator, type_: PropertyType | None) -> str:
    """Return how the pages say `operator` for a property of `type_` ("is before" a date)."""
    if type_ is PropertyType.DATE:
        return _DATE_OPERATOR_WORDS.get(operator, _OPERATOR_WORDS[operator])
    return _OPERATOR_WORDS[operator]


@dataclass(frozen=True)
class ConditionChip:
    """An active condition as the list shows it, with the query string that drops it."""

    text: str
    remove_query: str


def condition_text(condition: Condition, definition: PropertyDefinition | None) -> str:
    """Return the condition in words: "Plan tier is enterprise", "Trial ends is before …"."""
    label = definition.label if definition else condition.key
    words = operator_words(condition.operator, definition.property_type if definition else None)
    if condition.operator in FLAG_OPERATORS:
        return f"{label} {words}"
    return f"{label} {words} “{condition.value}”"


def condition_chips(
    conditions: list[Condition],
    by_key: dict[str, PropertyDefinition],
    query_of: Callable[[list[Condition]], str],
) -> list[ConditionChip]:
    """Return each condition as a phrase, with the query string (`query_of` the others)
    that removes it."""
    return [
        ConditionChip(
            text=condition_text(condition, by_key.get(condition.key)),
            remove_query=query_of([*conditions[:i], *conditions[i + 1 :]]),
        )
        for i, condition in enumerate(conditions)
    ]


class CustomerRow(NamedTuple):
    """One customer of the list, with a cell per property the conditions name."""

    customer: Customer
    condition_cells: list[str]


def customer_rows(customers: list[Customer], keys: list[str]) -> list[CustomerRow]:
    """Return each customer with the displayed value of each of `keys` ("" when it has none)."""
    return [
        CustomerRow(
            customer,
            [
                display_value(*customer.property_values[key])
                if key in customer.property_values
                else ""
                for key in keys
            ],
        )
        for customer in customers
    ]
