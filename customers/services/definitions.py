"""Property definitions, account-wide: create, edit, archive, restore, purge."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.tasks import TaskResult, TaskResultStatus
from django.utils import timezone

from customers import limits, values
from customers.errors import DefinitionExists, DomainError, InvalidInput, LabelTaken, LimitExceeded
from customers.models import Account, AuditAction, DefinitionSource, PropertyDefinition
from customers.services.audit import Actor, audit_record
from customers.services.labels import label_check_free, labels_free
from customers.services.properties import label_for
from customers.services.purges import check_not_purging, definition_purge_start
from customers.tasks import definition_purge_task

MAX_LABEL_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2_000


def definition_create(
    *,
    account: Account,
    key: str,
    type: str = values.PropertyType.TEXT,
    label: str = "",
    description: str = "",
    source: str = DefinitionSource.API,
    actor: Actor,
) -> PropertyDefinition:
    """Create a definition; refuse a key the account already has, or a label another
    active property has (ignoring case). Without a label, the key's readable form is
    used, or its first free "<label> (2)"…"""
    key = values.validate_key(key)
    property_type = values.parse_type(type)
    label = _checked_text("label", label, MAX_LABEL_LENGTH)
    description = _checked_text("description", description, MAX_DESCRIPTION_LENGTH)
    _check_room_for_one_more(account)
    if label:
        label_check_free(account=account, label=label)
    else:
        label = labels_free(account=account, wanted={key: label_for(key)})[key]
    try:
        with transaction.atomic():
            definition = PropertyDefinition.objects.create(
                account=account,
                key=key,
                type=property_type,
                label=label,
                description=description,
                source=source,
            )
            audit_record(
                account=account,
                actor=actor,
                action=AuditAction.DEFINITION_CREATED,
                target=key,
                details={"type": str(property_type)},
            )
    except IntegrityError:
        if not PropertyDefinition.objects.filter(account=account, key=key).exists():
            # The key is free: a concurrent writer took the label in between.
            label_check_free(account=account, label=label)
        raise DefinitionExists(
            f'Property "{key}" already exists in this account.', details={"key": key}
        ) from None
    return definition


def definition_update(
    *,
    definition: PropertyDefinition,
    label: str | None = None,
    description: str | None = None,
    actor: Actor,
) -> PropertyDefinition:
    """Change a definition's label and description (its key and type stay); refuse a
    label another active property has (ignoring case)."""
    changes = {}
    if label is not None:
        label = _checked_text("label", label, MAX_LABEL_LENGTH)
        if not label:
            raise InvalidInput("A label cannot be empty.", details={"field": "label"})
        if label != definition.label and not definition.is_archived:
            label_check_free(account=definition.account, label=label, excluding=definition)
        changes["label"] = label
    if description is not None:
        changes["description"] = _checked_text("description", description, MAX_DESCRIPTION_LENGTH)
    changed = {k: v for k, v in changes.items() if getattr(definition, k) != v}
    if not changed:
        return definition
    try:
        with transaction.atomic():
            for name, value in changed.items():
                setattr(definition, name, value)
            definition.save(update_fields=[*changed, "updated_at"])
            audit_record(
                account=definition.account,
                actor=actor,
                action=AuditAction.DEFINITION_UPDATED,
                target=definition.key,
                details={"fields": sorted(changed)},
            )
    except IntegrityError:  # a concurrent writer took the label in between
        definition.refresh_from_db()
        label_check_free(account=definition.account, label=label, excluding=definition)
        raise
    return definition


def definition_archive(*, definition: PropertyDefinition, actor: Actor) -> PropertyDefinition:
    """Archive account-wide: hidden everywhere, values kept, writes refused."""
    return _archived_set(definition, archived=True, actor=actor)


def definition_restore(*, definition: PropertyDefinition, actor: Actor) -> PropertyDefinition:
    """Restore an archived definition with every value it had (not once its permanent
    delete has begun)."""
    check_not_purging(definition)
    if definition.is_archived:
        try:
            label_check_free(account=definition.account, label=definition.label)
        except LabelTaken as taken:
            raise LabelTaken(
                f"Cannot restore “{definition.label}” ({definition.key}): the active property "
                f"{taken.details['key']} has the same label. Rename one of them first.",
                details={**taken.details, "field": "label"},
            ) from None
    return _archived_set(definition, archived=False, actor=actor)


def _archived_set(
    definition: PropertyDefinition, *, archived: bool, actor: Actor
) -> PropertyDefinition:
    """Archive or restore once, with its audit entry; a definition already so is left alone."""
    if definition.is_archived == archived:
        return definition
    with transaction.atomic():
        definition.archived_at = timezone.now() if archived else None
        definition.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            account=definition.account,
            actor=actor,
            action=AuditAction.DEFINITION_ARCHIVED if archived else AuditAction.DEFINITION_RESTORED,
            target=definition.key,
        )
    return definition


@dataclass(frozen=True)
class PurgeRequest:
    """A permanent delete that ran (`values_removed` known) or is queued for the worker."""

    queued: bool
    values_removed: int | None = None


def definition_purge_request(*, definition: PropertyDefinition, actor: Actor) -> PurgeRequest:
    """Check the definition may be purged, then purge it through the background task.

    The task is enqueued once the caller's transaction commits, so that a worker never
    reads what may still roll back; outside a transaction (every door's request) that is
    at once. Inline by default (the count is known at once); with a worker, or inside a
    caller's transaction, the request returns at once and the audit log records the count
    when the delete finishes. The purge is recorded first (DefinitionPurge), so that the
    Contact attributes page shows its progress and a stopped worker's purge is resumed.
    """
    definition_purge_start(definition=definition, actor=actor)
    enqueued: list[TaskResult] = []
    transaction.on_commit(
        lambda: enqueued.append(
            definition_purge_task.enqueue(definition_id=definition.pk, actor=actor.to_ref())
        )
    )
    result = enqueued[0] if enqueued else None
    if result is not None and result.status == TaskResultStatus.SUCCESSFUL:
        return PurgeRequest(queued=False, values_removed=result.return_value)
    if result is not None and result.status == TaskResultStatus.FAILED:
        raise DomainError(
            f'Deleting "{definition.key}" did not finish: some of its values may already be '
            "removed. Try again to finish the delete.",
            code="purge_failed",
        )
    return PurgeRequest(queued=True)


def _check_room_for_one_more(account: Account) -> None:
    maximum = limits.max_definitions()
    if PropertyDefinition.objects.filter(account=account).count() >= maximum:
        raise LimitExceeded(
            f"This account may hold at most {maximum} properties.",
            code="too_many_definitions",
            details={"max": maximum},
        )


def _checked_text(name: str, value: object, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string.", details={"field": name})
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(f"{name} cannot contain NUL characters.", details={"field": name})
    if len(value) > max_length:
        raise InvalidInput(
            f"{name} is at most {max_length} characters; got {len(value)}.",
            details={"field": name},
        )
    return value
