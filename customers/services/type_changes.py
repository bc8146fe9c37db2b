"""Change a property definition's type on purpose, converting every stored value.

Each value is read back in its wire form (``values.to_json`` of the old type) and
coerced to the new type with the same rules as every incoming write
(``values.coerce``). Values that cannot be converted are never dropped silently:
the change is refused unless the caller agreed to remove them.
"""

import json

from django.db import transaction
from django.utils import timezone

from customers import limits, values
from customers.errors import Conflict, DefinitionArchived, InvalidInput, InvalidValue
from customers.models import AuditAction, PropertyDefinition, PropertyValue
from customers.services.audit import Actor, audit_record
from customers.values import STORAGE_COLUMN, VALUE_COLUMNS, PropertyType

# Values are read and written in slices so memory stays flat on large accounts.
BATCH_SIZE = 1_000
_SHOWN_LENGTH = 80

FailingSample = tuple[int, str, str]


class ValuesWouldBeLost(Conflict):
    """A type change would remove values that cannot be converted, without consent."""

    code = "type_change_loses_values"


def definition_type_change_preview(
    *, definition: PropertyDefinition, new_type: str, sample_size: int = 10
) -> tuple[int, int, list[FailingSample]]:
    """Return how many values convert, how many do not, and a sample of those that do not.

    Each sample is (customer id, the value as shown to users, why it cannot convert).
    """
    new_type = _checked_new_type(definition, new_type)
    converting = failing = 0
    samples: list[FailingSample] = []
    for batch in _value_batches(definition):
        for row in batch:
            wire = values.to_json(row.stored, definition.property_type)
            try:
                _convert(wire, new_type)
            except InvalidValue as error:
                failing += 1
                if len(samples) < sample_size:
                    samples.append((row.customer_id, _shown(wire), error.message))
            else:
                converting += 1
    return converting, failing, samples


def definition_type_change(
    *,
    definition: PropertyDefinition,
    new_type: str,
    actor: Actor,
    allow_removal_of: int = 0,
) -> tuple[int, int]:
    """Change the definition's type and convert every value; return (converted, removed).

    `allow_removal_of` is how many values that cannot be converted the caller agreed
    to remove (the count its preview showed). When more fail, nothing changes and
    ``ValuesWouldBeLost`` says how many.
    """
    new_type = _checked_new_type(definition, new_type)
    with transaction.atomic():
        # Lock the definition so two type changes of one property cannot interleave.
        locked = PropertyDefinition.objects.select_for_update().get(pk=definition.pk)
        _checked_new_type(locked, new_type)
        old_type = locked.property_type
        converted, failing_pks = _convert_values(locked, old_type, new_type)
        _remove_unconverted(locked, new_type, failing_pks, allowed=allow_removal_of)
        locked.type = new_type
        locked.save(update_fields=["type", "updated_at"])
        audit_record(
            account=locked.account,
            actor=actor,
            action=AuditAction.DEFINITION_TYPE_CHANGED,
            target=locked.key,
            details={
                "from": str(old_type),
                "to": str(new_type),
                "converted": converted,
                "not_converted": len(failing_pks),
            },
        )
    definition.type = locked.type
    definition.updated_at = locked.updated_at
    return converted, len(failing_pks)


def _remove_unconverted(
    definition: PropertyDefinition, new_type: PropertyType, pks: list[int], *, allowed: int
) -> None:
    """Remove the values that did not convert, if no more than the caller agreed to."""
    if len(pks) > allowed:
        # Raising rolls back every value converted so far.
        raise ValuesWouldBeLost(
            f'{len(pks)} values of property "{definition.key}" cannot be converted '
            f"to {new_type.label.lower()}; agree to remove them, or fix them first.",
            details={"key": definition.key, "not_converted": len(pks)},
        )
    for start in range(0, len(pks), BATCH_SIZE):
        PropertyValue.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).delete()


def _convert_values(
    definition: PropertyDefinition, old_type: PropertyType, new_type: PropertyType
) -> tuple[int, list[int]]:
    """Store every value that converts in its new column; return how many, and the ids of
    the values that do not convert (left as they are)."""
    column = STORAGE_COLUMN[new_type]
    now = timezone.now()
    converted = 0
    failing_pks: list[int] = []
    for batch in _value_batches(definition):
        changed = []
        for row in batch:
            try:
                stored = _convert(values.to_json(row.stored, old_type), new_type)
            except InvalidValue:
                failing_pks.append(row.pk)
                continue
            for name in VALUE_COLUMNS:
                setattr(row, name, None)
            setattr(row, column, stored)
            row.updated_at = now
            changed.append(row)
        PropertyValue.objects.bulk_update(
            changed, [*VALUE_COLUMNS, "updated_at"], batch_size=BATCH_SIZE
        )
        converted += len(changed)
    return converted, failing_pks


def _checked_new_type(definition: PropertyDefinition, new_type: str) -> PropertyType:
    new_type = values.parse_type(new_type)
    if definition.is_archived:
        raise DefinitionArchived(
            f'Property "{definition.key}" is archived: restore it before changing its type.',
            details={"key": definition.key},
        )
    if new_type == definition.property_type:
        raise InvalidInput(
            f'Property "{definition.key}" is already of type {new_type.label.lower()}.',
            details={"field": "new_type"},
        )
    return new_type


def _convert(wire: object, new_type: PropertyType) -> values.StoredValue:
    return values.coerce(wire, new_type, limits=limits.value_limits())


def _value_batches(definition: PropertyDefinition):
    """Yield the definition's values in slices of BATCH_SIZE, by primary key."""
    last_pk = 0
    while True:
        batch = list(
            PropertyValue.objects.filter(definition=definition, pk__gt=last_pk)
            .only("pk", "customer_id", *VALUE_COLUMNS)
            .order_by("pk")[:BATCH_SIZE]
        )
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _shown(wire: object) -> str:
    """Return a value as users read it: text as is, anything else as JSON, shortened."""
    text = wire if isinstance(wire, str) else json.dumps(wire, ensure_ascii=False)
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 1] + "…"
    return text
