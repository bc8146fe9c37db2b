"""Query-string filters of GET /api/customers.

Identifier and tag filters are a django-filter FilterSet (used as the validating
form); every other `key<op>value` term is a property condition, e.g.
`plan_tier=enterprise`, `number_of_payments>=10`, `trial_ends__lt=2026-01-01`,
`nickname__set=false`, `interests__contains=golf`.
"""

import re
from urllib.parse import unquote_plus

import django_filters
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from customers.conditions import Condition, Operator
from customers.identifiers import identifier_value
from customers.models import Customer

PAGINATION_PARAMETERS = {"cursor", "limit"}
_TERM = re.compile(r"^(?P<key>[^<>=!]+?)(?P<op>>=|<=|!=|>|<|=)(?P<value>.*)$", re.DOTALL)
_SYMBOL_OPERATORS = {
    "=": Operator.EQUALS,
    "!=": Operator.NOT_EQUALS,
    ">": Operator.GREATER,
    ">=": Operator.GREATER_OR_EQUAL,
    "<": Operator.LESS,
    "<=": Operator.LESS_OR_EQUAL,
}
_SUFFIX_OPERATORS = {op.value: op for op in Operator}


class CustomerFilter(django_filters.FilterSet):
    customer_id = django_filters.NumberFilter(field_name="pk")
    customer_uuid = django_filters.UUIDFilter(field_name="uuid")
    visitor_id = django_filters.CharFilter()
    user_id = django_filters.CharFilter()
    email = django_filters.CharFilter()
    phone = django_filters.CharFilter()
    tag = django_filters.CharFilter(help_text="Tag name; repeat for customers with every tag.")
    q = django_filters.CharFilter(help_text="Search identifiers, names and company.")

    class Meta:
        model = Customer
        fields = []


FILTER_NAMES = set(CustomerFilter.base_filters)
CUSTOMER_FILTER_PARAMETERS = [
    *(OpenApiParameter(name, str) for name in sorted(FILTER_NAMES)),
    OpenApiParameter("cursor", str, description="Opaque cursor from `next`/`previous`."),
    OpenApiParameter("limit", int, description="Page size, 1 to 200 (default 50)."),
]


def customer_filters(request) -> tuple[dict, list[Condition]]:
    """Return the selector's filter arguments and the property conditions of the query."""
    filterset = CustomerFilter(data=request.query_params, queryset=Customer.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    cleaned = filterset.form.cleaned_data
    identifiers = {}
    for name in ("customer_id", "customer_uuid", "visitor_id", "user_id", "email", "phone"):
        value = cleaned.get(name)
        if value in (None, ""):
            continue
        if name == "phone":
            identifiers["phone"] = value
        else:
            checked = identifier_value(name, value)
            identifiers[{"customer_id": "pk", "customer_uuid": "uuid"}.get(name, name)] = checked
    filter_values = {
        "identifiers": identifiers,
        "tags": [t for t in request.query_params.getlist("tag") if t],
        "search": (cleaned.get("q") or "").strip(),
    }
    return filter_values, _conditions(request.META.get("QUERY_STRING", ""))


def _conditions(query_string: str) -> list[Condition]:
    conditions = []
    for raw_term in query_string.split("&"):
        term = unquote_plus(raw_term)
        if not term:
            continue
        match = _TERM.match(term)
        if match is None:
            raise ValidationError(
                {term: ["Write a filter as key=value, key>=value, key<value, key__set=true…"]}
            )
        key, symbol, value = match["key"], match["op"], match["value"]
        if symbol == "=" and key in FILTER_NAMES | PAGINATION_PARAMETERS:
            continue
        operator = _SYMBOL_OPERATORS[symbol]
        if "__" in key:
            key, suffix = key.rsplit("__", 1)
            if suffix not in _SUFFIX_OPERATORS or symbol != "=":
                raise ValidationError(
                    {term: [f"Unknown operator {suffix!r}: use {', '.join(_SUFFIX_OPERATORS)}."]}
                )
            operator = _SUFFIX_OPERATORS[suffix]
            if operator in (Operator.IS_SET, Operator.IS_NOT_SET):
                flag = value.strip().lower()
                if flag not in ("true", "false", "1", "0", ""):
                    raise ValidationError({term: ["Use __set=true or __set=false."]})
                if flag in ("false", "0"):
                    operator = (
                        Operator.IS_NOT_SET if operator is Operator.IS_SET else Operator.IS_SET
                    )
        conditions.append(Condition(key=key.strip(), operator=operator, value=value))
    return conditions
