"""Realistic demo data, written in bulk so that a million customers takes minutes."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import transaction

from customers import values
from customers.models import Account, Customer, DefinitionSource, PropertyDefinition, PropertyValue
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
INTERESTS = ["golf", "travel", "cooking", "music", "running", "books", "films"]

DEMO_DEFINITIONS = [
    ("plan_tier", "Plan tier", PropertyType.TEXT, "The customer's current subscription plan."),
    ("number_of_payments", "Number of payments", PropertyType.INTEGER, "Payments made so far."),
    ("last_paid_amount", "Last paid amount", PropertyType.NUMBER, "Amount of the last invoice."),
    ("trial_ends_at", "Trial ends at", PropertyType.DATE, "When the free trial ends."),
    ("newsletter", "Newsletter", PropertyType.BOOLEAN, "Subscribed to the newsletter."),
    ("last_invoice_url", "Last invoice URL", PropertyType.URL, "Link to the last invoice."),
    ("interests", "Interests", PropertyType.COLLECTION, "Topics the customer follows."),
]


def _demo_value(key: str, rng: random.Random, now: datetime):
    match key:
        case "plan_tier":
            return rng.choice(PLANS)
        case "number_of_payments":
            return rng.randint(0, 60)
        case "last_paid_amount":
            return round(rng.uniform(5, 500), 2)
        case "trial_ends_at":
            return (now + timedelta(days=rng.randint(-90, 30))).isoformat()
        case "newsletter":
            return rng.random() < 0.6
        case "last_invoice_url":
            return f"https://billing.example.com/invoices/{rng.randint(1000, 99999)}"
        case _:
            return rng.sample(INTERESTS, rng.randint(1, 3))


def demo_data_create(
    *,
    account: Account,
    customers: int,
    batch_size: int = 2_000,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `customers` demo customers with typical values; return how many were added."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    definitions = _demo_definitions(account)
    start = (
        Customer.objects.filter(account=account)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
    made = 0
    while made < customers:
        size = min(batch_size, customers - made)
        batch = _demo_customers(account, rng, first_number=start + made + 1, size=size)
        with transaction.atomic():
            Customer.objects.bulk_create(batch, batch_size=500, ignore_conflicts=True)
            ids = Customer.objects.filter(
                account=account, user_id__in=[c.user_id for c in batch]
            ).values_list("id", flat=True)
            rows = _demo_values(ids, definitions, rng, now)
            PropertyValue.objects.bulk_create(rows, batch_size=2_000, ignore_conflicts=True)
        made += size
        if progress:
            progress(made)
    return made


def _demo_definitions(account: Account) -> list[PropertyDefinition]:
    """Create the demo definitions the account lacks; return all of them."""
    PropertyDefinition.objects.bulk_create(
        [
            PropertyDefinition(
                account=account,
                key=key,
                label=label,
                type=type_,
                description=description,
                source=DefinitionSource.IMPORT,
            )
            for key, label, type_, description in DEMO_DEFINITIONS
        ],
        ignore_conflicts=True,
    )
    return list(
        PropertyDefinition.objects.filter(account=account, key__in=[d[0] for d in DEMO_DEFINITIONS])
    )


def _demo_customers(
    account: Account, rng: random.Random, *, first_number: int, size: int
) -> list[Customer]:
    customers = []
    for n in range(first_number, first_number + size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        customers.append(
            Customer(
                account=account,
                email=f"{first}.{last}.{n}@example.com".lower(),
                user_id=f"usr_{n}",
                first_name=first,
                last_name=last,
                company=rng.choice(COMPANIES),
            )
        )
    return customers


def _demo_values(
    customer_ids, definitions: list[PropertyDefinition], rng: random.Random, now: datetime
) -> list[PropertyValue]:
    """Return values of three in four definitions for each customer, typed as stored."""
    rows = []
    for customer_id in customer_ids:
        for definition in definitions:
            if rng.random() < 0.25:
                continue
            raw = _demo_value(definition.key, rng, now)
            row = PropertyValue(customer_id=customer_id, definition=definition, updated_at=now)
            column = values.STORAGE_COLUMN[definition.property_type]
            setattr(row, column, values.coerce(raw, definition.property_type))
            rows.append(row)
    return rows
