"""Property definitions, account-wide: create, edit, archive, restore, purge."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers import limits, values
from customers.errors import (
    DefinitionExists,
    DefinitionNotArchived,
    DomainError,
    InvalidInput,
    LimitExceeded,
)
from customers.models import (
    Account,
    AuditAction,
    DefinitionSource,
    PropertyDefinition,
    PropertyValue,
)
from customers.services.audit import Actor, audit_record
from customers.services.properties import label_for

MAX_LABEL_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2_000
# Values are removed in slices so a large purge never holds long locks.
PURGE_BATCH_SIZE = 5_000


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
    """Create a definition; refuse a key the account already has."""
    key = values.validate_key(key)
    property_type = values.parse_type(type)
    label = _checked_text("label", label, MAX_LABEL_LENGTH) or label_for(key)
    description = _checked_text("description", description, MAX_DESCRIPTION_LENGTH)
    maximum = limits.max_definitions()
    if PropertyDefinition.objects.filter(account=account).count() >= maximum:
        raise LimitExceeded(
            f"This account may hold at most {maximum} properties.",
            code="too_many_definitions",
            details={"max": maximum},
        )
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
    """Change a definition's label and description (its key and type stay)."""
    changes = {}
    if label is not None:
        label = _checked_text("label", label, MAX_LABEL_LENGTH)
        if not label:
            raise InvalidInput("A label cannot be empty.", details={"field": "label"})
        changes["label"] = label
    if description is not None:
        changes["description"] = _checked_text("description", description, MAX_DESCRIPTION_LENGTH)
    changed = {k: v for k, v in changes.items() if getattr(definition, k) != v}
    if not changed:
        return definition
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
    return definition


def definition_archive(*, definition: PropertyDefinition, actor: Actor) -> PropertyDefinition:
    """Archive account-wide: hidden everywhere, values kept, writes refused."""
    if definition.is_archived:
        return definition
    with transaction.atomic():
        definition.archived_at = timezone.now()
        definition.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            account=definition.account,
            actor=actor,
            action=AuditAction.DEFINITION_ARCHIVED,
            target=definition.key,
        )
    return definition


def definition_restore(*, definition: PropertyDefinition, actor: Actor) -> PropertyDefinition:
    """Restore an archived definition with every value it had."""
    if not definition.is_archived:
        return definition
    with transaction.atomic():
        definition.archived_at = None
        definition.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            account=definition.account,
            actor=actor,
            action=AuditAction.DEFINITION_RESTORED,
            target=definition.key,
        )
    return definition


def definition_purge(*, definition: PropertyDefinition, actor: Actor) -> int:
    """Delete an archived definition and every customer's value of it; return how many."""
    if not definition.is_archived:
        raise DefinitionNotArchived(
            f'Archive property "{definition.key}" before deleting it permanently.',
            details={"key": definition.key},
        )
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


@dataclass(frozen=True)
class PurgeRequest:
    """A permanent delete that ran (`values_removed` known) or is queued for the worker."""

    queued: bool
    values_removed: int | None = None


def definition_purge_request(*, definition: PropertyDefinition, actor: Actor) -> PurgeRequest:
    """Check the definition may be purged, then purge it through the background task.

    Inline by default (the count is known at once); with a worker, the request returns
    at once and the audit log records the count when the delete finishes.
    """
    from django.tasks import TaskResultStatus

    from customers.tasks import definition_purge_task

    if not definition.is_archived:
        raise DefinitionNotArchived(
            f'Archive property "{definition.key}" before deleting it permanently.',
            details={"key": definition.key},
        )
    result = definition_purge_task.enqueue(
        definition_id=definition.pk,
        actor_user_id=getattr(actor.user, "pk", None),
        actor_api_key_id=getattr(actor.api_key, "pk", None),
        actor_system=actor.system,
    )
    if result.status == TaskResultStatus.SUCCESSFUL:
        return PurgeRequest(queued=False, values_removed=result.return_value)
    if result.status == TaskResultStatus.FAILED:
        raise DomainError(
            f'Deleting "{definition.key}" did not finish: some of its values may already be '
            "removed. Try again to finish the delete.",
            code="purge_failed",
        )
    return PurgeRequest(queued=True)


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
