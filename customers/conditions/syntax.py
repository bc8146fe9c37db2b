"""The query-string syntax of property conditions, shared by the native API and the pages.

`plan_tier=enterprise`, `number_of_payments>=10`, `trial_ends__lt=2026-01-01`,
`nickname__set=false`: a key, a comparison symbol (or `__<operator>=`), a value.
"""

import re
from urllib.parse import unquote_plus

from customers.conditions import COMPARISON_SYMBOLS, FLAG_OPERATORS, Condition, Operator

# A query-string term: key, then the first of these symbols, then the value.
TERM = re.compile(r"^(?P<key>[^<>=!]+?)(?P<op>>=|<=|!=|>|<|=)(?P<value>.*)$", re.DOTALL)
SUFFIXES = {op.value: op for op in Operator}
_NEGATED_FLAG = {Operator.IS_SET: Operator.IS_NOT_SET, Operator.IS_NOT_SET: Operator.IS_SET}


class _Unreadable(ValueError):
    """A term that is not a condition; the message says how to write one."""


def conditions_from_query_string(
    query_string: str, *, reserved: frozenset[str] | set[str]
) -> tuple[list[Condition], list[str]]:
    """Return the property conditions of an API-style query string, and what could not be read.

    Terms `name=value` whose name is in `reserved` (the door's own parameters) are skipped.
    """
    conditions: list[Condition] = []
    errors: list[str] = []
    for raw_term in query_string.split("&"):
        term = unquote_plus(raw_term)
        if not term:
            continue
        try:
            condition = _condition_of(term, reserved=reserved)
        except _Unreadable as error:
            errors.append(str(error))
            continue
        if condition is not None:
            conditions.append(condition)
    return conditions, errors


def _condition_of(term: str, *, reserved: frozenset[str] | set[str]) -> Condition | None:
    """Return the condition a term writes, or None for a reserved parameter."""
    match = TERM.match(term)
    if match is None:
        raise _Unreadable(f"“{term}” is not a filter: write key=value, key>=value, key__set=true…")
    key, symbol, value = match["key"], match["op"], match["value"]
    if symbol == "=" and key in reserved:
        return None
    operator = COMPARISON_SYMBOLS[symbol]
    if "__" in key:
        key, suffix = key.rsplit("__", 1)
        if suffix not in SUFFIXES or symbol != "=":
            raise _Unreadable(f"“{term}”: unknown operator; use {', '.join(SUFFIXES)}.")
        operator = SUFFIXES[suffix]
        if operator in FLAG_OPERATORS:
            operator, value = _flag(term, operator, value), ""
    return Condition(key=key.strip(), operator=operator, value=value)


def _flag(term: str, operator: Operator, value: str) -> Operator:
    """Return `__set`/`__not_set` as written (`=true`, `=1`, nothing) or turned by `=false`."""
    flag = value.strip().lower()
    if flag not in ("true", "false", "1", "0", ""):
        raise _Unreadable(f"“{term}”: use __set=true or __set=false.")
    return _NEGATED_FLAG[operator] if flag in ("false", "0") else operator
