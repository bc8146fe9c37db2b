"""events.selectors: an account's or a customer's events, filtered, newest first."""

import datetime

import pytest

from events.selectors import events_filtered
from events.services import event_record
from tests.factories import make_customer

DAY = datetime.timedelta(days=1)
START = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


@pytest.fixture
def history(account, other_account):
    """Ann: signed_up (day 0, web), ordered (day 1, shop), ordered (day 2, shop); Bob:
    signed_up (day 1, web); and another account's ordered (day 3)."""
    ann, bob = make_customer(account, "ann@example.com"), make_customer(account, "bob@example.com")
    for customer, name, source, day in [
        (ann, "signed_up", "web", 0),
        (ann, "ordered", "shop", 1),
        (ann, "ordered", "shop", 2),
        (bob, "signed_up", "web", 1),
    ]:
        event_record(
            account=account,
            customer=customer,
            name=name,
            source=source,
            occurred_at=START + day * DAY,
            properties={"day": day},
        )
    event_record(
        account=other_account,
        customer=make_customer(other_account),
        name="ordered",
        occurred_at=START + 3 * DAY,
    )
    return {"ann": ann, "bob": bob}


def listed(events) -> list[tuple[str, str, int]]:
    return [(e.customer.email, e.name, e.properties["day"]) for e in events]


def test_the_accounts_events_newest_first(account, history):
    assert listed(events_filtered(account=account)) == [
        ("ann@example.com", "ordered", 2),
        ("bob@example.com", "signed_up", 1),  # of one moment, the later recorded first
        ("ann@example.com", "ordered", 1),
        ("ann@example.com", "signed_up", 0),
    ]


@pytest.mark.parametrize(
    ("filters", "days"),
    [
        ({"name": "ordered"}, [2, 1]),
        ({"source": "web"}, [1, 0]),
        ({"after": START + DAY}, [2, 1, 1]),
        ({"before": START + DAY}, [0]),
        ({"after": START + DAY, "before": START + 2 * DAY, "name": "signed_up"}, [1]),
    ],
)
def test_filters_narrow_by_name_source_and_moment(account, history, filters, days):
    assert [e.properties["day"] for e in events_filtered(account=account, **filters)] == days


def test_one_customers_events_only(account, history):
    events = events_filtered(account=account, customer=history["bob"])

    assert listed(events) == [("bob@example.com", "signed_up", 1)]
