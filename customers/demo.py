"""Realistic demo data, written in bulk so that a million customers takes minutes.

Twenty-one properties of every type (each with its own fill rate and spread of values) and
events. Rows skip the ORM: on PostgreSQL they stream through `COPY` (psycopg's copy
support), on SQLite through multi-row inserts; values are drawn from pools rendered once,
so each row costs a random draw and a string join.
"""

import json
import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from customers import statements, values
from customers.models import (
    Account,
    Customer,
    DefinitionSource,
    MemberRole,
    Membership,
    PropertyDefinition,
    PropertyValue,
)
from customers.services.audit import Actor
from customers.services.labels import definitions_relabelled
from customers.services.members import member_add
from customers.values import PropertyType

FIRST_NAMES = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "Tim",
    "Radia",
    "Guido",
]
LAST_NAMES = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Berners",
]
COMPANIES = ["Acme Inc", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Co"]
PLANS = ["free", "starter", "professional", "enterprise"]
INTERESTS = ["golf", "travel", "cooking", "music", "running", "books", "films", "chess", "yoga"]
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "BR", "IN", "JP", "CA", "AU"]
CITIES = ["London", "Berlin", "Paris", "Madrid", "Rome", "Amsterdam", "Stockholm", "Warsaw"]
STAGES = ["lead", "trial", "customer", "churned", "champion"]
DEVICES = ["ios", "android", "web", "desktop", "watch"]
DIGESTS = ["daily", "weekly", "never"]
EVENT_NAMES = ["signed_in", "purchase", "viewed_page", "opened_email", "survey_answered"]

# key, label, type, description, fill rate (share of customers holding a value)
DEMO_DEFINITIONS = [
    ("plan_tier", "Plan tier", PropertyType.TEXT, "The current subscription plan.", 0.95),
    ("country", "Country", PropertyType.TEXT, "Country code of the billing address.", 0.9),
    ("city", "City", PropertyType.TEXT, "City of the billing address.", 0.6),
    ("lifecycle_stage", "Lifecycle stage", PropertyType.TEXT, "Where the customer is.", 0.8),
    ("referral_code", "Referral code", PropertyType.TEXT, "Code the customer shares.", 0.2),
    ("last_invoice_url", "Last invoice URL", PropertyType.URL, "Link to the last invoice.", 0.5),
    ("avatar_url", "Avatar URL", PropertyType.URL, "The customer's picture.", 0.3),
    ("last_paid_amount", "Last paid amount", PropertyType.NUMBER, "Last invoice's amount.", 0.7),
    ("lifetime_value", "Lifetime value", PropertyType.NUMBER, "Everything paid so far.", 0.7),
    ("number_of_payments", "Number of payments", PropertyType.INTEGER, "Payments so far.", 0.75),
    ("seats", "Seats", PropertyType.INTEGER, "Seats in the subscription.", 0.5),
    ("nps_score", "NPS score", PropertyType.INTEGER, "Last survey answer, 0 to 10.", 0.4),
    ("trial_ends_at", "Trial ends at", PropertyType.DATE, "When the free trial ends.", 0.6),
    ("signed_up_at", "Signed up at", PropertyType.DATE, "When the account was opened.", 0.98),
    ("last_seen_at", "Last seen at", PropertyType.DATE, "Last visit to the product.", 0.9),
    ("newsletter", "Newsletter", PropertyType.BOOLEAN, "Subscribed to the newsletter.", 0.75),
    ("is_vip", "VIP", PropertyType.BOOLEAN, "Handled by the key accounts team.", 0.3),
    ("beta_tester", "Beta tester", PropertyType.BOOLEAN, "Sees features early.", 0.2),
    ("interests", "Interests", PropertyType.COLLECTION, "Topics the customer follows.", 0.75),
    ("devices", "Devices", PropertyType.COLLECTION, "Where the customer uses the app.", 0.5),
    ("preferences", "Preferences", PropertyType.JSON, "Settings chosen in the app.", 0.3),
]

EVENT_SHARE = 0.3  # customers with events; each has one to three
_POOL_SIZE = 5_000


def _demo_value(key: str, rng: random.Random, now: datetime):
    """Return one raw demo value of the property `key`, as a client would send it."""
    match key:
        case "plan_tier":
            return rng.choices(PLANS, weights=[50, 25, 15, 10])[0]
        case "country":
            return rng.choice(COUNTRIES)
        case "city":
            return rng.choice(CITIES)
        case "lifecycle_stage":
            return rng.choice(STAGES)
        case "referral_code":
            return f"REF-{rng.randint(100_000, 999_999)}"
        case "last_invoice_url":
            return f"https://billing.example.com/invoices/{rng.randint(1000, 99999)}"
        case "avatar_url":
            return f"https://cdn.example.com/avatars/{rng.randint(1, 50_000)}.png"
        case "last_paid_amount":
            return round(rng.uniform(5, 500), 2)
        case "lifetime_value":
            return round(rng.lognormvariate(6, 1.2), 2)
        case "number_of_payments":
            return rng.randint(0, 60)
        case "seats":
            return rng.randint(1, 250)
        case "nps_score":
            return rng.randint(0, 10)
        case "trial_ends_at":
            return (now + timedelta(days=rng.randint(-90, 30))).isoformat()
        case "signed_up_at":
            return (now - timedelta(seconds=rng.randint(0, 3 * 365 * 86_400))).isoformat()
        case "last_seen_at":
            return (now - timedelta(seconds=rng.randint(0, 60 * 86_400))).isoformat()
        case "newsletter":
            return rng.random() < 0.6
        case "is_vip":
            return rng.random() < 0.1
        case "beta_tester":
            return rng.random() < 0.5
        case "interests":
            return rng.sample(INTERESTS, rng.randint(1, 3))
        case "preferences":
            return {"theme": rng.choice(["light", "dark"]), "digest": rng.choice(DIGESTS)}
        case _:
            return rng.sample(DEVICES, rng.randint(1, 2))


@dataclass
class _Pool:
    """A definition's fill rate and pre-rendered values to draw from."""

    pk: int
    fill: float
    rows: list  # per value: the row's columns after the ids, ready for the database


def demo_data_create(
    *,
    account: Account,
    customers: int,
    batch_size: int = 10_000,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `customers` demo customers with typical values and events; return how many."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    writer = _CopyWriter() if connection.vendor == "postgresql" else _InsertWriter()
    pools = _pools(_demo_definitions(account), rng, now, writer)

    def rows_of(ids: list[int]) -> tuple:
        return (
            writer.prepare(_customer_rows(account.pk, ids, rng, now, writer)),
            writer.prepare(_value_rows(ids, pools, rng, writer.stamp(now))),
            writer.prepare(_event_rows(account.pk, ids, rng, now, writer)),
        )

    sizes = [min(batch_size, customers - start) for start in range(0, customers, batch_size)]
    # The next batch's rows are made in a thread while the database takes this one's.
    with ThreadPoolExecutor(max_workers=1) as maker, writer.session():
        pending = maker.submit(rows_of, writer.reserve_ids(sizes[0])) if sizes else None
        made = 0
        for n, size in enumerate(sizes):
            customer_rows, value_rows, event_rows = pending.result()
            if n + 1 < len(sizes):
                pending = maker.submit(rows_of, writer.reserve_ids(sizes[n + 1]))
            with transaction.atomic():
                writer.customers(customer_rows)
                writer.values(value_rows)
                writer.events(event_rows)
            made += size
            if progress:
                progress(made)
    # The rows went in without the summary triggers where the role allowed it.
    with transaction.atomic():
        statements.summary_recount(account.pk)
    _analyze()
    return made


def _analyze() -> None:
    """Give PostgreSQL's planner statistics for the tables just filled: until autovacuum gets
    to them it plans a keyset export or a filter over a million fresh rows as if they were
    empty (an export took 300 s instead of 26). SQLite keeps planning without statistics."""
    if connection.vendor != "postgresql":
        return
    tables = [Customer._meta.db_table, PropertyValue._meta.db_table, _events_table()]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _demo_definitions(account: Account) -> list[PropertyDefinition]:
    """Create the demo definitions the account lacks; return all of them, in list order."""
    rows = [
        PropertyDefinition(
            account=account,
            key=key,
            label=label,
            type=type_,
            description=description,
            source=DefinitionSource.IMPORT,
        )
        for key, label, type_, description, _ in DEMO_DEFINITIONS
    ]
    PropertyDefinition.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [d[0] for d in DEMO_DEFINITIONS]
    found = {d.key: d for d in PropertyDefinition.objects.filter(account=account, key__in=keys)}
    if len(found) < len(keys):
        # An active property of another key has a demo label: the demo's gets "(2)".
        definitions_relabelled(account, [row for row in rows if row.key not in found])
        found = {d.key: d for d in PropertyDefinition.objects.filter(account=account, key__in=keys)}
    return [found[key] for key, *_ in DEMO_DEFINITIONS]


_VALUE_FIELDS = [PropertyValue._meta.get_field(column) for column in values.VALUE_COLUMNS]


def _pools(definitions, rng: random.Random, now: datetime, writer) -> list[_Pool]:
    """Render a pool of stored values per definition, typed as the type's column holds them."""
    fills = {key: fill for key, *_, fill in DEMO_DEFINITIONS}
    pools = []
    for definition in definitions:
        type_ = definition.property_type
        column = values.STORAGE_COLUMN[type_]
        rendered = []
        for _ in range(_POOL_SIZE):
            stored = values.coerce(_demo_value(definition.key, rng, now), type_)
            rendered.append(
                writer.value_columns(
                    [
                        field.get_db_prep_save(stored, connection)
                        if field.column == column
                        else None
                        for field in _VALUE_FIELDS
                    ]
                )
            )
        # Repeats kept: a value drawn often (a plan, `false`) stays as frequent.
        pools.append(_Pool(definition.pk, fills[definition.key], rendered))
    return pools


def _customer_rows(account_id: int, ids: list[int], rng: random.Random, now, writer) -> list:
    stamp = writer.stamp(now)
    rows = []
    for pk in ids:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append(
            (
                pk,
                account_id,
                writer.uuid(uuid.uuid4()),
                f"{first}.{last}.{pk}@example.com".lower(),
                f"usr_{pk}",
                first,
                last,
                rng.choice(COMPANIES),
                stamp,
                stamp,
            )
        )
    return rows


def _value_rows(ids: list[int], pools: list[_Pool], rng: random.Random, stamp) -> list:
    """Return (customer id, definition id, value columns…, updated at) rows."""
    draw = rng.random
    rows = []
    for pool in pools:
        fill, choices, pk, size = pool.fill, pool.rows, pool.pk, len(pool.rows)
        for customer_id in ids:
            if draw() < fill:
                rows.append((customer_id, pk, *choices[int(draw() * size)], stamp))
    rows.sort(key=lambda row: (row[0], row[1]))  # the unique index's order
    return rows


def _event_rows(account_id: int, ids: list[int], rng: random.Random, now, writer) -> list:
    rows = []
    for pk in ids:
        if rng.random() >= EVENT_SHARE:
            continue
        for n in range(rng.randint(1, 3)):
            occurred = now - timedelta(seconds=rng.randint(0, 90 * 86_400))
            name = rng.choice(EVENT_NAMES)
            properties = {"amount": round(rng.uniform(5, 500), 2)} if name == "purchase" else {}
            rows.append(
                (
                    account_id,
                    pk,
                    f"demo-{pk}-{n}",
                    name,
                    "demo",
                    writer.stamp(occurred),
                    writer.stamp(occurred),
                    json.dumps(properties),
                )
            )
    return rows


_CUSTOMER_COLUMNS = (
    "id, account_id, uuid, email, user_id, first_name, last_name, company, created_at, updated_at"
)
_VALUE_COLUMNS = ", ".join(["customer_id", "definition_id", *values.VALUE_COLUMNS, "updated_at"])


def _events_table() -> str:
    # The events app sits above this one (it may import customers, not the reverse): its
    # table is found through the app registry, for demo rows only.
    return apps.get_model("events", "Event")._meta.db_table


_EVENT_COLUMNS = (
    "account_id, customer_id, event_id, name, source, occurred_at, received_at, properties"
)


class _CopyWriter:
    """PostgreSQL: ids from the table's sequence, rows through COPY in text format."""

    def reserve_ids(self, size: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Customer._meta.db_table, size],
            )
            return [row[0] for row in cursor.fetchall()]

    def stamp(self, moment: datetime) -> str:
        return moment.isoformat()

    def uuid(self, value: uuid.UUID) -> str:
        return str(value)

    def value_columns(self, prepared: list) -> tuple:
        return tuple(self._text(value) for value in prepared)

    @staticmethod
    def _text(value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, datetime):
            return value.isoformat()
        if hasattr(value, "obj"):  # psycopg's Jsonb wrapper
            value = json.dumps(value.obj)
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    def customers(self, rows: list) -> None:
        self._copy(Customer._meta.db_table, _CUSTOMER_COLUMNS, rows)

    def values(self, rows: list) -> None:
        self._copy(PropertyValue._meta.db_table, _VALUE_COLUMNS, rows)

    def events(self, rows: list) -> None:
        self._copy(_events_table(), _EVENT_COLUMNS, rows)

    @staticmethod
    def prepare(rows: list) -> bytes:
        return "".join("\t".join(map(str, row)) + "\n" for row in rows).encode()

    @contextmanager
    def session(self):
        """Skip the per-row foreign key checks (and the summary triggers: the seed recounts)
        when the role may: pg_restore's --disable-triggers. The ids come from the rows just
        written, so there is nothing to check."""
        with connection.cursor() as cursor:
            try:
                with transaction.atomic():
                    cursor.execute("SET session_replication_role = replica")
            except DatabaseError:
                pass  # not a superuser: every row is checked
            try:
                yield
            finally:
                cursor.execute("RESET session_replication_role")

    def _copy(self, table: str, columns: str, payload: bytes) -> None:
        if not payload:
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            copy.write(payload)


class _InsertWriter:
    """SQLite: ids after the largest (writers wait for the write lock), multi-row inserts."""

    ROWS_PER_STATEMENT = 100

    next_id = None

    def reserve_ids(self, size: int) -> list[int]:
        if self.next_id is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Customer._meta.db_table}")
                self.next_id = cursor.fetchone()[0] + 1
        start, self.next_id = self.next_id, self.next_id + size
        return list(range(start, start + size))

    def stamp(self, moment: datetime):
        return connection.ops.adapt_datetimefield_value(moment)

    def uuid(self, value: uuid.UUID) -> str:
        return value.hex

    def value_columns(self, prepared: list) -> tuple:
        return tuple(prepared)

    @staticmethod
    def prepare(rows: list) -> list:
        return rows

    @contextmanager
    def session(self):
        yield

    def customers(self, rows: list) -> None:
        self._insert(Customer._meta.db_table, _CUSTOMER_COLUMNS, rows)

    def values(self, rows: list) -> None:
        self._insert(PropertyValue._meta.db_table, _VALUE_COLUMNS, rows)

    def events(self, rows: list) -> None:
        self._insert(_events_table(), _EVENT_COLUMNS, rows)

    def _insert(self, table: str, columns: str, rows: list) -> None:
        if not rows:
            return
        width = len(rows[0])
        marks = "(" + ", ".join(["%s"] * width) + ")"
        step = self.ROWS_PER_STATEMENT
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([marks] * len(chunk)),
                    [value for row in chunk for value in row],
                )


DEMO_ADMIN = "admin@demo.example.com"
# The admin apps whose models the demo admin may see and change in the Django admin
# (never `auth`: a demo login must not be able to grant itself more).
DEMO_ADMIN_APPS = ("customers", "events")


def demo_admin_add(*, account: Account) -> tuple[Membership, str | None]:
    """Make the demo admin an admin of `account` who may also open the Django admin; return
    the membership, and the user's one-time password when the user is new.

    An existing demo user keeps their password: the demo admin is shared by every demo
    account, so seeding another one must not sign them out of the first. In the Django
    admin they are staff with the permissions of the customers and events models, and
    see the accounts they are a member of (AccountScopedAdmin): not a superuser.
    """
    membership, one_time = member_add(
        account=account,
        email=DEMO_ADMIN,
        role=MemberRole.ADMIN,
        actor=Actor(system="seed_demo"),
    )
    user = membership.user
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=DEMO_ADMIN_APPS)
    )
    return membership, one_time
