"""Many customers' profiles in one request, in statements whose number does not grow with
the number of customers.

Every item is checked and planned first, in request order, as if the items were saved
one after another: a key that an earlier item creates is known, with its type, to the
later ones, and the definition limit counts what earlier items create. Then one
transaction writes them all: missing definitions (one insert, read back), customers
with their contact fields (one upsert per identifier kind), tags (one insert, one
link), values (one upsert, one delete); on PostgreSQL each statement takes its rows as one
JSON parameter (customers/bulk_statements.py), whatever their number. Rows are sorted
before they are written so that concurrent requests lock them in the same order and
cannot deadlock each other. A value repeated across items is coerced once (Planner).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db import connection, transaction
from django.utils import timezone

from customers import bulk_statements, limits, statements, values
from customers.errors import DomainError, LimitExceeded, TypeConflict
from customers.identifiers import Identifier
from customers.models import (
    Account,
    Customer,
    DefinitionSource,
    PropertyDefinition,
    Tag,
)
from customers.services.customers import contact_text
from customers.services.labels import definitions_relabelled
from customers.services.properties import (
    PropertyWrite,
    RefusedProperty,
    WriteResult,
    WrittenProperty,
    _Plan,
    _plan,
    label_for,
)
from customers.services.tags import _checked_name
from customers.statements import DefinitionRef
from customers.values import PropertyType

# Contact fields a bulk write may set; identifiers are not changed in bulk.
TEXT_FIELDS = ("first_name", "last_name", "company")
# Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters, and
# more than any one request of a door sends in practice, so that is one statement.
ROWS_PER_STATEMENT = 500

CUSTOMERS = statements.CUSTOMERS
VALUES = statements.VALUES
TAGS = Tag._meta.db_table
CUSTOMER_TAGS = Customer.tags.through._meta.db_table


@dataclass(frozen=True)
class ProfileWrite:
    """One customer's part of a bulk write: who, contact fields, properties, tags to add."""

    identifier: Identifier
    fields: dict = field(default_factory=dict)
    writes: Sequence[PropertyWrite] = ()
    tags: Sequence[str] = ()


@dataclass
class ProfileOutcome:
    """What became of one item: its customer and result, or the error that refused it whole."""

    customer_id: int | None = None
    result: WriteResult = field(default_factory=WriteResult)
    error: DomainError | None = None
    _customer_args: dict | None = field(default=None, repr=False)

    @property
    def saved(self) -> bool:
        return self.error is None

    @cached_property
    def customer(self) -> Customer | None:
        """Return the saved customer; built on first use, as most callers need its id only."""
        if self._customer_args is None:
            return None
        args = dict(self._customer_args)
        raw = args["uuid"]
        args["uuid"] = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        return Customer(pk=self.customer_id, **args)


# Compared by identity: two items may hold the same writes.
@dataclass(eq=False)
class _Item:
    index: int
    identifier: Identifier
    fields: dict
    tags: list[str]
    plans: list[_Plan]
    result: WriteResult


def customers_properties_save_many(
    *,
    account: Account,
    items: Sequence[ProfileWrite],
    all_or_nothing: bool = False,
    default_type: PropertyType | None = None,
    source: str = DefinitionSource.API,
) -> list[ProfileOutcome]:
    """Save each item's customer (creating it), contact fields, tags and properties.

    Return one outcome per item, in order. An item whose fields or tags are invalid is
    refused whole; its refused properties are reported in its result (with
    `all_or_nothing`, they refuse the item whole instead). Items with the same
    identifier apply in order, the later one winning. Everything saved is committed
    in one transaction.
    """
    outcomes = [ProfileOutcome() for _ in items]
    checked: list[_Item] = []
    for index, item in enumerate(items):
        if item.identifier.kind not in statements.CREATING_COLUMNS:
            raise ValueError(f"customers are not saved in bulk by {item.identifier.kind}")
        try:
            fields, tags = _checked_fields(item.fields), _checked_tags(item.tags)
        except DomainError as error:
            outcomes[index].error = error
            continue
        checked.append(_Item(index, item.identifier, fields, tags, [], WriteResult()))
    planned = _plan_items(account, checked, items, default_type, all_or_nothing, outcomes)
    if not planned:
        return outcomes
    now = timezone.now()
    with transaction.atomic():
        creations = [p for item in planned for p in item.plans if p.definition.pk is None]
        if creations:
            planned = _create_definitions(account, planned, creations, source, all_or_nothing)
            for item in checked:
                if item not in planned and outcomes[item.index].error is None:
                    outcomes[item.index].error = _refusals_error(item.result.refused)
        customers = _customers_upsert(account, planned, now)
        _tags_add(account, [(customers[item.index][0], item.tags) for item in planned])
        _values_write(
            [(customers[item.index][0], plan) for item in planned for plan in item.plans], now
        )
    for item in planned:
        item.result.written = [
            WrittenProperty(p.write.key, p.type, p.stored, now if p.stored is not None else None)
            for p in item.plans
        ]
        pk, raw_uuid = customers[item.index]
        kind, value = item.identifier.kind, item.identifier.value
        outcomes[item.index].customer_id = pk
        outcomes[item.index]._customer_args = {
            "uuid": raw_uuid,
            "account": account,
            "updated_at": now,
            kind: value,
        }
        outcomes[item.index].result = item.result
    return outcomes


def _plan_items(
    account: Account,
    checked: list[_Item],
    items: Sequence[ProfileWrite],
    default_type: PropertyType | None,
    all_or_nothing: bool,
    outcomes: list[ProfileOutcome],
) -> list[_Item]:
    """Check and coerce every item's writes against the definitions, in order; write nothing.

    Return the items still to save. A definition an item will create is known to the
    items after it (by a DefinitionRef without pk), as if the items were saved in turn.
    """
    writes = _valid_writes(checked, items)
    keys = sorted({key for by_key in writes.values() for key in by_key})
    known: dict[str, DefinitionRef] = {}
    for chunk in _chunks(keys):
        known.update(statements.definitions_by_key(account.pk, chunk))
    count = _DefinitionCount(account)
    planner = Planner(default_type)
    planned = []
    for item in checked:
        new = _plan_item(item, writes[item.index], known, planner)
        if new and not count.room_for(len(new)):
            error = _too_many_definitions(count.existing)
            item.result.refused += [RefusedProperty(p.write.key, error) for p in new]
            new = []
        if item.result.refused and all_or_nothing:
            outcomes[item.index].error = _refusals_error(item.result.refused)
            continue
        count.add(len(new))
        for plan in new:
            plan.definition = known[plan.write.key] = DefinitionRef(
                None, plan.write.key, plan.type, False
            )
        # Keep the writes' order, as a one-customer write reports them.
        order = {key: n for n, key in enumerate(writes[item.index])}
        item.plans = sorted(item.plans + new, key=lambda p: order[p.write.key])
        planned.append(item)
    return planned


def _valid_writes(checked: list[_Item], items: Sequence[ProfileWrite]) -> dict[int, dict]:
    """Return each item's writes by key (the last of a key wins), refusing invalid keys."""
    writes = {}
    valid: set[str] = set()  # items share keys: check a valid key once
    for item in checked:
        by_key = {write.key: write for write in items[item.index].writes}
        for key in list(by_key):
            if key in valid:
                continue
            try:
                values.validate_key(key)
                valid.add(key)
            except DomainError as error:
                # Each item gets its own error: refusing an item whole adds to its details.
                item.result.refused.append(RefusedProperty(key, error))
                del by_key[key]
        writes[item.index] = by_key
    return writes


class Planner:
    """Plan writes as customers.services.properties plans them, remembering the plan of
    each distinct (definition, declared type, value): a batch of customers repeats values
    (plans, countries, booleans, days) far more often than it holds distinct ones.

    Refusals are not remembered: each gets its own error, as callers add to its details.
    """

    def __init__(self, default_type: PropertyType | None = None):
        self.default_type = default_type
        self.limits = limits.value_limits()
        self.known: dict[tuple, _Plan] = {}

    def plan(self, write: PropertyWrite, definition: DefinitionRef | None) -> _Plan | None:
        value = write.value
        if definition is None or not isinstance(value, str | int | float):
            return _plan(write, definition, self.default_type, self.limits)
        # The value's class too: True, 1 and 1.0 are equal keys, not equal values.
        memo = (definition, write.type, value.__class__, value)
        found = self.known.get(memo)
        if found is None:
            found = _plan(write, definition, self.default_type, self.limits)
            if len(self.known) < PLANS_REMEMBERED:
                self.known[memo] = found
            return found
        return _Plan(write, found.type, found.stored, definition)


# Distinct values a Planner remembers (a few MB at most).
PLANS_REMEMBERED = 100_000


def _plan_item(
    item: _Item,
    by_key: dict,
    known: dict[str, DefinitionRef],
    planner: Planner,
) -> list[_Plan]:
    """Plan one item's writes into `item.plans`; return the plans that create a definition."""
    new = []
    for key, write in by_key.items():
        try:
            plan = planner.plan(write, known.get(key))
        except DomainError as error:
            item.result.refused.append(RefusedProperty(key, error))
            continue
        if plan is not None:
            (new if plan.definition is None else item.plans).append(plan)
    return new


class _DefinitionCount:
    """The account's definitions, counted once and only if a write creates one."""

    def __init__(self, account: Account):
        self.account = account
        self.existing: int | None = None

    def room_for(self, more: int) -> bool:
        if self.existing is None:
            self.existing = PropertyDefinition.objects.filter(account=self.account).count()
        return self.existing + more <= limits.max_definitions()

    def add(self, created: int) -> None:
        if self.existing is not None:
            self.existing += created


def _create_definitions(
    account: Account,
    planned: list[_Item],
    creations: list[_Plan],
    source: str,
    all_or_nothing: bool,
) -> list[_Item]:
    """Create the planned definitions, tolerating concurrent creators; return the items
    still to save.

    A key a concurrent writer created first with another type (or archived) is refused
    to every item that planned to create or use it here.
    """
    first = {}
    for plan in creations:
        first.setdefault(plan.write.key, plan)
    rows = [
        PropertyDefinition(
            account=account,
            key=key,
            label=(plan.write.label or label_for(key))[:200],
            type=plan.type,
            source=source,
        )
        for key, plan in sorted(first.items())
    ]
    PropertyDefinition.objects.bulk_create(rows, ignore_conflicts=True)
    created = {}
    for chunk in _chunks(sorted(first)):
        created.update(statements.definitions_by_key(account.pk, chunk))
    if len(created) < len(rows):  # skipped for a label that is taken
        created |= definitions_relabelled(account, [r for r in rows if r.key not in created])
    kept = []
    for item in planned:
        plans = []
        for plan in item.plans:
            if plan.definition.pk is None:
                definition = created[plan.write.key]
                if definition.property_type != plan.type or definition.is_archived:
                    item.result.refused.append(
                        RefusedProperty(plan.write.key, _created_as(definition, plan.type))
                    )
                    continue
                plan.definition = definition
            plans.append(plan)
        item.plans = plans
        if not (item.result.refused and all_or_nothing):
            kept.append(item)
    return kept


def _customers_upsert(account: Account, planned: list[_Item], now: datetime) -> dict:
    """Create or update every item's customer; return (id, stored uuid) by item index.

    Items of one identifier become one row, their fields merged in order.
    """
    rows: dict[tuple[str, object], dict] = {}
    for item in planned:
        row = rows.setdefault(
            (item.identifier.kind, item.identifier.value), {"fields": {}, "touch": False}
        )
        row["fields"].update(item.fields)
        row["touch"] = row["touch"] or bool(item.plans)
    found = {}
    for kind in sorted({kind for kind, _ in rows}):
        of_kind = sorted((value, row) for (k, value), row in rows.items() if k == kind)
        # PostgreSQL takes the rows as one JSON parameter: one chunk, whatever its size.
        for chunk in [of_kind] if bulk_statements.has_json_rows() else _chunks(of_kind):
            for value, pk, raw_uuid in _customers_upsert_rows(account, kind, chunk, now):
                found[kind, value] = (pk, raw_uuid)
    if len(found) != len(rows):
        raise RuntimeError("the customers upsert returned fewer rows than it was given")
    return {item.index: found[item.identifier.kind, item.identifier.value] for item in planned}


def _customers_upsert_rows(account: Account, kind: str, rows: list, now: datetime) -> list:
    """Insert or update customers of identifier `kind` in one statement.

    A field an item does not send keeps its stored value. `updated_at` moves, as a
    one-customer write moves it, when a property is written or a field changes.
    """
    if bulk_statements.has_json_rows():
        rows = [(value, row["fields"], row["touch"]) for value, row in rows]
        return bulk_statements.customers_upsert(account.pk, kind, rows, now)
    column = statements.CREATING_COLUMNS[kind]
    stamp = connection.ops.adapt_datetimefield_value(now)
    params: list = []
    for value, row in rows:
        new_uuid = uuid.uuid4()
        native = connection.features.has_native_uuid_field
        params += [account.pk, new_uuid if native else new_uuid.hex]
        params += [value, *(row["fields"].get(name) or "" for name in TEXT_FIELDS), stamp, stamp]
    sets, set_params = [], []
    changed, changed_params = [], []
    touched = [value for value, row in rows if row["touch"]]
    if touched:
        changed.append(f"excluded.{column} IN ({_marks(touched)})")
        changed_params += touched
    for name in TEXT_FIELDS:
        given = [value for value, row in rows if name in row["fields"]]
        if not given:
            continue
        condition = f"excluded.{column} IN ({_marks(given)})"
        sets.append(
            f"{name} = CASE WHEN {condition} THEN excluded.{name} ELSE {CUSTOMERS}.{name} END"
        )
        set_params += given
        changed.append(f"({condition} AND {CUSTOMERS}.{name} <> excluded.{name})")
        changed_params += given
    if changed:
        # Every SET expression reads the row as it was, so the fields' comparison holds.
        sets.insert(
            0,
            f"updated_at = CASE WHEN {' OR '.join(changed)} THEN excluded.updated_at "
            f"ELSE {CUSTOMERS}.updated_at END",
        )
        set_params = changed_params + set_params
    else:
        # DO NOTHING returns no row for a customer that exists: a no-op update does.
        sets.append(f"updated_at = {CUSTOMERS}.updated_at")
    row_marks = "(" + _marks(range(8)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CUSTOMERS} (account_id, uuid, {column}, first_name, last_name, "
            "company, created_at, updated_at) VALUES "
            + ", ".join([row_marks] * len(rows))
            + f" ON CONFLICT (account_id, {column}) WHERE {column} IS NOT NULL DO UPDATE SET "
            + ", ".join(sets)
            + f" RETURNING {column}, id, uuid",
            params + set_params,
        )
        return cursor.fetchall()


def _tags_add(account: Account, customer_tags: list[tuple[int, list[str]]]) -> None:
    """Create the account's missing tags, then add them to the customers: two statements."""
    links = sorted({(pk, name) for pk, names in customer_tags for name in names})
    if not links:
        return
    names = sorted({name for _, name in links})
    Tag.objects.bulk_create(
        [Tag(account=account, name=name, color=Tag.DEFAULT_COLOR) for name in names],
        ignore_conflicts=True,
    )
    if bulk_statements.has_json_rows():
        bulk_statements.tags_link(account.pk, links)
        return
    for chunk in _chunks(links):
        with connection.cursor() as cursor:
            # WHERE true: SQLite would read ON CONFLICT as the join's ON without it.
            cursor.execute(
                f"INSERT INTO {CUSTOMER_TAGS} (customer_id, tag_id) "
                f"SELECT v.column1, t.id FROM (VALUES {', '.join(['(%s, %s)'] * len(chunk))}) "
                f"AS v JOIN {TAGS} t ON t.account_id = %s AND t.name = v.column2 "
                "WHERE true ON CONFLICT (customer_id, tag_id) DO NOTHING",
                [*(param for link in chunk for param in link), account.pk],
            )


def _values_write(plans: list[tuple[int, _Plan]], now: datetime) -> None:
    """Store or unassign each (customer id, plan): one upsert and one delete for all."""
    # The last plan of a (customer, definition) wins, as if the items were saved in turn.
    final = {(pk, plan.definition.pk): plan for pk, plan in plans}
    stored = sorted((key, plan) for key, plan in final.items() if plan.stored is not None)
    cleared = sorted(key for key, plan in final.items() if plan.stored is None)
    if stored:
        bulk_statements.values_upsert(
            [
                (pk, definition_id, values.STORAGE_COLUMN[plan.type], plan.stored)
                for (pk, definition_id), plan in stored
            ],
            now,
        )
    for chunk in _chunks(cleared):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {VALUES} WHERE "
                + " OR ".join(["(customer_id = %s AND definition_id = %s)"] * len(chunk)),
                [param for pair in chunk for param in pair],
            )


def _checked_fields(fields: dict) -> dict:
    """Return the contact fields as stored (None as ""); refuse what a customer cannot hold."""
    checked = {}
    for name, value in fields.items():
        if name not in TEXT_FIELDS:
            raise ValueError(f"{name} is not a contact field a bulk write sets")
        checked[name] = contact_text(name, value)
    return checked


def _checked_tags(tags: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(_checked_name(name) for name in tags))


def _too_many_definitions(existing: int) -> LimitExceeded:
    maximum = limits.max_definitions()
    return LimitExceeded(
        f"This account may hold at most {maximum} properties; it has {existing}. "
        "Archive and delete unused properties on the Contact attributes page.",
        code="too_many_definitions",
        details={"max": maximum, "existing": existing},
    )


def _created_as(definition: DefinitionRef, needed: PropertyType) -> TypeConflict:
    return TypeConflict(
        f'Property "{definition.key}" was just created as {definition.type}; '
        f"this write needs {needed}.",
        details={"key": definition.key, "type": definition.type, "requested": needed},
    )


def _refusals_error(refused: list[RefusedProperty]) -> DomainError:
    """Return the first refusal's error, naming every refused property in its details."""
    first = refused[0].error
    first.details = {
        **first.details,
        "properties": {r.key: {"code": r.error.code, "message": r.error.message} for r in refused},
    }
    return first


def _marks(items) -> str:
    return ", ".join(["%s"] * len(items))


def _chunks(items: list) -> list[list]:
    return [items[i : i + ROWS_PER_STATEMENT] for i in range(0, len(items), ROWS_PER_STATEMENT)]
