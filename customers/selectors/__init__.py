"""Every read of customers, definitions and values, each in a fixed number of queries."""

from customers.selectors.core import (
    customer_values,
    customers_filtered,
    customers_with_values,
    definition_customer_count,
    definition_get,
    definitions_with_counts,
)

__all__ = [
    "customer_values",
    "customers_filtered",
    "customers_with_values",
    "definition_customer_count",
    "definition_get",
    "definitions_with_counts",
]
