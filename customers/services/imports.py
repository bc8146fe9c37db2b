"""CSV import of customers (PRODUCT.md §7, §8): the file customers/exports.py writes, or one
a person made.

One row per customer. Identifier columns (`customer_id`, `user_id`, `email`, `visitor_id`,
`phone`) find the customer, or create it by `user_id`, `email` or `visitor_id`; contact
columns (`first_name`, `last_name`, `company`, `tags`) set those fields (tags are added);
every other column is a property, its header the key or the label, `key:type` declaring its
type. A column of a new property without a declared type gets the type its cells show
(`detected_type`), as the import page proposes it.

Cells follow the value rules of PRODUCT.md §3 (customers.services.properties' planning,
the one every door uses). A cell that cannot be stored is reported (row, column, value,
reason) and the rest of its row is stored; an empty cell changes nothing; a value equal to
the stored one is not written again, so importing a file twice changes nothing. Rows are
written a chunk at a time through customers_properties_save_many: a fixed number of
statements per chunk, whatever its number of rows.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers import bulk_statements, statements, values
from customers.errors import DomainError, InvalidInput, TypeConflict
from customers.identifiers import Identifier, identifier_value
from customers.models import (
    Account,
    Customer,
    DefinitionSource,
    ImportJob,
    ImportStatus,
    PropertyDefinition,
)
from customers.services.bulk import Planner, ProfileWrite, customers_properties_save_many
from customers.services.customers import contact_text
from customers.services.properties import PropertyWrite, label_for
from customers.services.tags import _checked_name
from customers.statements import DefinitionRef
from customers.tasks import customers_import_task
from customers.values import PropertyType

# Identifier columns, in the order that decides which finds the customer when several do.
IDENTIFIER_COLUMNS = ("customer_id", "user_id", "email", "visitor_id", "phone")
# The identifiers a customer is created by (phone alone creates none, as in the API).
CREATING = ("user_id", "email", "visitor_id")
FIELD_COLUMNS = ("first_name", "last_name", "company")
TAGS_COLUMN = "tags"
# Written by the export, never set by an import (a customer's uuid is its own).
IGNORED_COLUMNS = ("customer_uuid",)
ROWS_PER_CHUNK = 5_000
# Lines of the report kept; the count goes on past it.
REPORT_MAX_LINES = 10_000
# A cell a spreadsheet would run as a formula is exported behind a quote (exports.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = (*FORMULA_STARTS, "'")
SKIP = ""
_WHOLE = re.compile(r"-?(?:0|[1-9]\d*)\Z")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?\Z"
)
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no"})


@dataclass(frozen=True)
class Issue:
    """A cell (or a row, or a column's header) that was not stored, and why."""

    row: int
    column: str
    value: str
    reason: str


@dataclass
class Column:
    """What one column of the file sets."""

    header: str
    target: str  # an identifier or contact column, "property", or SKIP
    key: str = ""
    type: PropertyType | None = None
    label: str | None = None
    declared: PropertyType | None = None
    definition: DefinitionRef | None = None
    error: str = ""

    @property
    def mapping(self) -> str:
        """Return the column as the import page's mapping names it."""
        if self.target == "property":
            return f"{self.key}:{self.type}"
        return self.target


@dataclass
class ImportResult:
    rows: int = 0
    rows_refused: int = 0
    issues_count: int = 0
    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues_count += 1
        if len(self.issues) < REPORT_MAX_LINES:
            self.issues.append(issue)

    def report_csv(self) -> str:
        """Return the issues as CSV: row, column, value, reason."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "reason"])
        writer.writerows((i.row, i.column, i.value, i.reason) for i in self.issues)
        if self.issues_count > len(self.issues):
            writer.writerow(["", "", "", f"{self.issues_count - len(self.issues)} more not shown"])
        return out.getvalue()


def csv_rows(text: Iterable[str]) -> Iterator[list[str]]:
    """Return the rows of CSV text (lines or a file), cells unquoted."""
    return csv.reader(text)


def unescaped(cell: str) -> str:
    """Return a cell without the quote the export puts before a formula-like text."""
    if cell[:1] == "'" and cell[1:2] and cell[1] in _ESCAPED:
        return cell[1:]
    return cell


def detected_type(cells: Iterable[str]) -> PropertyType:
    """Return the type a column's non-empty cells show: text unless every one reads as
    another type's value (numbers with leading zeros, as zip codes have, stay text)."""
    cells = [unescaped(c).strip() for c in cells if c.strip()]
    if not cells:
        return PropertyType.TEXT
    checks = (
        (PropertyType.BOOLEAN, lambda c: c.lower() in _BOOLEAN_WORDS),
        (PropertyType.INTEGER, lambda c: _WHOLE.match(c) and len(c) < 16),
        (PropertyType.NUMBER, _NUMBER.match),
        (PropertyType.DATE, _ISO_DATE.match),
        (PropertyType.URL, lambda c: c.lower().startswith(("http://", "https://"))),
    )
    for type_, check in checks:
        if all(check(c) for c in cells):
            return type_
    return PropertyType.TEXT


def columns_plan(
    *,
    account: Account,
    headers: list[str],
    sample: list[list[str]] = (),
    mapping: dict[str, str] | None = None,
) -> list[Column]:
    """Return what each header sets: by `mapping` (header -> "email", "tags", "key:type",
    "key" or "" to skip) where given, else by the header itself.

    A column that cannot be imported (an archived property, a declared type the property
    does not take, a key said twice) carries its `error`, and is skipped.
    """
    columns = []
    for header in headers:
        spec = header if mapping is None or header not in mapping else mapping[header]
        columns.append(_column(header, spec.strip()))
    keys = sorted({c.key for c in columns if c.target == "property"})
    known = {}
    for start in range(0, len(keys), 500):
        known.update(statements.definitions_by_key(account.pk, keys[start : start + 500]))
    by_label = _definitions_by_label(account, [c for c in columns if c.label is not None])
    seen: set[str] = set()
    for position, column in enumerate(columns):
        if column.target == "property":
            cells = [row[position] for row in sample if position < len(row)]
            _resolve_definition(column, known, by_label, cells)
        taken = column.key if column.target == "property" else column.target
        if column.target != SKIP and not column.error:
            if taken in seen:
                column.error = f"{taken} is set by an earlier column too; this one is skipped."
            seen.add(taken)
    return columns


def _column(header: str, spec: str) -> Column:
    lowered = spec.lower()
    if not spec or lowered in IGNORED_COLUMNS:
        return Column(header, SKIP)
    if lowered in (*IDENTIFIER_COLUMNS, *FIELD_COLUMNS, TAGS_COLUMN):
        return Column(header, lowered)
    name, declared = spec, None
    if ":" in spec:
        head, _, tail = spec.rpartition(":")
        try:
            declared = values.parse_type(tail)
            name = head.strip()
        except DomainError:
            pass
    try:
        key = values.validate_key(name)
        label = None
    except DomainError:
        try:
            key, label = values.normalize_key(name), name
        except DomainError as error:
            return Column(header, SKIP, error=error.message)
    return Column(header, "property", key=key, label=label, declared=declared)


def _definitions_by_label(account: Account, columns: list[Column]) -> dict[str, DefinitionRef]:
    """Return the account's definitions whose label a column names, by lower-cased label."""
    labels = {c.label.lower() for c in columns}
    if not labels:
        return {}
    found = {}
    for pk, key, label, type_, archived in PropertyDefinition.objects.filter(
        account=account
    ).values_list("pk", "key", "label", "type", "archived_at"):
        if label.lower() in labels:
            found.setdefault(label.lower(), DefinitionRef(pk, key, type_, archived is not None))
    return found


def _resolve_definition(column: Column, known: dict, by_label: dict, cells: list[str]) -> None:
    definition = known.get(column.key)
    if definition is None and column.label is not None:
        definition = by_label.get(column.label.lower())
    if definition is None:
        column.type = column.declared or detected_type(cells)
        column.label = column.label or label_for(column.key)
        return
    column.key, column.definition = definition.key, definition
    column.type = definition.property_type
    if definition.is_archived:
        column.error = (
            f'Property "{definition.key}" is archived: restore it on the Contact attributes '
            "page to import its values."
        )
    elif column.declared is not None and not values.fits_into(column.declared, column.type):
        column.error = TypeConflict(
            f'Property "{definition.key}" is of type {definition.type}, not {column.declared}.'
        ).message


def customers_import(
    *,
    account: Account,
    rows: Iterable[list[str]],
    mapping: dict[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
    sample_size: int = 1_000,
) -> ImportResult:
    """Import CSV rows (the header first) into `account`; return what was refused.

    `on_progress` is called with the number of rows done after each chunk.
    """
    result = ImportResult()
    rows = iter(rows)
    headers = next(rows, None)
    if not headers:
        raise InvalidInput("The file is empty: its first line names the columns.")
    headers = [unescaped(h).strip() for h in headers]
    buffered: list[list[str]] = []
    for row in rows:
        buffered.append(row)
        if len(buffered) >= sample_size:
            break
    columns = columns_plan(account=account, headers=headers, sample=buffered, mapping=mapping)
    for column in columns:
        if column.error:
            result.add(Issue(1, column.header, column.header, column.error))
    if not any(c.target in IDENTIFIER_COLUMNS for c in columns):
        raise InvalidInput(
            "No column identifies the customers: name one " + ", ".join(IDENTIFIER_COLUMNS) + "."
        )
    chunk: list[tuple[int, list[str]]] = []
    number = 1
    for row in _chained(buffered, rows):
        number += 1
        chunk.append((number, row))
        if len(chunk) >= ROWS_PER_CHUNK:
            _Chunk(account, columns, result).run(chunk)
            chunk = []
            if on_progress:
                on_progress(result.rows)
    if chunk:
        _Chunk(account, columns, result).run(chunk)
    if on_progress:
        on_progress(result.rows)
    return result


def _chained(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


@dataclass
class _Row:
    number: int
    ids: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    tags: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # (column, cell)
    customer: tuple | None = None  # the stored customer's row, if one matched
    identifier: Identifier | None = None
    set_ids: dict = field(default_factory=dict)


# A stored customer's row, as _Chunk reads it.
_ID, _USER_ID, _EMAIL, _VISITOR_ID, _PHONE, _FIRST, _LAST, _COMPANY = range(8)
_CUSTOMER_FIELDS = ["id", "user_id", "email", "visitor_id", "phone", *FIELD_COLUMNS]
_POSITION = {"customer_id": _ID, "user_id": _USER_ID, "email": _EMAIL}
_POSITION.update(visitor_id=_VISITOR_ID, phone=_PHONE)
_FIELD_POSITION = {"first_name": _FIRST, "last_name": _LAST, "company": _COMPANY}
_ABSENT = object()


class _Chunk:
    """A chunk of rows: read what they touch, plan, then write in bulk."""

    def __init__(self, account: Account, columns: list[Column], result: ImportResult):
        self.account = account
        self.columns = columns
        self.result = result
        self.planner = Planner()

    def run(self, numbered: list[tuple[int, list[str]]]) -> None:
        self.issues: list[Issue] = []
        # One transaction (one commit) for the chunk's statements.
        with transaction.atomic():
            self._run(numbered)
        # As the file reads: row by row, column by column (the row's own first).
        position = {column.header: n for n, column in enumerate(self.columns)}
        for issue in sorted(self.issues, key=lambda i: (i.row, position.get(i.column, -1))):
            self.result.add(issue)

    def _run(self, numbered: list[tuple[int, list[str]]]) -> None:
        rows = [self._parsed(number, cells) for number, cells in numbered]
        self.result.rows += len(rows)
        self._match(rows)
        rows = [row for row in rows if self._identified(row)]
        definitions = self._definitions()
        stored = self._stored_values(rows, [d.pk for d in definitions.values()])
        items, kept = [], []
        written: dict = {}
        for row in rows:
            item = self._item(row, stored, definitions, written)
            if item is not None:
                items.append(item)
                kept.append(row)
        outcomes = (
            customers_properties_save_many(
                account=self.account, items=items, source=DefinitionSource.IMPORT
            )
            if items
            else []
        )
        for row, outcome in zip(kept, outcomes, strict=True):
            self._report_outcome(row, outcome)
            if outcome.saved:
                row.customer = row.customer or (outcome.customer_id,) + (None,) * 7
        self._identifiers_set([row for row in rows if row.set_ids and row.customer])

    def _issue(self, row: int, column: str, value: str, reason: str) -> None:
        self.issues.append(Issue(row, column, value, reason))

    def _parsed(self, number: int, cells: list[str]) -> _Row:
        row = _Row(number)
        if len(cells) > len(self.columns):
            self._issue(
                number,
                "",
                "",
                f"{len(cells)} cells for {len(self.columns)} columns: "
                "the cells past the last column are ignored.",
            )
        for column, raw in zip(self.columns, cells, strict=False):
            if column.error or column.target == SKIP or raw == "":
                continue
            cell = unescaped(raw)
            try:
                self._parsed_cell(row, column, cell)
            except DomainError as error:
                self._issue(number, column.header, raw, error.message)
        return row

    def _parsed_cell(self, row: _Row, column: Column, cell: str) -> None:
        target = column.target
        if target in IDENTIFIER_COLUMNS:
            row.ids[target] = identifier_value(target, cell)
        elif target in FIELD_COLUMNS:
            row.fields[target] = contact_text(target, cell)
        elif target == TAGS_COLUMN:
            row.tags = [_checked_name(name) for name in cell.split(",") if name.strip()]
        else:
            row.cells.append((column, cell))

    def _match(self, rows: list[_Row]) -> None:
        """Find the stored customer of each row: one query per identifier kind."""
        known: dict[tuple[str, object], tuple] = {}
        for kind in IDENTIFIER_COLUMNS:
            wanted = sorted({row.ids[kind] for row in rows if kind in row.ids})
            if not wanted:
                continue
            column = "id" if kind == "customer_id" else kind
            for found in bulk_statements.customers_by(
                self.account.pk, column, wanted, _CUSTOMER_FIELDS
            ):
                known[kind, found[_POSITION[kind]]] = found
        for row in rows:
            matches = [
                (kind, known[kind, row.ids[kind]])
                for kind in IDENTIFIER_COLUMNS
                if kind in row.ids and (kind, row.ids[kind]) in known
            ]
            if not matches:
                continue
            first_kind, row.customer = matches[0]
            for kind, other in matches[1:]:
                if other[_ID] != row.customer[_ID]:
                    self._issue(
                        row.number,
                        self._header(kind),
                        str(row.ids.pop(kind)),
                        f"This {kind} is another customer's (#{other[_ID]}) than the "
                        f"{first_kind}'s (#{row.customer[_ID]}); it is left unchanged.",
                    )

    def _identified(self, row: _Row) -> bool:
        """Choose the identifier the row is saved by, and the identifiers it adds."""
        customer = row.customer
        if customer is not None:
            kind = next((k for k in CREATING if customer[_POSITION[k]] is not None), None)
            if kind is None:
                self._issue(
                    row.number,
                    "",
                    "",
                    f"Customer #{customer[_ID]} has no user_id, email or visitor_id, which an "
                    "import saves customers by; add one to the row to set one.",
                )
                return False
            row.identifier = Identifier(kind, customer[_POSITION[kind]])
        else:
            kind = next((k for k in CREATING if k in row.ids), None)
            if kind is None:
                self._refuse_unidentified(row)
                return False
            row.identifier = Identifier(kind, row.ids[kind])
        for other in (*CREATING, "phone"):
            if other not in row.ids or (customer is None and other == kind):
                continue
            current = None if customer is None else customer[_POSITION[other]]
            if current is None:
                row.set_ids[other] = row.ids[other]
            elif current != row.ids[other]:
                self._issue(
                    row.number,
                    self._header(other),
                    str(row.ids[other]),
                    f"Customer #{customer[_ID]} has {other} {current}; an import does not "
                    "change identifiers.",
                )
        return True

    def _refuse_unidentified(self, row: _Row) -> None:
        self.result.rows_refused += 1
        if "customer_id" in row.ids:
            reason = f"No customer #{row.ids['customer_id']} in this account."
            column, value = self._header("customer_id"), str(row.ids["customer_id"])
        elif "phone" in row.ids:
            reason = (
                "A customer is not created from a phone number alone: "
                "add a user_id, email or visitor_id."
            )
            column, value = self._header("phone"), row.ids["phone"]
        else:
            reason = "No identifier: give the row a user_id, email, visitor_id or customer_id."
            column, value = "", ""
        self._issue(row.number, column, value, reason)

    def _stored_values(self, rows: list[_Row], definitions: list[int]) -> dict:
        """Return the stored values the rows' cells may equal, by (customer id, definition id)."""
        ids = sorted({row.customer[_ID] for row in rows if row.customer is not None})
        if not ids or not definitions:
            return {}
        found = {}
        for customer_id, definition_id, stored in bulk_statements.values_of(ids, definitions):
            found[customer_id, definition_id] = stored
        return found

    def _definitions(self) -> dict[str, DefinitionRef]:
        """Return the columns' definitions as they are now (an earlier chunk created some)."""
        keys = [c.key for c in self.columns if c.target == "property" and not c.error]
        return statements.definitions_by_key(self.account.pk, keys) if keys else {}

    def _item(self, row: _Row, stored: dict, definitions: dict, written: dict):
        """Return the row's bulk write, without what equals the stored customer; or None."""
        writes = [
            PropertyWrite(
                column.key,
                _cell_value(cell, column.type),
                column.declared or column.type,
                column.label,
            )
            for column, cell in row.cells
        ]
        if row.customer is None:
            # Nothing stored to compare with: the bulk write checks each value (once).
            return ProfileWrite(row.identifier, row.fields, writes, row.tags)
        pk = row.customer[_ID]
        changed = []
        for (column, cell), write in zip(row.cells, writes, strict=True):
            definition = definitions.get(column.key)
            try:
                plan = self.planner.plan(write, definition)
            except DomainError as error:
                self._issue(row.number, column.header, cell, error.message)
                continue
            if definition is not None:
                # An earlier row of the chunk for the same customer counts as stored.
                before = written.get((pk, definition.pk), _ABSENT)
                if before is _ABSENT:
                    before = stored.get((pk, definition.pk), _ABSENT)
                if before == plan.stored:
                    continue
                written[pk, definition.pk] = plan.stored
            changed.append(write)
        fields = {
            name: value
            for name, value in row.fields.items()
            if row.customer[_FIELD_POSITION[name]] != value
        }
        if not (changed or fields or row.tags):
            return None
        return ProfileWrite(row.identifier, fields, changed, row.tags)

    def _report_outcome(self, row: _Row, outcome) -> None:
        if outcome.error is not None:
            self.result.rows_refused += 1
            self._issue(row.number, "", "", outcome.error.message)
            return
        cells = {column.key: (column, cell) for column, cell in row.cells}
        for refused in outcome.result.refused:
            column, cell = cells.get(refused.key, (None, ""))
            header = column.header if column else refused.key
            self._issue(row.number, header, cell, refused.error.message)

    def _identifiers_set(self, rows: list[_Row]) -> None:
        """Give customers the identifiers their rows add: one statement per kind, or row by
        row when one of them is taken meanwhile (reported)."""
        for kind in ("user_id", "email", "visitor_id", "phone"):
            # A customer's first row (in file order) gives it the identifier; a later row
            # with another value is reported, as a stored one would be.
            first: dict[int, object] = {}
            pairs = []
            for row in rows:
                if kind not in row.set_ids:
                    continue
                pk, value = row.customer[_ID], row.ids[kind]
                if pk not in first:
                    first[pk] = value
                    pairs.append((pk, value, row))
                elif first[pk] != value:
                    self._issue(
                        row.number,
                        self._header(kind),
                        str(value),
                        f"Customer #{pk} gets {kind} {first[pk]} from an earlier row; an "
                        "import does not change identifiers.",
                    )
            pairs.sort()  # by customer id (distinct: rows are never compared)
            if not pairs:
                continue
            try:
                with transaction.atomic():
                    bulk_statements.identifiers_add(kind, [(pk, value) for pk, value, _ in pairs])
            except IntegrityError:
                for pk, value, row in pairs:
                    try:
                        with transaction.atomic():
                            Customer.objects.filter(pk=pk, **{f"{kind}__isnull": True}).update(
                                **{kind: value}
                            )
                    except IntegrityError:
                        self._issue(
                            row.number,
                            self._header(kind),
                            str(value),
                            f"Another customer in this account already has {kind} {value}.",
                        )

    def _header(self, target: str) -> str:
        return next((c.header for c in self.columns if c.target == target), target)


def _cell_value(cell: str, type_: PropertyType | None) -> object:
    """Return a cell as the value to coerce: a collection or JSON written as JSON is read."""
    if type_ is PropertyType.COLLECTION and cell.lstrip().startswith("["):
        try:
            parsed = json.loads(cell)
        except ValueError:
            return cell
        return parsed if isinstance(parsed, list) else cell
    return cell


# --- Imports from the browser: the file is kept with its job, and the worker runs it.

PREVIEW_ROWS = 5
MAX_COLUMNS = 1_100


@dataclass(frozen=True)
class ImportPreview:
    """What the mapping page shows: each column as proposed, and the first rows."""

    columns: list[Column]
    rows: list[list[str]]


def import_job_create(*, account: Account, user, file_name: str, content: bytes):
    """Keep an uploaded CSV file as an import waiting for its columns' mapping.

    Refuse a file that is not UTF-8 text, or whose first line names no column.
    """
    text = _decoded(content)
    headers = next(csv_rows(io.StringIO(text)), None)
    if not headers or not any(h.strip() for h in headers):
        raise InvalidInput("The file is empty: its first line names the columns.")
    if len(headers) > MAX_COLUMNS:
        raise InvalidInput(f"The file has {len(headers)} columns; at most {MAX_COLUMNS}.")
    return ImportJob.objects.create(
        account=account, created_by=user, file_name=file_name[:255], content=content
    )


def import_job_preview(*, job) -> ImportPreview:
    """Return the columns of `job`'s file as they would be imported, and its first rows."""
    rows = csv_rows(io.StringIO(_decoded(bytes(job.content))))
    headers = [unescaped(h).strip() for h in next(rows)]
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= 1_000:
            break
    columns = columns_plan(account=job.account, headers=headers, sample=sample, mapping=None)
    return ImportPreview(columns, sample[:PREVIEW_ROWS])


def import_job_start(*, job, mapping: dict[str, str]) -> None:
    """Queue `job` with its columns' mapping for the worker (once the caller commits)."""
    if job.status != ImportStatus.MAPPING:
        raise InvalidInput("This import has already started.")
    identifiers = [spec for spec in mapping.values() if spec.strip().lower() in IDENTIFIER_COLUMNS]
    if not identifiers:
        raise InvalidInput(
            "Map a column to one of " + ", ".join(IDENTIFIER_COLUMNS) + " to find the customers."
        )
    ImportJob.objects.filter(pk=job.pk).update(mapping=mapping, status=ImportStatus.QUEUED)
    job.mapping, job.status = mapping, ImportStatus.QUEUED
    transaction.on_commit(lambda: customers_import_task.enqueue(job_id=job.pk))


def import_job_run(*, job_id: int) -> None:
    """Run a queued import (the worker's task): progress as it goes, then its report."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("account").get(pk=job_id)
    text = _decoded(bytes(job.content))

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)

    try:
        # Counted inside: a file the CSV reader stops on fails the job, not leaves it running.
        total = max(sum(1 for _ in csv_rows(io.StringIO(text))) - 1, 0)
        ImportJob.objects.filter(pk=job_id).update(rows_total=total)
        result = customers_import(
            account=job.account,
            rows=csv_rows(io.StringIO(text)),
            mapping=job.mapping,
            on_progress=progress,
        )
    except DomainError as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=error.message, finished_at=timezone.now()
        )
        return
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error="The import stopped on an unexpected error; the rows before it are stored.",
            finished_at=timezone.now(),
        )
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        rows_done=result.rows,
        issues_count=result.issues_count,
        report=result.report_csv(),
        finished_at=timezone.now(),
    )


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again."
        ) from None
