"""Query-string filters of GET /api/customers.

Identifier and tag filters are a django-filter FilterSet (used as the validating
form); every other `key<op>value` term is a property condition, e.g.
`plan_tier=enterprise`, `number_of_payments>=10`, `trial_ends__lt=2026-01-01`,
`nickname__set=false`, `interests__contains=golf`.
"""

import django_filters
from rest_framework.exceptions import ValidationError

from customers.conditions import Condition
from customers.conditions.syntax import conditions_from_query_string
from customers.identifiers import identifier_value
from customers.models import Customer

PAGINATION_PARAMETERS = {"cursor", "limit"}
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class CustomerFilter(django_filters.FilterSet):
    customer_id = django_filters.NumberFilter(field_name="pk")
    customer_uuid = django_filters.UUIDFilter(field_name="uuid")
    visitor_id = django_filters.CharFilter()
    user_id = django_filters.CharFilter()
    email = django_filters.CharFilter()
    phone = django_filters.CharFilter()
    tag = django_filters.CharFilter(help_text="Tag name; repeat for customers with every tag.")
    q = django_filters.CharFilter(help_text="Search identifiers, names and company.")
    suppressed = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        help_text="true: only customers suppressed through Customer.io; false: the others.",
    )
    unsubscribed = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        help_text="true: only customers unsubscribed through Retently; false: the others.",
    )

    class Meta:
        model = Customer
        fields = []


FILTER_NAMES = set(CustomerFilter.base_filters)


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
        "states": {
            state: cleaned[state] == "true"
            for state in ("suppressed", "unsubscribed")
            if cleaned.get(state)
        },
    }
    return filter_values, _conditions(request.META.get("QUERY_STRING", ""))


def _conditions(query_string: str) -> list[Condition]:
    conditions, errors = conditions_from_query_string(
        query_string, reserved=FILTER_NAMES | PAGINATION_PARAMETERS
    )
    if errors:
        raise ValidationError({"filters": errors})
    return conditions
