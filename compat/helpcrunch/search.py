"""HelpCrunch's customer search (`POST /customers/search`) and list ordering and paging.

A filter is `{"field", "operator", "value"}`; `comparison` "AND" (the default) or
"OR" combines them. Fields are named with or without HelpCrunch's `customers.`
prefix: the Customer's columns (`id`, `name`, `email`, `userId`, `company`, `phone`,
`createdAt`), `tagsData`, HelpCrunch's standard fields kept as properties
(`firstSeen`, `lastSeen`, `unsubscribed`, …) and `customData.<key>`. Property
filters are the shared property conditions of customers/conditions/; a property
no customer of the account has is treated as unset on every customer.
"""

import functools
import operator as op
from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, NullIf, Trim

from compat.helpcrunch.errors import FieldError
from compat.helpcrunch.fields import STANDARD_PROPERTIES
from compat.helpcrunch.mapping import customer_id
from customers import selectors, values
from customers.conditions import COMPARISON_SYMBOLS, Condition, Operator
from customers.errors import DomainError, InvalidValue
from customers.models import Account, Customer, PropertyValue

FIELD_PREFIX = "customers."
SEARCH_FIELDS = frozenset({"filter", "comparison", "limit", "offset", "sort", "order"})
DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 20, 100, 10**9

# HelpCrunch's operators ("=", "!=", ">", ">=", "~" are in its documentation), with the
# rest of the comparisons, "does not contain" and emptiness.
PROPERTY_OPERATORS = {
    **COMPARISON_SYMBOLS,
    "~": Operator.CONTAINS,
    "!~": Operator.CONTAINS,  # negated: see NEGATED
    "empty": Operator.IS_NOT_SET,
    "not empty": Operator.IS_SET,
}
OPERATORS = tuple(PROPERTY_OPERATORS)
OPERATOR_ALIASES = {"not_empty": "not empty", "is empty": "empty", "is not empty": "not empty"}
NEGATED = frozenset({"!~"})
# What a filter on a property nobody has matches: nobody, or (for these) everybody.
MATCH_ALL_WHEN_UNDEFINED = frozenset({"!=", "!~", "empty"})
ORDERED_OPERATORS = frozenset({">", ">=", "<", "<="})

# Text columns, by field; "hc_name" is the full name, aliased in customers_searched.
TEXT_COLUMNS = {
    "name": "hc_name",
    "email": "email",
    "userId": "user_id",
    "company": "company",
    "phone": "phone",
}
CASE_SENSITIVE_COLUMNS = frozenset({"user_id", "phone"})
SORT_COLUMNS = {
    "id": ("pk",),
    "name": ("first_name", "last_name"),
    "email": ("email",),
    "userId": ("user_id",),
    "company": ("company",),
    "phone": ("phone",),
    "createdAt": ("created_at",),
}
_EVERYONE = Q(pk__isnull=False)
_NOBODY = Q(pk__isnull=True)


@dataclass(frozen=True)
class Filter:
    index: int
    field: str  # without the "customers." prefix
    operator: str
    value: object
    key: str | None = None  # the property key of a property field

    @property
    def code(self) -> str:
        return f"filter[{self.index}]"


@dataclass(frozen=True)
class Ordering:
    field: str
    descending: bool


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int


@dataclass(frozen=True)
class Search:
    filters: list[Filter]
    match_any: bool
    ordering: Ordering
    page: Page


def search_from(body: object) -> Search:
    """Read a search body; refuse unknown fields and malformed filters with the field as code."""
    if not isinstance(body, dict):
        raise FieldError("body", 'The body is a JSON object such as {"filter": [...]}.')
    unknown = sorted(str(name) for name in body if name not in SEARCH_FIELDS)
    if unknown:
        raise FieldError(
            unknown[0][:80], "Unknown search field: use " + ", ".join(sorted(SEARCH_FIELDS))
        )
    raw_filters = body.get("filter")
    if raw_filters is None:
        raw_filters = []
    if not isinstance(raw_filters, list):
        raise FieldError("filter", "filter is a list of {field, operator, value} objects.")
    comparison = body.get("comparison")
    if comparison is None or comparison == "":
        comparison = "AND"
    if not isinstance(comparison, str) or comparison.strip().upper() not in ("AND", "OR"):
        raise FieldError("comparison", 'comparison is "AND" or "OR".')
    return Search(
        filters=[filter_from(index, item) for index, item in enumerate(raw_filters)],
        match_any=comparison.strip().upper() == "OR",
        ordering=ordering_from(body.get("sort"), body.get("order")),
        page=page_from(body.get("offset"), body.get("limit")),
    )


def filter_from(index: int, item: object) -> Filter:
    code = f"filter[{index}]"
    if not isinstance(item, dict):
        raise FieldError(code, "A filter is an object with a field, an operator and a value.")
    extra = sorted(str(name) for name in item if name not in ("field", "operator", "value"))
    if extra:
        raise FieldError(
            f"{code}.{extra[0][:80]}", "A filter has a field, an operator and a value."
        )
    name, key = _field_of(code, item.get("field"))
    operator = item.get("operator")
    if isinstance(operator, str):
        operator = operator.strip().lower()
        operator = OPERATOR_ALIASES.get(operator, operator)
    if operator not in PROPERTY_OPERATORS:
        raise FieldError(f"{code}.operator", "Use one of the operators " + ", ".join(OPERATORS))
    value = item.get("value")
    if value is None and operator in ("=", "!="):
        # Equal to null is empty; not equal to null is not empty.
        operator = "empty" if operator == "=" else "not empty"
    if value is None and operator not in ("empty", "not empty"):
        raise FieldError(f"{code}.value", "This value should not be blank.")
    return Filter(index, name, operator, value, key)


def _field_of(code: str, field: object) -> tuple[str, str | None]:
    """Return a filter's field without its prefix, and the property key it names, if any."""
    if not isinstance(field, str) or not field.strip():
        raise FieldError(f"{code}.field", "This value should not be blank.")
    name = field.strip().removeprefix(FIELD_PREFIX)
    if name in STANDARD_PROPERTIES:
        return name, STANDARD_PROPERTIES[name][0]
    if name.startswith("customData."):
        try:
            return name, values.normalize_key(name.removeprefix("customData."))
        except DomainError as error:
            raise FieldError(f"{code}.field", error.message) from None
    if name == "tags":
        return "tagsData", None
    if name not in TEXT_COLUMNS and name not in ("id", "createdAt", "tagsData"):
        raise FieldError(
            f"{code}.field",
            "Unknown field: search customers.id, name, email, userId, company, phone, "
            "createdAt, tagsData, " + ", ".join(STANDARD_PROPERTIES) + " or customData.<key>.",
        )
    return name, None


def ordering_from(sort: object, order: object) -> Ordering:
    if sort is None or sort == "":
        sort = "id"
    if not isinstance(sort, str):
        raise FieldError("sort", "sort is a field name such as customers.firstSeen.")
    name = sort.strip().removeprefix(FIELD_PREFIX)
    if name not in SORT_COLUMNS and name not in STANDARD_PROPERTIES:
        raise FieldError(
            "sort",
            "Sort by customers." + ", ".join([*SORT_COLUMNS, *STANDARD_PROPERTIES]) + ".",
        )
    if order is None or order == "":
        order = "asc"
    if not isinstance(order, str) or order.strip().lower() not in ("asc", "desc"):
        raise FieldError("order", 'order is "asc" or "desc".')
    return Ordering(name, order.strip().lower() == "desc")


def page_from(offset: object, limit: object) -> Page:
    return Page(
        offset=_whole("offset", offset, default=0, low=0, high=MAX_OFFSET),
        limit=_whole("limit", limit, default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT),
    )


def _whole(name: str, raw: object, *, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip()) if len(raw.strip()) < 12 else high + 1
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise FieldError(name, f"{name} is a whole number from {low} to {high}.")
    return raw


def customers_searched(*, account: Account, search: Search) -> QuerySet[Customer]:
    """Return the account's customers matching the search's filters (lazy, unordered)."""
    property_filters = [f for f in search.filters if f.key is not None]
    defined = set()
    if property_filters:
        defined = selectors.active_definition_keys(
            account=account, keys={f.key for f in property_filters}
        )
    parts: list[Q] = []
    positive: list[tuple[Filter, Condition]] = []
    negative: list[tuple[Filter, Condition]] = []
    for item in search.filters:
        if item.key is None:
            parts.append(_column_q(account, item))
        elif item.key not in defined:
            parts.append(_EVERYONE if item.operator in MATCH_ALL_WHEN_UNDEFINED else _NOBODY)
        else:
            condition = Condition(item.key, PROPERTY_OPERATORS[item.operator], _text(item))
            (negative if item.operator in NEGATED else positive).append((item, condition))
    everyone = Customer.objects.filter(account=account)
    if positive:
        matched = _matching(everyone, account, positive, match_any=search.match_any)
        parts.append(Q(pk__in=matched.values("pk")))
    if negative:
        # Not containing any of them (AND) is the negation of containing one (OR), and back.
        matched = _matching(everyone, account, negative, match_any=not search.match_any)
        parts.append(~Q(pk__in=matched.values("pk")))
    queryset = selectors.customers_filtered(account=account).alias(
        hc_name=Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
    )
    if parts:
        queryset = queryset.filter(functools.reduce(op.or_ if search.match_any else op.and_, parts))
    return queryset


def ordered(queryset: QuerySet[Customer], ordering: Ordering) -> QuerySet[Customer]:
    """Order by a HelpCrunch field, customers without a value last, then by id."""
    tie = "-pk" if ordering.descending else "pk"
    if ordering.field in SORT_COLUMNS:
        # An empty text is no value: it sorts last, as NULL does.
        keys = [
            F(name) if name in ("pk", "created_at") else NullIf(name, Value(""))
            for name in SORT_COLUMNS[ordering.field]
        ]
    else:
        key, type_ = STANDARD_PROPERTIES[ordering.field]
        value = PropertyValue.objects.filter(
            customer=OuterRef("pk"),
            definition__account_id=OuterRef("account_id"),
            definition__key=key,
            definition__archived_at__isnull=True,
        ).values(values.STORAGE_COLUMN[type_])[:1]
        queryset = queryset.alias(hc_sort=Subquery(value))
        keys = [F("hc_sort")]
    if ordering.descending:
        expressions = [key.desc(nulls_last=True) for key in keys]
    else:
        expressions = [key.asc(nulls_last=True) for key in keys]
    return queryset.order_by(*expressions, tie)


def _column_q(account: Account, item: Filter) -> Q:
    if item.field == "tagsData":
        return _tags_q(account, item)
    if item.operator in ("empty", "not empty"):
        if item.field in ("id", "createdAt"):
            empty = _NOBODY
        else:
            column = TEXT_COLUMNS[item.field]
            empty = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
        return empty if item.operator == "empty" else ~empty
    if item.field in ("id", "createdAt"):
        if item.operator in ("~", "!~"):
            raise FieldError(f"{item.code}.operator", f"{item.field} takes =, !=, >, >=, < or <=.")
        if item.field == "id":
            target, column = customer_id(item.value, f"{item.code}.value"), "pk"
        else:
            target, column = _coerced(item, values.PropertyType.DATE), "created_at"
        if item.operator in ("=", "!="):
            match = Q(**{column: target})
            return match if item.operator == "=" else ~match
        lookup = {">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}[item.operator]
        return Q(**{f"{column}__{lookup}": target})
    if item.operator in ORDERED_OPERATORS:
        raise FieldError(
            f"{item.code}.operator",
            f"{item.field} is text: use =, !=, ~, !~, empty or not empty "
            "(greater and less than apply to id, createdAt, dates and numbers).",
        )
    column = TEXT_COLUMNS[item.field]
    text = _text(item)
    if item.operator in ("~", "!~"):
        match = Q(**{f"{column}__icontains": text})
    elif column in CASE_SENSITIVE_COLUMNS:
        match = Q(**{column: text})
    else:
        match = Q(**{f"{column}__iexact": text})
    return match if item.operator in ("=", "~") else ~match


def _tags_q(account: Account, item: Filter) -> Q:
    through = Customer.tags.through.objects.filter(customer_id=OuterRef("pk"), tag__account=account)
    if item.operator in ("empty", "not empty"):
        has_tags = Q(Exists(through))
        return ~has_tags if item.operator == "empty" else has_tags
    if item.operator != "=":
        raise FieldError(
            f"{item.code}.operator", "tagsData takes =, empty or not empty (arrays have no !=)."
        )
    raw = item.value if isinstance(item.value, list) else [item.value]
    names = []
    for entry in raw:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if not isinstance(name, str) or not name.strip():
            raise FieldError(f"{item.code}.value", 'tagsData is a list such as [{"name": "Paid"}].')
        names.append(name.strip())
    if not names:
        raise FieldError(f"{item.code}.value", "This value should not be blank.")
    # A customer matches when it has every one of the tags.
    return functools.reduce(op.and_, [Q(Exists(through.filter(tag__name=n))) for n in names])


def _text(item: Filter) -> str:
    value = item.value
    if item.operator in ("empty", "not empty"):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**18 else _refuse_value(item)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, str):
        return value
    return _refuse_value(item)


def _refuse_value(item: Filter):
    raise FieldError(f"{item.code}.value", "This value should be a string, number or boolean.")


def _coerced(item: Filter, type_: values.PropertyType):
    try:
        return values.coerce(_text(item), type_)
    except DomainError as error:
        raise FieldError(f"{item.code}.value", error.message) from None


def _matching(queryset, account, pairs, *, match_any: bool) -> QuerySet:
    """Apply the shared property conditions; name the filter a refusal is about."""
    try:
        return selectors.customers_matching(
            queryset, account=account, conditions=[c for _, c in pairs], match_any=match_any
        )
    except DomainError as error:
        item = _failing_filter(error, [f for f, _ in pairs])
        part = "value" if isinstance(error, InvalidValue) else "operator"
        raise FieldError(f"{item.code}.{part}", error.message) from None


def _failing_filter(error: DomainError, filters: list[Filter]) -> Filter:
    key = error.details.get("key")
    candidates = [f for f in filters if key is None or f.key == key] or filters
    type_name = error.details.get("type")
    if key is None and type_name in values.PropertyType:
        # The value refused is one that cannot be read as the refused type.
        failing = [f for f in candidates if not _coerces(_text(f), values.PropertyType(type_name))]
        candidates = failing or candidates
    return candidates[0]


def _coerces(text: str, type_: values.PropertyType) -> bool:
    try:
        values.coerce(text, type_)
    except DomainError:
        return False
    return True
