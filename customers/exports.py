"""CSV export of a filtered customers list, streamed in large chunks; the import's format.

Columns: the identifiers, names, company and tags, then one column per active property,
its header `key:type` so that an import (customers/services/imports.py) reads each value
back as the same type. Values are in their wire form (values.to_json): numbers as numbers,
booleans as true/false, dates as ISO 8601 UTC, collections as comma-separated items (as a
JSON array when an item holds a comma, or the collection is empty), JSON values as JSON.
Text a spreadsheet would run as a formula is written behind a quote, which the import
takes off.

Customers are read a chunk at a time by keyset (three queries a chunk: customers, tags,
values), and each chunk is yielded as one piece of text, so memory stays flat whatever
the number of customers.
"""

import csv
import datetime
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import connection
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from customers.models import Account, Customer, PropertyValue, Tag
from customers.selectors import definitions_active
from customers.values import STORAGE_COLUMN, VALUE_COLUMNS, PropertyType

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
# Customers per chunk: per chunk, one query each for customers, tags and values.
CHUNK_ROWS = 2_000
# A spreadsheet runs a cell that starts with one of these as a formula; a quote marks the
# escape, so a text that starts with a quote is escaped too (and read back unchanged).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_VALUES = PropertyValue._meta.db_table
_TAGS = Customer.tags.through._meta.db_table
_TAG = Tag._meta.db_table


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
    writer = csv.writer(out)
    writer.writerow([*CUSTOMER_COLUMNS, *(f"{d.key}:{d.type}" for d in definitions)])
    yield _taken(out)
    layout = _Layout(definitions)
    done = 0
    for customers_rows in _customer_chunks(customers, chunk_rows or CHUNK_ROWS):
        writer.writerows(layout.rows(customers_rows))
        done += len(customers_rows)
        yield _taken(out)
        if on_progress:
            on_progress(done)


class _Layout:
    """Where each column of a row comes from, and how each property's value is written."""

    def __init__(self, definitions: list):
        self.position = {d.pk: n for n, d in enumerate(definitions, start=len(CUSTOMER_COLUMNS))}
        self.cells = {d.pk: _CELLS[PropertyType(d.type)] for d in definitions}
        self.columns = {d.pk: VALUE_COLUMNS.index(STORAGE_COLUMN[d.type]) for d in definitions}
        self.width = len(CUSTOMER_COLUMNS) + len(definitions)

    def rows(self, customers_rows: list[tuple]) -> Iterable[list]:
        """Return the CSV rows of a chunk of customers: three queries in all."""
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


def _customer_chunks(customers: QuerySet[Customer], size: int) -> Iterator[list[tuple]]:
    """Yield the customers' columns a keyset slice at a time, newest first."""
    last_id = None
    while True:
        queryset = customers if last_id is None else customers.filter(pk__lt=last_id)
        rows = list(
            queryset.order_by("-id").values_list("id", "uuid", *CUSTOMER_COLUMNS[2:9])[:size]
        )
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last_id = rows[-1][0]


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


def _taken(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def _text(text: str) -> str:
    """Return text that a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _number(value: float) -> object:
    value = float(value)
    return int(value) if value.is_integer() else value


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
