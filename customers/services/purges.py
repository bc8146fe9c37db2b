"""Permanent deletes of definitions: the work the background task runs (customers/tasks.py).

Apart from customers/services/definitions.py, which enqueues that task, so that the task's
module and the service that enqueues it do not import each other.

A purge walks the values table's primary keys in ranges, one short transaction per range:
each range is found through the primary key's index (never an OFFSET that grows, nor a
scan from the start past the entries earlier batches left dead), and the row of
DefinitionPurge records how far it got in the same transaction. A worker stopped halfway
leaves that row: `purges_resume` (run when `make worker` starts) enqueues it again, and the
purge goes on from there. Two runs of one purge take turns on its row's lock, batch by batch,
so a purge enqueued twice still deletes each value once and finishes once.
"""

import math

from django.db import connection, transaction

from customers.errors import Conflict, DefinitionNotArchived
from customers.models import AuditAction, DefinitionPurge, PropertyDefinition, PropertyValue
from customers.services.audit import Actor, audit_record

# Values removed per transaction, about: a large purge never holds long locks.
PURGE_BATCH_SIZE = 5_000
VALUES = PropertyValue._meta.db_table


def check_purgeable(definition: PropertyDefinition) -> None:
    """Refuse to delete a definition that is not archived."""
    if not definition.is_archived:
        raise DefinitionNotArchived(
            f'Archive property "{definition.key}" before deleting it permanently.',
            details={"key": definition.key},
        )


def check_not_purging(definition: PropertyDefinition) -> None:
    """Refuse to restore a definition whose permanent delete has begun: it will be gone."""
    if DefinitionPurge.objects.filter(definition=definition).exists():
        raise Conflict(
            f'Property "{definition.key}" is being deleted permanently and cannot be '
            "restored; create it again once the delete has finished.",
            code="purge_in_progress",
            details={"key": definition.key},
        )


def definition_purge_start(*, definition: PropertyDefinition, actor: Actor) -> DefinitionPurge:
    """Record that `definition` is to be deleted permanently; return its purge (one per
    definition: asking again returns the purge under way)."""
    check_purgeable(definition)
    purge, _ = DefinitionPurge.objects.get_or_create(
        definition=definition,
        defaults={"account": definition.account, "actor": actor.to_ref()},
    )
    return purge


def definition_purge(*, definition: PropertyDefinition, actor: Actor) -> int:
    """Delete an archived definition and every customer's value of it; return how many.

    A purge already under way (a worker stopped halfway) goes on where it stopped, and the
    count returned is the whole purge's.
    """
    purge = definition_purge_start(definition=definition, actor=actor)
    _measure(purge)
    while _purge_batch(purge.pk):
        pass
    return _purge_finish(purge.pk, actor)


def purges_resume() -> list[int]:
    """Enqueue every purge a stopped worker left unfinished; return their definitions' ids."""
    from customers.tasks import definition_purge_task

    definition_ids = []
    for purge in DefinitionPurge.objects.order_by("pk"):
        definition_purge_task.enqueue(definition_id=purge.definition_id, actor=purge.actor)
        definition_ids.append(purge.definition_id)
    return definition_ids


def _measure(purge: DefinitionPurge) -> None:
    """Count the values to delete and the range of their primary keys, once per purge."""
    if purge.next_value_id:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MIN(id), MAX(id) FROM {VALUES} WHERE definition_id = %s",
            [purge.definition_id],
        )
        total, first, last = cursor.fetchone()
    DefinitionPurge.objects.filter(pk=purge.pk, next_value_id=0).update(
        values_total=total, next_value_id=first or 1, last_value_id=last or 0
    )


def _purge_batch(purge_id: int) -> bool:
    """Delete the values in the next range of primary keys; return False when none is left."""
    with transaction.atomic():
        purge = DefinitionPurge.objects.select_for_update().filter(pk=purge_id).first()
        if purge is None or purge.next_value_id > purge.last_value_id:
            return False
        end = purge.next_value_id + _range_width(purge)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {VALUES} WHERE definition_id = %s AND id >= %s AND id < %s",
                [purge.definition_id, purge.next_value_id, end],
            )
            removed = cursor.rowcount
        DefinitionPurge.objects.filter(pk=purge_id).update(
            next_value_id=end, values_removed=purge.values_removed + removed
        )
    return True


def _range_width(purge: DefinitionPurge) -> int:
    return _range_width_of(
        total=purge.values_total,
        removed=purge.values_removed,
        first=purge.next_value_id,
        last=purge.last_value_id,
    )


def _range_width_of(*, total: int, removed: int, first: int, last: int) -> int:
    """Return how many primary keys a range from `first` spans to hold about
    PURGE_BATCH_SIZE of the values left.

    The definition's values are spread among every other definition's: the sparser they
    are, the wider the range, so that each batch deletes about as many.
    """
    span = last - first + 1
    left = max(total - removed, 1)
    return max(PURGE_BATCH_SIZE, math.ceil(PURGE_BATCH_SIZE * span / left))


def _purge_finish(purge_id: int, actor: Actor) -> int:
    """Delete the definition and record the purge in the audit log; return values removed."""
    with transaction.atomic():
        purge = (
            DefinitionPurge.objects.select_for_update()
            .select_related("definition__account")
            .filter(pk=purge_id)
            .first()
        )
        if purge is None:
            # Another run of the same purge finished it.
            return 0
        definition = purge.definition
        key, account = definition.key, definition.account
        # The cascade also takes any value written after the purge measured its range
        # (none while the definition stays archived).
        _, deleted = definition.delete()
        removed = purge.values_removed + deleted.get(PropertyValue._meta.label, 0)
        audit_record(
            account=account,
            actor=actor,
            action=AuditAction.DEFINITION_PURGED,
            target=key,
            details={"values_removed": removed},
        )
    return removed
