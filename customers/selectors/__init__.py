"""Every read of the service, by entity, each in a fixed number of queries; plain data out.

Callers import from here; the modules group the reads by what they read.
"""

from customers.selectors.api_keys import api_key_get, api_keys_of
from customers.selectors.audit import AUDIT_PAGE_SIZE, AuditPage, audit_entries_page
from customers.selectors.conditions import customers_matching
from customers.selectors.customers import (
    CustomerPage,
    customer_get,
    customers_exist,
    customers_filtered,
    customers_in_batches,
    customers_page,
    customers_with_values,
    tags_of_account,
)
from customers.selectors.definitions import (
    AttributeList,
    active_definition_keys,
    attribute_detail,
    attribute_list,
    customer_total,
    definition_customer_count,
    definition_get,
    definition_labels,
    definitions_active,
    definitions_with_counts,
)
from customers.selectors.members import members_of, membership_by_email, membership_get
from customers.selectors.values import (
    Bar,
    Distribution,
    HeldValue,
    customer_held_values,
    customer_values,
    definition_distribution,
    definition_distribution_cached,
)

__all__ = [
    "AUDIT_PAGE_SIZE",
    "AttributeList",
    "AuditPage",
    "Bar",
    "CustomerPage",
    "Distribution",
    "HeldValue",
    "active_definition_keys",
    "api_key_get",
    "api_keys_of",
    "attribute_detail",
    "attribute_list",
    "audit_entries_page",
    "customer_get",
    "customer_held_values",
    "customer_total",
    "customer_values",
    "customers_exist",
    "customers_filtered",
    "customers_in_batches",
    "customers_matching",
    "customers_page",
    "customers_with_values",
    "definition_customer_count",
    "definition_distribution",
    "definition_distribution_cached",
    "definition_get",
    "definition_labels",
    "definitions_active",
    "definitions_with_counts",
    "members_of",
    "membership_by_email",
    "membership_get",
    "tags_of_account",
]
