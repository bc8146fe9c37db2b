"""The benchmark's data: one account, a write key, and customers with values, in bulk.

`python -m bench.seed --customers N` seeds the database DATABASE_URL names and prints the
BenchData as JSON. Django is imported inside the functions: as a program, this module
sets Django up first.
"""

import argparse
import json
import os
from dataclasses import asdict

from bench.scenarios import (
    EXTRA_KEYS,
    PLANS,
    SEEDED_KEYS,
    WRITE_SLICES,
    BenchData,
    email,
    extra_key,
    seeded_key,
    user_id,
    value,
)

BATCH = 500


def _key_type(index: int) -> str:
    return "integer" if index % 2 == 0 else "text"


def bench_data_create(*, customers: int, account_name: str = "Bench") -> BenchData:
    """Create the account, its key, the definitions and `customers` customers with values.

    Every customer has a value for each seeded key and a plan_tier; none has an extra key.
    Customers' ids are consecutive (the scripts address HelpCrunch's customers by id).
    """
    from django.db import transaction
    from django.utils import timezone

    from customers import values
    from customers.models import Customer, PropertyDefinition, PropertyValue
    from customers.services import Actor, account_get_or_create, api_key_create
    from customers.services.properties import label_for

    if customers < WRITE_SLICES:
        # The PUT scenarios each write to their own slice of the customers.
        raise ValueError(f"Seed at least {WRITE_SLICES} customers.")
    account, _ = account_get_or_create(name=account_name)
    _, key = api_key_create(account=account, name="bench", actor=Actor(system="bench"))
    types = {seeded_key(i): _key_type(i) for i in range(SEEDED_KEYS)}
    types |= {extra_key(i): _key_type(i) for i in range(EXTRA_KEYS)}
    types["plan_tier"] = "text"
    with transaction.atomic():
        PropertyDefinition.objects.bulk_create(
            [
                PropertyDefinition(account=account, key=key_, label=label_for(key_), type=type_)
                for key_, type_ in types.items()
            ],
            batch_size=BATCH,
        )
        definitions = {
            d.key: d
            for d in PropertyDefinition.objects.filter(
                account=account, key__in=[*map(seeded_key, range(SEEDED_KEYS)), "plan_tier"]
            )
        }
        made = Customer.objects.bulk_create(
            [
                Customer(
                    account=account,
                    email=email(n),
                    user_id=user_id(n),
                    first_name="Bench",
                    last_name=str(n),
                )
                for n in range(customers)
            ],
            batch_size=BATCH,
        )
        ids = [customer.pk for customer in made]
        if ids != list(range(ids[0], ids[0] + customers)):
            raise RuntimeError("The seeded customers' ids are not consecutive.")
        now = timezone.now()
        rows = []
        for n, customer_id in enumerate(ids):
            wanted = {seeded_key(i): value(i, n) for i in range(SEEDED_KEYS)}
            wanted["plan_tier"] = PLANS[n % len(PLANS)]
            for key_, raw in wanted.items():
                definition = definitions[key_]
                row = PropertyValue(customer_id=customer_id, definition=definition, updated_at=now)
                stored = values.coerce(raw, definition.property_type)
                setattr(row, values.STORAGE_COLUMN[definition.property_type], stored)
                rows.append(row)
        PropertyValue.objects.bulk_create(rows, batch_size=2_000)
    return BenchData(key=key, site_id=account.site_id, customers=customers, first_id=ids[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2_000)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(asdict(bench_data_create(customers=options.customers))))


if __name__ == "__main__":
    main()
