"""Property conditions for filtering customers ("plan_tier = enterprise", "payments >= 10").

The vocabulary every door shares: an operator, a condition, the comparison symbols.
`customers.conditions.syntax` reads them from a query string;
`customers.selectors.conditions` narrows customers to those meeting them.
"""

from dataclasses import dataclass
from enum import StrEnum

from customers.values import PropertyType


class Operator(StrEnum):
    EQUALS = "eq"
    NOT_EQUALS = "ne"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"
    STARTS_WITH = "starts_with"
    GREATER = "gt"
    GREATER_OR_EQUAL = "gte"
    LESS = "lt"
    LESS_OR_EQUAL = "lte"
    IS_SET = "set"
    IS_NOT_SET = "not_set"


# The operators that take no value: the property is set on the customer, or not.
FLAG_OPERATORS = (Operator.IS_SET, Operator.IS_NOT_SET)

# What a customer meets when it holds no value matching the operator's positive form
# (not equal, not contains) or none at all (not set).
NEGATIONS = (Operator.IS_NOT_SET, Operator.NOT_EQUALS, Operator.NOT_CONTAINS)

_FLAGS = (Operator.IS_SET, Operator.IS_NOT_SET)
_EQUALITY = (Operator.EQUALS, Operator.NOT_EQUALS)
_ORDER = (
    Operator.GREATER,
    Operator.GREATER_OR_EQUAL,
    Operator.LESS,
    Operator.LESS_OR_EQUAL,
)
_TEXT = (*_EQUALITY, Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.STARTS_WITH, *_FLAGS)
# The operators each property type may be filtered by, for every door: the filter refuses
# the others, and the pages offer these only. On a collection, equals means holds the item.
OPERATORS_BY_TYPE: dict[PropertyType, tuple[Operator, ...]] = {
    PropertyType.TEXT: _TEXT,
    PropertyType.URL: _TEXT,
    PropertyType.NUMBER: (*_EQUALITY, *_ORDER, *_FLAGS),
    PropertyType.INTEGER: (*_EQUALITY, *_ORDER, *_FLAGS),
    PropertyType.DATE: (*_EQUALITY, *_ORDER, *_FLAGS),
    PropertyType.BOOLEAN: (*_EQUALITY, *_FLAGS),
    PropertyType.COLLECTION: (*_EQUALITY, Operator.CONTAINS, Operator.NOT_CONTAINS, *_FLAGS),
    PropertyType.JSON: _FLAGS,
}

# Comparison symbols as the native query string and HelpCrunch's search write them.
COMPARISON_SYMBOLS = {
    "=": Operator.EQUALS,
    "!=": Operator.NOT_EQUALS,
    ">": Operator.GREATER,
    ">=": Operator.GREATER_OR_EQUAL,
    "<": Operator.LESS,
    "<=": Operator.LESS_OR_EQUAL,
}


@dataclass(frozen=True)
class Condition:
    key: str
    operator: Operator
    value: str = ""
