"""Concurrent posts of one event id leave exactly one event, and none fails."""

import pytest

from customers.identifiers import Identifier
from events.models import Event
from events.services import event_track
from tests.customers.test_concurrency import WRITERS, run_concurrently


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
