"""events.services: an event recorded (or replaced by its id), and tracked with its customer."""

import datetime

import pytest

from customers.errors import InvalidInput, InvalidValue
from customers.identifiers import Identifier
from customers.models import Customer
from customers.services import PropertyWrite
from events.models import Event
from events.services import event_record, event_track
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import make_customer, make_definition
from tests.stored import values_of

MOMENT = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def test_record_stores_an_event_with_a_generated_id(account):
    ann = make_customer(account)

    event, created = event_record(
        account=account,
        customer=ann,
        name="order_shipped",
        source="shop",
        occurred_at=MOMENT,
        properties={"order": "A-1"},
    )

    stored = Event.objects.get()
    assert created is True
    assert (stored.event_id, stored.customer_id, stored.name, stored.source) == (
        event.event_id,
        ann.pk,
        "order_shipped",
        "shop",
    )
    assert (stored.occurred_at, stored.properties) == (MOMENT, {"order": "A-1"})
    assert len(stored.event_id) == 36


def test_record_without_a_moment_happened_when_received(account):
    event_record(account=account, customer=make_customer(account), name="signed_up")

    stored = Event.objects.get()
    assert stored.occurred_at == stored.received_at
    assert stored.properties == {}


def test_record_of_an_existing_id_replaces_that_event_in_its_account_only(account, other_account):
    ann, bob = make_customer(account), make_customer(account)
    theirs = make_customer(other_account)
    event_record(account=other_account, customer=theirs, name="theirs", event_id="e-1")
    event_record(account=account, customer=ann, name="first", event_id="e-1")

    _, created = event_record(
        account=account, customer=bob, name="second", event_id="e-1", properties={"n": 2}
    )

    assert created is False
    ours = Event.objects.get(account=account)
    assert (ours.customer_id, ours.name, ours.properties) == (bob.pk, "second", {"n": 2})
    assert Event.objects.get(account=other_account).name == "theirs"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "n" * 256}, "name"),
        ({"name": "a\x00"}, "name"),
        ({"event_id": "e" * 256}, "id"),
        ({"event_id": 7}, "id"),
        ({"source": "s" * 256}, "source"),
        ({"properties": ["not", "an", "object"]}, "data"),
    ],
)
def test_record_refuses_bad_fields_and_stores_nothing(account, fields, field):
    with pytest.raises(InvalidInput) as refused:
        event_record(account=account, customer=make_customer(account), **{"name": "x", **fields})

    assert refused.value.details == {"field": field}
    assert not Event.objects.exists()


def test_track_identifies_the_customer_updates_its_profile_and_records(account):
    event, created = event_track(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        name="order_shipped",
        customer_fields={"first_name": "Ann"},
        customer_properties=[PropertyWrite("plan", "pro")],
    )

    ann = Customer.objects.get()
    assert (ann.email, ann.first_name) == ("ann@example.com", "Ann")
    assert values_of(ann) == {"plan": "pro"}
    assert created is True
    assert Event.objects.get().customer_id == ann.pk == event.customer.pk


def test_track_with_a_refused_property_stores_neither_customer_nor_event(account):
    make_definition(account, "seats", "integer")

    with pytest.raises(InvalidValue):
        event_track(
            account=account,
            identifier=Identifier("email", "ann@example.com"),
            name="order_shipped",
            customer_properties=[PropertyWrite("seats", "many")],
        )

    assert not Customer.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_event_id_leave_one_event(account):
    def post(n):
        event_track(
            account=account,
            identifier=Identifier("user_id", "usr_1"),
            name="order_shipped",
            event_id="same-id",
            properties={"writer": n},
            customer_properties=[],
        )

    errors = run_concurrently(post)

    assert errors == []
    event = Event.objects.get()
    assert event.event_id == "same-id"
    assert event.properties["writer"] in range(WRITERS)
