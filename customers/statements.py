"""The hot path's statements, in SQL that SQLite (3.35+) and PostgreSQL both accept.

Every API request runs some of these, so they skip the ORM's query building and, where
tuples do, its model instances: on a 10-key PUT that work cost more than the database
did. Each is one round trip; the upserts let the database's unique constraints decide
between concurrent writers. Values read back get the same converters the ORM applies.
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from customers.models import (
    Account,
    ApiKey,
    Customer,
    PropertyDefinition,
    PropertyValue,
    SummaryCount,
    Tag,
)
from customers.values import VALUE_COLUMNS, PropertyType

CUSTOMERS = Customer._meta.db_table
DEFINITIONS = PropertyDefinition._meta.db_table
VALUES = PropertyValue._meta.db_table
SUMMARY = SummaryCount._meta.db_table
# Identifier kinds by their column; only these create a customer (partial unique indexes).
CREATING_COLUMNS = {"visitor_id": "visitor_id", "user_id": "user_id", "email": "email"}
LOOKUP_COLUMNS = {
    "customer_id": "id",
    "customer_uuid": "uuid",
    "phone": "phone",
    **CREATING_COLUMNS,
}


@dataclass(frozen=True)
class DefinitionRef:
    """What a write needs of a definition: no model instance."""

    pk: int
    key: str
    type: str
    is_archived: bool

    @property
    def property_type(self) -> PropertyType:
        return PropertyType(self.type)


def definitions_by_key(account_id: int, keys: list[str]) -> dict[str, DefinitionRef]:
    """Return the account's definitions of `keys`, by key."""
    if not keys:
        return {}
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, key, type, archived_at IS NOT NULL FROM {DEFINITIONS} "
            f"WHERE account_id = %s AND key IN ({marks})",
            [account_id, *keys],
        )
        return {row[1]: DefinitionRef(row[0], row[1], row[2], bool(row[3])) for row in cursor}


def customer_touch(
    account_id: int, kind: str, value, now: datetime
) -> tuple[int, uuid.UUID] | None:
    """Set the customer's `updated_at`; return its id and uuid, or None if there is none."""
    column = LOOKUP_COLUMNS[kind]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CUSTOMERS} SET updated_at = %s WHERE account_id = %s AND {column} = %s "
            "RETURNING id, uuid",
            [_datetime(now), account_id, _lookup(kind, value)],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], _uuid(row[1]))


def customer_upsert(account_id: int, kind: str, value: str, now: datetime) -> tuple[int, uuid.UUID]:
    """Create the customer with identifier `kind`=`value`, or touch the one that exists.

    One statement: two concurrent first writes for the same identifier end up with the
    one row the unique index kept.
    """
    column = CREATING_COLUMNS[kind]
    stamp = _datetime(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CUSTOMERS} (account_id, uuid, {column}, first_name, last_name, "
            "company, created_at, updated_at) VALUES (%s, %s, %s, '', '', '', %s, %s) "
            f"ON CONFLICT (account_id, {column}) WHERE {column} IS NOT NULL "
            "DO UPDATE SET updated_at = excluded.updated_at RETURNING id, uuid",
            [account_id, _uuid_param(uuid.uuid4()), value, stamp, stamp],
        )
        row = cursor.fetchone()
    return row[0], _uuid(row[1])


_VALUE_FIELDS = [PropertyValue._meta.get_field(column) for column in VALUE_COLUMNS]
_UPSERT_COLUMNS = ", ".join(["customer_id", "definition_id", *VALUE_COLUMNS, "updated_at"])
_UPSERT_SET = ", ".join(f"{c} = excluded.{c}" for c in (*VALUE_COLUMNS, "updated_at"))
_ROW_MARKS = "(" + ", ".join(["%s"] * (len(VALUE_COLUMNS) + 3)) + ")"


_VALUE_FIELD_AT = {field.column: index for index, field in enumerate(_VALUE_FIELDS)}
_NO_VALUES = (None,) * len(_VALUE_FIELDS)


@functools.lru_cache(maxsize=64)
def _values_upsert_sql(rows: int) -> str:
    return (
        f"INSERT INTO {VALUES} ({_UPSERT_COLUMNS}) VALUES "
        + ", ".join([_ROW_MARKS] * rows)
        + f" ON CONFLICT (customer_id, definition_id) DO UPDATE SET {_UPSERT_SET}"
    )


def values_upsert(rows: list[tuple[int, int, str, object]], now: datetime) -> None:
    """Store each (customer id, definition id, storage column, stored value).

    Rows go in the unique index's order, so that two writers of the same customers' keys
    lock them in the same order (in any other, PostgreSQL may find them deadlocked).
    """
    params: list = []
    stamp = _datetime(now)
    for customer_id, definition_id, column, stored in sorted(rows, key=lambda r: r[:2]):
        index = _VALUE_FIELD_AT[column]
        row = [customer_id, definition_id, *_NO_VALUES, stamp]
        row[2 + index] = _VALUE_FIELDS[index].get_db_prep_save(stored, connection)
        params += row
    with connection.cursor() as cursor:
        cursor.execute(_values_upsert_sql(len(rows)), params)


_VALUE_CONVERTERS = None


def _converters_of(field) -> list:
    col = field.get_col(field.model._meta.db_table)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    return [(converter, col) for converter in found]


def _value_converters() -> list:
    global _VALUE_CONVERTERS
    if _VALUE_CONVERTERS is None:
        _VALUE_CONVERTERS = [_converters_of(field) for field in _VALUE_FIELDS]
    return _VALUE_CONVERTERS


@functools.cache
def _updated_at_converters() -> list:
    return _converters_of(PropertyValue._meta.get_field("updated_at"))


def active_values_of(
    customer_ids: list[int], *, updated_at: bool = True
) -> list[tuple[int, str, str, object, datetime | None]]:
    """Return (customer id, key, type, stored value, updated at) of the customers' values
    of active definitions, ordered by key; without `updated_at`, that time is None."""
    marks = ", ".join(["%s"] * len(customer_ids))
    columns = ", ".join(f"v.{column}" for column in VALUE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.customer_id, d.key, d.type, v.updated_at, {columns} FROM {VALUES} v "
            f"JOIN {DEFINITIONS} d ON d.id = v.definition_id "
            f"WHERE v.customer_id IN ({marks}) AND d.archived_at IS NULL ORDER BY d.key",
            customer_ids,
        )
        rows = cursor.fetchall()
    converters = _value_converters()
    updated_at_converters = _updated_at_converters() if updated_at else ()
    result = []
    for customer_id, key, type_, changed, *columns in rows:
        index, stored = next(((i, c) for i, c in enumerate(columns) if c is not None), (0, None))
        for converter, col in converters[index]:
            stored = converter(stored, col, connection)
        for converter, col in updated_at_converters:
            changed = converter(changed, col, connection)
        result.append((customer_id, key, type_, stored, changed if updated_at else None))
    return result


def tags_of(customer_ids: list[int]) -> list[tuple[int, Tag]]:
    """Return (customer id, tag) of the customers' tags."""
    through = Customer.tags.through._meta
    marks = ", ".join(["%s"] * len(customer_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ct.customer_id, {_TAGS.columns} FROM {through.db_table} ct "
            f"JOIN {Tag._meta.db_table} t ON t.id = ct.tag_id WHERE ct.customer_id IN ({marks})",
            customer_ids,
        )
        return [(row[0], _TAGS.load(row[1:])) for row in cursor.fetchall()]


def row_upsert(instance, *, unique: tuple[str, ...], update: tuple[str, ...]) -> None:
    """Insert `instance`'s row, or update `update` of the row with the same `unique` fields;
    set its primary key. One statement, no query building."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f.column for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    conflict = ", ".join(meta.get_field(name).column for name in unique)
    changes = ", ".join(
        f"{meta.get_field(name).column} = excluded.{meta.get_field(name).column}" for name in update
    )
    params = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({columns}) VALUES ({marks}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {changes} RETURNING {meta.pk.column}",
            params,
        )
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False


def row_exists(model, **lookup) -> bool:
    """Say whether a row of `model` has these column values (no query building)."""
    where = " AND ".join(f"{model._meta.get_field(name).column} = %s" for name in lookup)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {model._meta.db_table} WHERE {where}", list(lookup.values()))
        return cursor.fetchone() is not None


def values_delete(customer_id: int, definition_ids: list[int]) -> int:
    """Unassign these definitions from one customer; return how many values went.

    On PostgreSQL the customer's row is locked first, in the same statement, as writers
    lock it before its values: in the other order a concurrent write would deadlock.
    """
    marks = ", ".join(["%s"] * len(definition_ids))
    lock = ""
    params = [customer_id, *definition_ids]
    if connection.vendor == "postgresql":
        lock = f"EXISTS (SELECT 1 FROM {CUSTOMERS} WHERE id = %s FOR UPDATE) AND "
        params.insert(0, customer_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {VALUES} WHERE {lock}customer_id = %s AND definition_id IN ({marks})",
            params,
        )
        return cursor.rowcount


def summary_fold(account_id: int) -> None:
    """Replace the account's summary count rows by one row per count (their sum).

    PostgreSQL: one statement, so rows appended meanwhile stay, and a concurrent fold
    skips the rows this one deleted. SQLite: under the database's write lock.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {SUMMARY} WHERE account_id = %s "
                "RETURNING definition_id, delta) "
                f"INSERT INTO {SUMMARY} (account_id, definition_id, delta) "
                "SELECT %s, definition_id, SUM(delta) FROM gone GROUP BY definition_id "
                "HAVING SUM(delta) <> 0",
                [account_id, account_id],
            )
            return
        cursor.execute(f"SELECT MAX(id) FROM {SUMMARY} WHERE account_id = %s", [account_id])
        last = cursor.fetchone()[0]
        if last is None:
            return
        cursor.execute(
            f"INSERT INTO {SUMMARY} (account_id, definition_id, delta) "
            f"SELECT account_id, definition_id, SUM(delta) FROM {SUMMARY} "
            "WHERE account_id = %s AND id <= %s GROUP BY account_id, definition_id "
            "HAVING SUM(delta) <> 0",
            [account_id, last],
        )
        cursor.execute(
            f"DELETE FROM {SUMMARY} WHERE account_id = %s AND id <= %s", [account_id, last]
        )


def summary_recount(account_id: int) -> None:
    """Replace the account's summary counts by counts of its values and customers.

    Run inside a transaction. On PostgreSQL the summary table is locked first, so a writer
    that inserts or deletes values meanwhile waits (its trigger appends a row) until the
    counts are in: its change is then counted once, by its own row.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {SUMMARY} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {SUMMARY} WHERE account_id = %s", [account_id])
        cursor.execute(
            f"INSERT INTO {SUMMARY} (account_id, definition_id, delta) "
            f"SELECT %s, v.definition_id, COUNT(*) FROM {VALUES} v "
            f"WHERE v.definition_id IN (SELECT id FROM {DEFINITIONS} WHERE account_id = %s) "
            "GROUP BY v.definition_id",
            [account_id, account_id],
        )
        cursor.execute(
            f"INSERT INTO {SUMMARY} (account_id, definition_id, delta) "
            f"SELECT %s, NULL, COUNT(*) FROM {CUSTOMERS} WHERE account_id = %s",
            [account_id, account_id],
        )


class _Loader:
    """Build model instances from raw rows, with the database's converters applied, as the
    ORM would (SQLite returns datetimes as text), without building a query."""

    def __init__(self, model, alias: str):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self.columns = ", ".join(f"{alias}.{field.column}" for field in self.fields)
        self._converters = None

    def converters(self) -> list:
        if self._converters is None:
            self._converters = []
            for index, field in enumerate(self.fields):
                col = field.get_col(self.model._meta.db_table)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    self._converters.append((index, found, col))
        return self._converters

    def load(self, row):
        values = list(row)
        for index, converters, col in self.converters():
            for converter in converters:
                values[index] = converter(values[index], col, connection)
        return self.model.from_db(connection.alias, self.names, values)


_KEYS = _Loader(ApiKey, "k")
_ACCOUNTS = _Loader(Account, "a")
_CUSTOMERS = _Loader(Customer, "c")
_TAGS = _Loader(Tag, "t")


def customer_by(account: Account, kind: str, value) -> Customer | None:
    """Return the account's customer whose identifier `kind` is `value`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_CUSTOMERS.columns} FROM {CUSTOMERS} c "
            f"WHERE c.account_id = %s AND c.{LOOKUP_COLUMNS[kind]} = %s",
            [account.pk, _lookup(kind, value)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    customer = _CUSTOMERS.load(row)
    customer.account = account
    return customer


# The key each process loaded last for a prefix, with the row it was built from. The read
# runs on every request, so a revoked key (no row) is refused at once whichever process
# revoked it; a request whose read returns the very same row reuses the instances instead
# of building two. Any change to the key or its account (a rename, last_used_at) changes
# the row, and the instances are built afresh. Callers treat them as read-only.
_LOADED_KEYS: dict[str, tuple[tuple, ApiKey]] = {}
LOADED_KEYS_KEPT = 1000


def live_api_key(prefix: str) -> ApiKey | None:
    """Return the unrevoked key with `prefix`, its account loaded, or None; one indexed
    read."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_KEYS.columns}, {_ACCOUNTS.columns} FROM {ApiKey._meta.db_table} k "
            f"JOIN {Account._meta.db_table} a ON a.id = k.account_id "
            "WHERE k.prefix = %s AND k.revoked_at IS NULL",
            [prefix],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    loaded = _LOADED_KEYS.get(prefix)
    if loaded is not None and loaded[0] == row and loaded[1]._state.db == connection.alias:
        return loaded[1]
    split = len(_KEYS.names)
    api_key = _KEYS.load(row[:split])
    api_key.account = _ACCOUNTS.load(row[split:])
    if len(_LOADED_KEYS) >= LOADED_KEYS_KEPT:
        _LOADED_KEYS.clear()
    _LOADED_KEYS[prefix] = (row, api_key)
    return api_key


def _datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _uuid_param(value: uuid.UUID):
    # Django stores UUIDs as 32 hex characters on SQLite and as uuid on PostgreSQL.
    return value if connection.features.has_native_uuid_field else value.hex


def _uuid(raw) -> uuid.UUID:
    return raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)


def _lookup(kind: str, value):
    return _uuid_param(value) if kind == "customer_uuid" else value
