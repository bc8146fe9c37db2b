"""Track v1 devices, suppress/unsuppress and merge_customers, as official clients send them."""

import datetime

from customers.models import AuditEntry, Customer, Device
from events.models import Event
from tests.compat.customerio.helpers import V1, errors, ok, send
from tests.factories import make_customer, make_tags
from tests.stored import values_of

# What customerio-python's add_device(customer_id, device_id, platform, last_used=…) sends.
PYTHON_DEVICE = {"device": {"id": "tok-1", "platform": "ios", "last_used": 1514764800}}
# What customerio-node's addDevice(id, token, platform, {app_version}) sends.
NODE_DEVICE = {"device": {"id": "tok-2", "platform": "android", "attributes": {"app": "1.2"}}}


def test_add_device_stores_token_platform_and_last_use_on_the_person(track, account):
    ann = make_customer(account, "ann@example.com", user_id="ann")

    ok(send(track, "put", f"{V1}/customers/ann/devices", PYTHON_DEVICE))
    ok(send(track, "put", f"{V1}/customers/ann/devices", NODE_DEVICE))

    devices = {d.token: d for d in Device.objects.filter(customer=ann)}
    assert set(devices) == {"tok-1", "tok-2"}
    assert devices["tok-1"].platform == "ios"
    assert devices["tok-1"].last_used_at == datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)
    assert (devices["tok-2"].platform, devices["tok-2"].attributes) == ("android", {"app": "1.2"})


def test_a_token_added_to_another_person_moves_to_them(track, account):
    ok(send(track, "put", f"{V1}/customers/ann/devices", PYTHON_DEVICE))

    ok(send(track, "put", f"{V1}/customers/bob/devices", PYTHON_DEVICE))

    assert Device.objects.get().customer == Customer.objects.get(user_id="bob")


def test_a_device_of_an_unknown_platform_is_400_and_stores_nothing(track):
    body = {"device": {"id": "tok", "platform": "windows"}}

    [message] = errors(send(track, "put", f"{V1}/customers/ann/devices", body), 400)

    assert "ios" in message
    assert not Device.objects.exists()


def test_delete_device_removes_it_and_is_200_again_and_for_unknown_people(track):
    ok(send(track, "put", f"{V1}/customers/ann/devices", PYTHON_DEVICE))

    ok(send(track, "delete", f"{V1}/customers/ann/devices/tok-1"))
    ok(send(track, "delete", f"{V1}/customers/ann/devices/tok-1"))
    ok(send(track, "delete", f"{V1}/customers/nobody/devices/tok-1"))

    assert not Device.objects.exists()


def test_delete_device_of_another_persons_token_leaves_it(track):
    ok(send(track, "put", f"{V1}/customers/ann/devices", PYTHON_DEVICE))
    ok(send(track, "put", f"{V1}/customers/bob", {}))

    ok(send(track, "delete", f"{V1}/customers/bob/devices/tok-1"))

    assert Device.objects.get().customer.user_id == "ann"


def test_suppress_and_unsuppress_mark_the_person(track, account):
    ann = make_customer(account, "ann@example.com", user_id="ann")

    ok(track.post(f"{V1}/customers/ann/suppress"))
    ann.refresh_from_db()
    assert ann.suppressed_at is not None
    ok(send(track, "post", f"{V1}/customers/ann/suppress", {}))

    ok(send(track, "post", f"{V1}/customers/ann/unsuppress", {}))
    ann.refresh_from_db()
    assert ann.suppressed_at is None
    ok(send(track, "post", f"{V1}/customers/nobody/unsuppress", {}))
    assert not Customer.objects.filter(user_id="nobody").exists()


def test_merge_moves_values_events_tags_and_devices_and_deletes_the_secondary(track, account):
    primary = make_customer(account, "ann@example.com", {"plan": "pro"}, ["vip"], user_id="ann")
    secondary = make_customer(
        account, "ann.old@example.com", {"plan": "free", "seats": 3}, ["beta"], user_id="ann_old"
    )
    secondary.tags.add(*make_tags(account, "vip"))
    ok(send(track, "post", f"{V1}/customers/ann_old/events", {"name": "signed_up"}))
    ok(send(track, "put", f"{V1}/customers/ann_old/devices", PYTHON_DEVICE))

    body = {"primary": {"id": "ann"}, "secondary": {"email": "ANN.OLD@example.com"}}
    ok(send(track, "post", f"{V1}/merge_customers", body))

    assert not Customer.objects.filter(pk=secondary.pk).exists()
    assert values_of(primary) == {"plan": "pro", "seats": 3}
    assert sorted(primary.tags.values_list("name", flat=True)) == ["beta", "vip"]
    assert Event.objects.get().customer == primary
    assert Device.objects.get().customer == primary
    primary.refresh_from_db()
    assert (primary.email, primary.user_id) == ("ann@example.com", "ann")
    entry = AuditEntry.objects.get(action="customer.merged")
    assert entry.actor_api_key == track.api_key
    assert entry.details["secondary"]["user_id"] == "ann_old"


def test_merge_by_cio_id_fills_the_primarys_missing_identifiers(track, account):
    primary = make_customer(account, user_id="ann")
    secondary = make_customer(account, "ann@example.com")

    body = {"primary": {"cio_id": str(primary.pk)}, "secondary": {"cio_id": str(secondary.pk)}}
    ok(send(track, "post", f"{V1}/merge_customers", body))

    primary.refresh_from_db()
    assert primary.email == "ann@example.com"
    assert Customer.objects.count() == 1


def test_merge_of_an_unknown_secondary_changes_nothing(track, account):
    make_customer(account, user_id="ann")

    body = {"primary": {"id": "ann"}, "secondary": {"id": "nobody"}}
    ok(send(track, "post", f"{V1}/merge_customers", body))

    assert Customer.objects.count() == 1
    assert not AuditEntry.objects.filter(action="customer.merged").exists()


def test_merge_without_a_primary_identifier_is_400(track):
    body = {"primary": {"phone": "+1555"}, "secondary": {"id": "b"}}

    [message] = errors(send(track, "post", f"{V1}/merge_customers", body), 400)

    assert "primary" in message
