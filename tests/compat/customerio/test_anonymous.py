"""Anonymous activity: events without a person, and a visitor merged into the person on identify."""

from customers.models import AuditEntry, Customer
from customers.services import PropertyWrite, customer_properties_set
from events.models import Event
from tests.compat.customerio.helpers import V1, ok, send
from tests.factories import make_customer
from tests.stored import values_of


def test_an_invite_event_without_anonymous_id_is_recorded_for_the_account(track, account):
    # Customer.io's documentation: anonymous invite events, addressed by data.recipient.
    body = {"name": "invite_friend", "data": {"recipient": "friend@example.com"}, "id": "inv-1"}

    ok(send(track, "post", f"{V1}/events", body))

    event = Event.objects.get()
    assert (event.event_id, event.customer) == ("inv-1", None)
    events = track.get("/api/events", headers={"X-API-Key": track.raw_key})
    assert events.status_code == 200, events.content
    [listed] = events.json()["events"]
    assert (listed["id"], listed["customer_id"], listed["customer_uuid"]) == ("inv-1", None, None)


def test_identify_with_anonymous_id_moves_the_visitors_events_and_values_to_the_person(
    track, account
):
    ok(send(track, "post", f"{V1}/events", {"name": "viewed_pricing", "anonymous_id": "anon_7"}))
    visitor = Customer.objects.get(visitor_id="anon_7")
    customer_properties_set(
        account=account,
        customer=visitor,
        writes=[PropertyWrite("utm_source", "ads"), PropertyWrite("plan", "free")],
    )
    ann = make_customer(account, "ann@example.com", {"plan": "pro"}, user_id="ann")

    ok(send(track, "put", f"{V1}/customers/ann", {"anonymous_id": "anon_7", "seats": 2}))

    ann.refresh_from_db()
    assert not Customer.objects.filter(pk=visitor.pk).exists()
    assert ann.visitor_id == "anon_7"
    assert [e.name for e in Event.objects.filter(customer=ann)] == ["viewed_pricing"]
    # The person wins where both hold a value; the visitor's others move over.
    assert values_of(ann) == {"plan": "pro", "utm_source": "ads", "seats": 2}
    assert AuditEntry.objects.get(action="customer.merged").details["secondary"] == {
        "customer_id": visitor.pk,
        "visitor_id": "anon_7",
    }


def test_later_anonymous_events_of_a_merged_visitor_land_on_the_person(track, account):
    ok(send(track, "put", f"{V1}/customers/ann", {"anonymous_id": "anon_8"}))

    ok(send(track, "post", f"{V1}/events", {"name": "viewed", "anonymous_id": "anon_8"}))

    ann = Customer.objects.get(user_id="ann")
    assert ann.visitor_id == "anon_8"
    assert Event.objects.get().customer == ann
    assert Customer.objects.count() == 1


def test_anonymous_id_is_never_stored_as_a_property(track):
    ok(send(track, "put", f"{V1}/customers/ann", {"anonymous_id": "anon_9", "plan": "pro"}))

    assert values_of(Customer.objects.get(user_id="ann")) == {"plan": "pro"}
