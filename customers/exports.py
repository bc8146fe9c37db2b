"""CSV export of a filtered customers list, streamed in large chunks; the import's format.

Columns: the identifiers, names, company and tags, then one column per active property,
its header `key:type` so that an import (customers/services/imports.py) reads each value
back as the same type. Values are in their wire form (values.to_json): numbers as numbers,
booleans as true/false, dates as ISO 8601 UTC, collections as comma-separated items (as a
JSON array when an item holds a comma, or the collection is empty), JSON values as JSON.
Text a spreadsheet would run as a formula is written behind a quote, which the import
takes off.

Customers are read a chunk at a time by keyset, and each chunk is yielded as one piece of
text, so memory stays flat whatever the number of customers. On PostgreSQL the database
renders every cell (one query a chunk besides the keyset's, Python only hands rows to the
CSV writer); on SQLite three queries a chunk (customers, tags, values) and Python renders.
"""

import csv
import datetime
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from customers.models import Account, Customer, PropertyValue, Tag
from customers.selectors import definitions_active
from customers.values import STORAGE_COLUMN, VALUE_COLUMNS, PropertyType
from customers.values.coercion import MAX_EXACT_INTEGER

CUSTOMER_COLUMNS = (
    "customer_id",
    "customer_uuid",
    "email",
    "user_id",
    "visitor_id",
    "phone",
    "first_name",
    "last_name",
    "company",
    "tags",
)
# Customers per chunk (PostgreSQL: a query for their ids, one for their rows; SQLite: one
# query each for customers, tags and values).
CHUNK_ROWS = 5_000
# As PostgreSQL's COPY ends a line.
LINE_END = "\n"
# A spreadsheet runs a cell that starts with one of these as a formula; a quote marks the
# escape, so a text that starts with a quote is escaped too (and read back unchanged).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_VALUES = PropertyValue._meta.db_table
_TAGS = Customer.tags.through._meta.db_table
_TAG = Tag._meta.db_table
_CUSTOMERS = Customer._meta.db_table


def customers_csv(
    *,
    account: Account,
    customers: QuerySet[Customer],
    chunk_rows: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """Yield the CSV of `customers`, newest first: the header, then a chunk of rows at a time.

    `on_progress` is called with the number of rows written after each chunk.
    """
    definitions = definitions_active(account=account)
    out = io.StringIO()
    csv.writer(out, lineterminator=LINE_END).writerow(
        [*CUSTOMER_COLUMNS, *(f"{d.key}:{d.type}" for d in definitions)]
    )
    yield out.getvalue()
    layout = _RenderedLayout(definitions) if _renders_in_sql() else _Layout(definitions)
    done = 0
    for customers_rows in _customer_chunks(customers, chunk_rows or CHUNK_ROWS, layout.fields):
        yield layout.csv(customers_rows)
        done += len(customers_rows)
        if on_progress:
            on_progress(done)


def _renders_in_sql() -> bool:
    """Say whether the database writes the cells itself (PostgreSQL): Python then only
    hands each row's text to the CSV writer."""
    return connection.vendor == "postgresql"


class _Layout:
    """Where each column of a row comes from, and how each property's value is written."""

    fields = ("id", "uuid", *CUSTOMER_COLUMNS[2:9])

    def __init__(self, definitions: list):
        self.position = {d.pk: n for n, d in enumerate(definitions, start=len(CUSTOMER_COLUMNS))}
        self.cells = {d.pk: _CELLS[PropertyType(d.type)] for d in definitions}
        self.columns = {d.pk: VALUE_COLUMNS.index(STORAGE_COLUMN[d.type]) for d in definitions}
        self.width = len(CUSTOMER_COLUMNS) + len(definitions)

    def csv(self, customers_rows: list[tuple]) -> str:
        """Return the CSV rows of a chunk of customers: three queries in all."""
        out = io.StringIO()
        csv.writer(out, lineterminator=LINE_END).writerows(self.rows(customers_rows))
        return out.getvalue()

    def rows(self, customers_rows: list[tuple]) -> Iterable[list]:
        """Return the rows of a chunk of customers, a list of cells each."""
        by_id = {}
        for pk, uuid, email, user_id, visitor_id, phone, first, last, company in customers_rows:
            by_id[pk] = row = [""] * self.width
            row[:9] = [
                pk,
                uuid,
                _text(email or ""),
                _text(user_id or ""),
                _text(visitor_id or ""),
                # E.164, validated on write: "+" and digits only, which must stay as they are.
                phone or "",
                _text(first),
                _text(last),
                _text(company),
            ]
        ids = list(by_id)
        for pk, names in _tags_of(ids).items():
            if pk in by_id:
                by_id[pk][9] = _text(", ".join(sorted(names)))
        if self.position:
            self._values_into(by_id, ids)
        return by_id.values()

    def _values_into(self, by_id: dict, ids: list[int]) -> None:
        for customer_id, definition_id, *stored in _values_of(ids):
            row = by_id.get(customer_id)
            if row is None or definition_id not in self.position:  # another's, or archived
                continue
            value = stored[self.columns[definition_id]]
            if value is None:  # not in its type's column: a type change under way
                value = next(v for v in stored if v is not None)
            row[self.position[definition_id]] = self.cells[definition_id](value)


def _customer_chunks(
    customers: QuerySet[Customer], size: int, fields: tuple[str, ...]
) -> Iterator[list[tuple]]:
    """Yield the customers' `fields` (the id first) a keyset slice at a time, newest first."""
    last_id = None
    while True:
        queryset = customers if last_id is None else customers.filter(pk__lt=last_id)
        rows = list(queryset.order_by("-id").values_list(*fields)[:size])
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last_id = rows[-1][0]


class _RenderedLayout:
    """The rows as PostgreSQL writes them: every cell rendered in SQL as the functions
    below render it (tests compare the two), one row per customer, streamed by COPY in
    PostgreSQL's CSV (which quotes as Python's writer does), so that the database writes
    the next rows while Python passes the last ones on."""

    fields = ("id",)

    def __init__(self, definitions: list):
        contact = ", ".join(_sql_text(f"c.{name}") for name in CUSTOMER_COLUMNS[2:5])
        names = ", ".join(_sql_text(f"c.{name}") for name in CUSTOMER_COLUMNS[6:9])
        tags = _sql_text(
            f"(SELECT string_agg(t.name, ', ' ORDER BY t.name COLLATE \"C\") FROM {_TAGS} ct "
            f"JOIN {_TAG} t ON t.id = ct.tag_id WHERE ct.customer_id = c.id)"
        )
        source = f"{_CUSTOMERS} c"
        if definitions:
            cells = ", ".join(
                f"max({_SQL_CELLS[PropertyType(d.type)]}) FILTER (WHERE v.definition_id = {d.pk:d})"
                for d in definitions
            )
            source += (
                f" LEFT JOIN LATERAL (SELECT {cells} FROM {_VALUES} v "
                "WHERE v.customer_id = c.id) cells ON true"
            )
            tags += ", cells.*"
        # NULL, not "", for an empty cell: COPY writes "" for an empty text, Python nothing.
        self.copy = (
            f"COPY (SELECT c.id, c.uuid, {contact}, c.phone, {names}, {tags} "
            f"FROM {source} WHERE c.id = ANY(%s::bigint[]) ORDER BY c.id DESC) "
            "TO STDOUT WITH (FORMAT csv)"
        )

    def csv(self, customers_rows: list[tuple]) -> str:
        """Return the CSV rows of a chunk of customers: one statement."""
        # The ids as one array literal: psycopg would build a list's parameter in Python.
        ids = "{" + ",".join(str(row[0]) for row in customers_rows) + "}"
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner's estimate of the cells' aggregates asks for JIT compilation,
            # which takes seconds: far longer than running the query.
            cursor.execute("SET LOCAL jit = off")
            with cursor.cursor.copy(self.copy, [ids]) as copy:
                return b"".join(copy).decode()


def _values_of(ids: list[int]) -> list[tuple]:
    """Return (customer id, definition id, *value columns) of the customers' values, and
    maybe of a few others (the caller skips those, and archived definitions' values).

    The condition is on customer_id alone, so that both databases read the index that
    starts with it (value_unique); with the definitions in it too, SQLite would read every
    value of each definition instead, for every chunk.
    """
    where, params = _customers_in(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_id, definition_id, {', '.join(VALUE_COLUMNS)} FROM {_VALUES} "
            f"WHERE {where}",
            params,
        )
        return cursor.fetchall()


def _tags_of(customer_ids: list[int]) -> dict[int, list[str]]:
    where, params = _customers_in(customer_ids, column="link.customer_id")
    names = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT link.customer_id, tag.name FROM {_TAGS} link "
            f"JOIN {_TAG} tag ON tag.id = link.tag_id WHERE {where}",
            params,
        )
        for customer_id, name in cursor:
            names[customer_id].append(name)
    return names


def _customers_in(ids: list[int], column: str = "customer_id") -> tuple[str, list]:
    """Return a condition on customer_id for the chunk `ids`, and its parameters.

    A chunk whose ids are dense (an unfiltered export) is one range of the index that
    starts with customer_id, far cheaper to read than a list of ids; the rows of the few
    customers in the range but not in the chunk (another account's) are skipped.
    """
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return f"{column} BETWEEN %s AND %s", [low, high]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _text(text: str) -> str:
    """Return text that a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _number(value: float) -> object:
    value = float(value)
    return int(value) if value.is_integer() and abs(value) <= MAX_EXACT_INTEGER else value


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _date(value: datetime.datetime | str) -> str:
    if isinstance(value, str):  # SQLite hands back the stored text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat()


def _collection(items: list | str) -> str:
    if isinstance(items, str):  # JSON as stored
        items = json.loads(items)
    items = [str(item) for item in items]
    if not items or items[0].startswith("[") or any("," in item for item in items):
        return json.dumps(items, ensure_ascii=False)
    return _text(", ".join(items))


def _json(value: object) -> str:
    if isinstance(value, str):  # JSON as stored
        value = json.loads(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_CELLS = {
    PropertyType.TEXT: _text,
    PropertyType.URL: _text,
    PropertyType.NUMBER: _number,
    PropertyType.INTEGER: _number,
    PropertyType.BOOLEAN: _boolean,
    PropertyType.DATE: _date,
    PropertyType.COLLECTION: _collection,
    PropertyType.JSON: _json,
}


def _sql_text(column: str) -> str:
    """Return the SQL of _text: a formula-like text behind a quote."""
    return (
        f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', '''') "
        f"THEN '''' || {column} ELSE NULLIF({column}, '') END"
    )


_SQL_DATE = (
    "to_char(v.value_datetime AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
    "CASE WHEN extract(microseconds FROM v.value_datetime)::int %% 1000000 = 0 THEN '' "
    "ELSE to_char(v.value_datetime AT TIME ZONE 'UTC', '.US') END || '+00:00'"
)
# _number's: whole numbers as integers up to 2**53 (as values.to_json writes them), others
# as the shortest text that reads back the same (PostgreSQL's float8 output, as Python's
# repr; the two place the exponent differently only from 1e15 to 1e16).
_SQL_NUMBER = (
    "CASE WHEN v.value_number = trunc(v.value_number) "
    f"AND abs(v.value_number) <= {MAX_EXACT_INTEGER} THEN v.value_number::int8::text "
    "ELSE v.value_number::text END"
)
_SQL_COLLECTION = (
    "CASE WHEN jsonb_array_length(v.value_list) = 0 OR left(v.value_list ->> 0, 1) = '[' "
    "OR EXISTS (SELECT FROM jsonb_array_elements_text(v.value_list) i WHERE strpos(i, ',') > 0) "
    "THEN v.value_list::text ELSE "
    + _sql_text(
        "(SELECT string_agg(i, ', ' ORDER BY n) "
        "FROM jsonb_array_elements_text(v.value_list) WITH ORDINALITY AS x(i, n))"
    )
    + " END"
)
_SQL_CELLS = {
    PropertyType.TEXT: _sql_text("v.value_text"),
    PropertyType.URL: _sql_text("v.value_text"),
    PropertyType.NUMBER: _SQL_NUMBER,
    PropertyType.INTEGER: _SQL_NUMBER,
    PropertyType.BOOLEAN: "CASE WHEN v.value_boolean THEN 'true' ELSE 'false' END",
    PropertyType.DATE: _SQL_DATE,
    PropertyType.COLLECTION: _SQL_COLLECTION,
    # Compact: the space PostgreSQL writes after each separator goes; strings stay whole.
    PropertyType.JSON: (
        "regexp_replace(v.value_list::text, "
        r"""'("(?:[^"\\]|\\.)*")|([,:]) ', '\1\2', 'g')"""
    ),
}
