"""The person a Track v1 path names: an id, an email, or cio_<customer id>; `%2F` in ids."""

from customers.models import Customer
from events.models import Event
from tests.compat.customerio.helpers import V1, errors, ok, send
from tests.factories import make_customer
from tests.stored import values_of


def test_an_email_path_updates_the_person_holding_that_email_whatever_its_case(track, account):
    ann = make_customer(account, "ann@example.com", user_id="usr_ann")

    ok(send(track, "put", f"{V1}/customers/Ann@Example.COM", {"plan": "pro"}))

    assert Customer.objects.count() == 1
    assert values_of(ann) == {"plan": "pro"}


def test_an_email_path_of_nobody_creates_the_person_with_that_email(track):
    ok(send(track, "put", f"{V1}/customers/New@Example.com", {"plan": "pro"}))

    person = Customer.objects.get()
    assert (person.email, person.user_id) == ("new@example.com", None)
    assert values_of(person) == {"plan": "pro"}


def test_an_id_in_the_body_of_an_email_identify_becomes_the_persons_id(track, account):
    ann = make_customer(account, "ann@example.com")

    ok(send(track, "put", f"{V1}/customers/ann@example.com", {"id": "usr_ann"}))

    ann.refresh_from_db()
    assert ann.user_id == "usr_ann"


def test_a_cio_path_names_the_person_by_customer_id(track, account):
    ann = make_customer(account, "ann@example.com", user_id="usr_ann")

    ok(send(track, "put", f"{V1}/customers/cio_{ann.pk}", {"plan": "pro"}))
    ok(send(track, "post", f"{V1}/customers/cio_{ann.pk}/events", {"name": "paid"}))

    assert values_of(ann) == {"plan": "pro"}
    assert Event.objects.get().customer == ann
    assert Customer.objects.count() == 1


def test_a_cio_path_of_nobody_is_404_and_creates_no_one(track):
    assert "No customer" in errors(send(track, "put", f"{V1}/customers/cio_999", {"a": 1}), 404)[0]
    assert not Customer.objects.exists()


def test_a_cio_path_that_is_no_customer_id_is_400_saying_what_a_cio_id_is(track):
    [message] = errors(send(track, "put", f"{V1}/customers/cio_abc", {"a": 1}), 400)
    assert "cio_42" in message
    assert not Customer.objects.exists()


def test_an_id_with_an_encoded_slash_is_one_person_on_every_endpoint(track):
    path = f"{V1}/customers/team%2F42"

    ok(send(track, "put", path, {"plan": "pro"}))
    ok(send(track, "post", f"{path}/events", {"name": "paid"}))
    ok(send(track, "put", f"{path}/devices", {"device": {"id": "tok/1", "platform": "ios"}}))

    person = Customer.objects.get()
    assert person.user_id == "team/42"
    assert values_of(person) == {"plan": "pro"}
    assert Event.objects.get().customer == person
    assert list(person.devices.values_list("token", flat=True)) == ["tok/1"]

    ok(send(track, "delete", f"{path}/devices/tok%2F1"))
    assert not person.devices.exists()
    ok(send(track, "delete", path))
    assert not Customer.objects.exists()


def test_an_email_path_tracks_events_on_that_person(track, account):
    ann = make_customer(account, "ann@example.com")

    ok(send(track, "post", f"{V1}/customers/ANN@example.com/events", {"name": "paid"}))

    assert Event.objects.get().customer == ann
