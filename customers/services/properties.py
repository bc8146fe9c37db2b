"""Customer property values: set many at once, unassign one."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from customers import limits, statements, values
from customers.errors import (
    DefinitionArchived,
    DefinitionNotFound,
    DomainError,
    LimitExceeded,
    TypeConflict,
)
from customers.identifiers import Identifier
from customers.models import (
    Account,
    Customer,
    DefinitionSource,
    PropertyDefinition,
)
from customers.services.customers import customer_identify
from customers.services.labels import definitions_relabelled
from customers.statements import DefinitionRef
from customers.values import PropertyType


@dataclass(frozen=True)
class PropertyWrite:
    """One key to set on a customer; a value of None or "" unassigns it."""

    key: str
    value: object
    type: str | None = None
    # The label of a definition this write creates; else one made from the key.
    label: str | None = None


@dataclass(frozen=True)
class WrittenProperty:
    key: str
    type: PropertyType
    value: values.StoredValue | None
    updated_at: datetime | None

    @property
    def unassigned(self) -> bool:
        return self.value is None

    def to_json(self):
        return None if self.value is None else values.to_json(self.value, self.type)


@dataclass(frozen=True)
class RefusedProperty:
    key: str
    error: DomainError


@dataclass
class WriteResult:
    written: list[WrittenProperty] = field(default_factory=list)
    refused: list[RefusedProperty] = field(default_factory=list)


@dataclass
class _Plan:
    write: PropertyWrite
    type: PropertyType
    stored: values.StoredValue | None  # None: unassign
    definition: DefinitionRef | None


def customer_properties_save(
    *,
    account: Account,
    identifier: Identifier,
    writes: Sequence[PropertyWrite],
    max_keys: int | None = None,
) -> tuple[Customer, WriteResult]:
    """Set properties of the customer with `identifier`, creating it if it may be created.

    Every value is checked before anything is written: a refused write creates no
    customer.
    """
    if max_keys is not None:
        writes_check_count(writes, max_keys=max_keys)
    result, plans = _plan_writes(account, writes, None, all_or_nothing=True)
    now = timezone.now()
    with transaction.atomic():
        customer = _customer_touched(account, identifier, now)
        _apply(account, customer, plans, DefinitionSource.API, result, now, all_or_nothing=True)
    return customer, result


def _customer_touched(account: Account, identifier: Identifier, now: datetime) -> Customer:
    """Return the customer of `identifier` with `updated_at` set to `now`, creating it if
    its identifier creates customers; one statement either way."""
    if identifier.kind in statements.CREATING_COLUMNS:
        pk, uuid = statements.customer_upsert(account.pk, identifier.kind, identifier.value, now)
    else:
        # Every other kind is a lookup column (phone too: a phone-only save is refused).
        found = statements.customer_touch(account.pk, identifier.kind, identifier.value, now)
        if found is None:
            # Raise the lookup's own not-found error.
            return customer_identify(account=account, identifier=identifier, create=False)
        pk, uuid = found
    # The fields the statement returned; the others load on access, as deferred fields.
    known = {"id": pk, "uuid": uuid, "account_id": account.pk, "updated_at": now}
    customer = Customer.from_db(
        DEFAULT_DB_ALIAS, _TOUCHED_FIELDS, [known[name] for name in _TOUCHED_FIELDS]
    )
    customer.account = account
    return customer


# In the model's field order, as Model.from_db reads them.
_TOUCHED_FIELDS = [
    field.attname
    for field in Customer._meta.concrete_fields
    if field.attname in ("id", "uuid", "account_id", "updated_at")
]


def customer_properties_set(
    *,
    account: Account,
    customer: Customer,
    writes: Sequence[PropertyWrite],
    source: str = DefinitionSource.API,
    all_or_nothing: bool = True,
    max_keys: int | None = None,
    default_type: PropertyType | None = None,
) -> WriteResult:
    """Set many properties of one customer in one transaction.

    Missing definitions are created (with the given type, else `default_type`, else
    inferred from the value). With `all_or_nothing`, any refused key refuses the
    whole write; without it, refused keys are reported and the others are stored.
    The number of queries does not depend on the number of keys.
    """
    if max_keys is not None:
        writes_check_count(writes, max_keys=max_keys)
    result, plans = _plan_writes(account, writes, default_type, all_or_nothing=all_or_nothing)
    now = timezone.now()
    with transaction.atomic():
        _apply(account, customer, plans, source, result, now, all_or_nothing=all_or_nothing)
        if plans:
            statements.customer_touch(account.pk, "customer_id", customer.pk, now)
            customer.updated_at = now
    return result


def _plan_writes(
    account: Account,
    writes: Sequence[PropertyWrite],
    default_type: PropertyType | None,
    *,
    all_or_nothing: bool,
) -> tuple[WriteResult, list[_Plan]]:
    """Check and coerce every write against the account's definitions; write nothing."""
    # The last write of a key wins, as if the writes were applied in order.
    by_key = {write.key: write for write in writes}
    result = WriteResult()
    keys = list(by_key)
    for key in keys:
        try:
            values.validate_key(key)
        except DomainError as error:
            result.refused.append(RefusedProperty(key, error))
            del by_key[key]
    value_limits = limits.value_limits()
    definitions = statements.definitions_by_key(account.pk, list(by_key))
    plans: list[_Plan] = []
    for key, write in by_key.items():
        try:
            plan = _plan(write, definitions.get(key), default_type, value_limits)
        except DomainError as error:
            result.refused.append(RefusedProperty(key, error))
            continue
        if plan is not None:
            plans.append(plan)
    if result.refused and all_or_nothing:
        _raise_refusals(result.refused)
    return result, plans


def _apply(
    account: Account,
    customer: Customer,
    plans: list[_Plan],
    source: str,
    result: WriteResult,
    now: datetime,
    *,
    all_or_nothing: bool,
) -> None:
    """Write checked plans inside the caller's transaction; fill `result.written`."""
    new_plans = [p for p in plans if p.definition is None]
    if new_plans:
        _create_definitions(account, new_plans, source, result, all_or_nothing)
        plans = [p for p in plans if p.definition is not None]
    to_store = [
        (customer.pk, p.definition.pk, values.STORAGE_COLUMN[p.type], p.stored)
        for p in plans
        if p.stored is not None
    ]
    to_unassign = [p.definition.pk for p in plans if p.stored is None]
    if to_store:
        statements.values_upsert(to_store, now)
    if to_unassign:
        statements.values_delete(customer.pk, to_unassign)
    result.written = [
        WrittenProperty(
            key=p.write.key,
            type=p.type,
            value=p.stored,
            updated_at=now if p.stored is not None else None,
        )
        for p in plans
    ]


def writes_check_count(writes: Sequence[PropertyWrite], *, max_keys: int) -> None:
    """Refuse more than `max_keys` writes in one request."""
    if len(writes) > max_keys:
        raise LimitExceeded(
            f"At most {max_keys} properties per request; got {len(writes)}. "
            "Split the update into several requests.",
            code="too_many_properties",
            details={"max": max_keys, "got": len(writes)},
        )


def property_unassign(*, account: Account, customer: Customer, key: str) -> bool:
    """Remove one value from this customer only; return whether it had one.

    The definition stays, and so do other customers' values.
    """
    definition = PropertyDefinition.objects.filter(account=account, key=key).first()
    if definition is None:
        raise DefinitionNotFound(f'No property "{key}" in this account.', details={"key": key})
    if definition.is_archived:
        raise _archived(key)
    with transaction.atomic():
        deleted = statements.values_delete(customer.pk, [definition.pk])
        if deleted:
            Customer.objects.filter(pk=customer.pk).update(updated_at=timezone.now())
    return bool(deleted)


def _plan(
    write: PropertyWrite,
    definition: DefinitionRef | None,
    default_type: PropertyType | None = None,
    value_limits: values.Limits | None = None,
) -> _Plan | None:
    requested = None if write.type in (None, "") else values.parse_type(write.type)
    if definition is not None:
        if definition.is_archived:
            raise _archived(write.key)
        type_ = definition.property_type
        # A declared type that fits the property's (an integer into a number, a URL into
        # text) is stored in the property's type; only a real mismatch is a conflict.
        if requested is not None and not values.fits_into(requested, type_):
            raise TypeConflict(
                f'Property "{write.key}" is of type {definition.type}, not {requested}. '
                "Send a value of its type, or change the type on the Contact attributes page.",
                details={"key": write.key, "type": definition.type, "requested": requested},
            )
    elif values.is_unassign(write.value):
        # Unassigning a key that was never defined changes nothing.
        return None
    else:
        type_ = requested or default_type or values.infer_type(write.value)
    if values.is_unassign(write.value):
        return _Plan(write, type_, None, definition)
    value_limits = value_limits or limits.value_limits()
    if requested is not None and requested is not type_:
        stored = values.coerce_declared(write.value, requested, type_, limits=value_limits)
    else:
        stored = values.coerce(write.value, type_, limits=value_limits)
    return _Plan(write, type_, stored, definition)


def _create_definitions(
    account: Account,
    new_plans: list[_Plan],
    source: str,
    result: WriteResult,
    all_or_nothing: bool,
) -> None:
    """Create the plans' missing definitions, tolerating concurrent creators."""
    maximum = limits.max_definitions()
    existing = PropertyDefinition.objects.filter(account=account).count()
    if existing + len(new_plans) > maximum:
        error = LimitExceeded(
            f"This account may hold at most {maximum} properties; it has {existing}. "
            "Archive and delete unused properties on the Contact attributes page.",
            code="too_many_definitions",
            details={"max": maximum, "existing": existing},
        )
        if all_or_nothing:
            raise error
        result.refused.extend(RefusedProperty(p.write.key, error) for p in new_plans)
        for plan in new_plans:
            plan.definition = None
        return
    rows = [
        PropertyDefinition(
            account=account,
            key=p.write.key,
            label=(p.write.label or label_for(p.write.key))[:200],
            type=p.type,
            source=source,
        )
        for p in new_plans
    ]
    PropertyDefinition.objects.bulk_create(rows, ignore_conflicts=True)
    created = statements.definitions_by_key(account.pk, [p.write.key for p in new_plans])
    if len(created) < len({row.key for row in rows}):  # skipped for a label that is taken
        created |= definitions_relabelled(account, [r for r in rows if r.key not in created])
    for plan in new_plans:
        definition = created[plan.write.key]
        if definition.property_type != plan.type or definition.is_archived:
            # A concurrent writer created the key with another type first.
            error = TypeConflict(
                f'Property "{plan.write.key}" was just created as {definition.type}; '
                f"this write needs {plan.type}.",
                details={"key": plan.write.key, "type": definition.type, "requested": plan.type},
            )
            if all_or_nothing:
                raise error
            result.refused.append(RefusedProperty(plan.write.key, error))
            continue
        plan.definition = definition


def _archived(key: str) -> DefinitionArchived:
    return DefinitionArchived(
        f'Property "{key}" is archived. Restore it on the Contact attributes page to write to it.',
        details={"key": key},
    )


def _raise_refusals(refused: list[RefusedProperty]) -> None:
    first = refused[0].error
    first.details = {
        **first.details,
        "properties": {r.key: {"code": r.error.code, "message": r.error.message} for r in refused},
    }
    raise first


def label_for(key: str) -> str:
    """Return a readable label for a key: "plan_tier" -> "Plan tier"."""
    return key.replace("_", " ").strip().capitalize()
