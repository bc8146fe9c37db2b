"""Property conditions for filtering customers ("plan_tier = enterprise", "payments >= 10").

The vocabulary every door shares: an operator, a condition, the comparison symbols.
`customers.conditions.syntax` reads them from a query string;
`customers.selectors.conditions` narrows customers to those meeting them.
"""

from dataclasses import dataclass
from enum import StrEnum


class Operator(StrEnum):
    EQUALS = "eq"
    NOT_EQUALS = "ne"
    CONTAINS = "contains"
    GREATER = "gt"
    GREATER_OR_EQUAL = "gte"
    LESS = "lt"
    LESS_OR_EQUAL = "lte"
    IS_SET = "set"
    IS_NOT_SET = "not_set"


# The operators that take no value: the property is set on the customer, or not.
FLAG_OPERATORS = (Operator.IS_SET, Operator.IS_NOT_SET)

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
