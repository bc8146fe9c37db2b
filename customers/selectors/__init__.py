"""Every read of customers, definitions and values, each in a fixed number of queries."""

from customers.selectors.core import (
    active_definition_keys,
    customer_values,
    customers_filtered,
    customers_with_values,
    definition_customer_count,
    definition_get,
    definition_labels,
    definitions_with_counts,
)

__all__ = [
    "active_definition_keys",
    "customer_values",
    "customers_filtered",
    "customers_with_values",
    "definition_customer_count",
    "definition_get",
    "definition_labels",
    "definitions_with_counts",
]
