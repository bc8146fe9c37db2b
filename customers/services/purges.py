"""Permanent deletes of definitions: the work the background task runs (customers/tasks.py).

Apart from customers/services/definitions.py, which enqueues that task, so that the task's
module and the service that enqueues it do not import each other.
"""

from django.db import transaction

from customers.errors import DefinitionNotArchived
from customers.models import AuditAction, PropertyDefinition, PropertyValue
from customers.services.audit import Actor, audit_record

# Values are removed in slices so a large purge never holds long locks.
PURGE_BATCH_SIZE = 5_000


def check_purgeable(definition: PropertyDefinition) -> None:
    """Refuse to delete a definition that is not archived."""
    if not definition.is_archived:
        raise DefinitionNotArchived(
            f'Archive property "{definition.key}" before deleting it permanently.',
            details={"key": definition.key},
        )


def definition_purge(*, definition: PropertyDefinition, actor: Actor) -> int:
    """Delete an archived definition and every customer's value of it; return how many."""
    check_purgeable(definition)
    removed = 0
    while True:
        with transaction.atomic():
            batch = list(
                PropertyValue.objects.filter(definition=definition).values_list("pk", flat=True)[
                    :PURGE_BATCH_SIZE
                ]
            )
            if not batch:
                break
            removed += PropertyValue.objects.filter(pk__in=batch).delete()[0]
    with transaction.atomic():
        key = definition.key
        account = definition.account
        definition.delete()
        audit_record(
            account=account,
            actor=actor,
            action=AuditAction.DEFINITION_PURGED,
            target=key,
            details={"values_removed": removed},
        )
    return removed
