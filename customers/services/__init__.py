"""Every write of the service; each door (APIs, pages, admin, commands) calls these."""

from customers.services.accounts import account_get_or_create
from customers.services.api_keys import api_key_authenticate, api_key_create, api_key_revoke
from customers.services.audit import Actor, audit_record
from customers.services.bulk import (
    ProfileOutcome,
    ProfileWrite,
    customers_properties_save_many,
)
from customers.services.customers import (
    customer_create,
    customer_delete,
    customer_identify,
    customer_update,
)
from customers.services.data_issues import data_issues_record
from customers.services.definitions import (
    definition_archive,
    definition_create,
    definition_purge_request,
    definition_restore,
    definition_update,
)
from customers.services.deletions import customers_delete
from customers.services.devices import customer_device_delete, customer_device_set
from customers.services.lenient import customer_profile_save_lenient
from customers.services.merges import customer_profile_merge
from customers.services.profiles import customer_profile_change, customer_profile_save
from customers.services.properties import (
    PropertyWrite,
    RefusedProperty,
    WriteResult,
    WrittenProperty,
    customer_properties_save,
    customer_properties_set,
    property_unassign,
    writes_check_count,
)
from customers.services.purges import definition_purge
from customers.services.subscriptions import customers_resubscribe, customers_unsubscribe
from customers.services.suppressions import customer_suppress, customer_unsuppress
from customers.services.tags import (
    customer_tags_add,
    customer_tags_remove,
    customer_tags_set,
    tags_ensure,
)

__all__ = [
    "Actor",
    "ProfileOutcome",
    "ProfileWrite",
    "PropertyWrite",
    "RefusedProperty",
    "WriteResult",
    "WrittenProperty",
    "account_get_or_create",
    "api_key_authenticate",
    "api_key_create",
    "api_key_revoke",
    "audit_record",
    "customer_create",
    "customer_delete",
    "customer_device_delete",
    "customer_device_set",
    "customer_identify",
    "customer_profile_change",
    "customer_profile_merge",
    "customer_profile_save",
    "customer_profile_save_lenient",
    "customer_properties_save",
    "customer_properties_set",
    "customer_suppress",
    "customer_tags_add",
    "customer_tags_remove",
    "customer_tags_set",
    "customer_unsuppress",
    "customer_update",
    "customers_delete",
    "customers_properties_save_many",
    "customers_resubscribe",
    "customers_unsubscribe",
    "data_issues_record",
    "definition_archive",
    "definition_create",
    "definition_purge",
    "definition_purge_request",
    "definition_restore",
    "definition_update",
    "property_unassign",
    "tags_ensure",
    "writes_check_count",
]
