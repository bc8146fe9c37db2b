"""Track API v2: POST /entity and /batch with the person operations of Customer.io's reference."""

from customers.models import Customer, DataIssue, Device
from events.models import Event
from tests.compat.customerio.helpers import V1, V2, send
from tests.factories import make_customer, make_definition
from tests.stored import values_of


def person(action: str, identifiers: dict | None = None, **fields) -> dict:
    return {
        "type": "person",
        "action": action,
        "identifiers": identifiers or {"id": "ann"},
        **fields,
    }


def test_entity_identify_creates_the_person_with_attributes(track):
    op = person("identify", attributes={"email": "Ann@Example.com", "plan": "pro"})

    response = send(track, "post", f"{V2}/entity", op)

    assert response.status_code == 200, response.content
    ann = Customer.objects.get(user_id="ann")
    assert ann.email == "ann@example.com"
    assert values_of(ann) == {"plan": "pro"}


def test_entity_event_page_and_screen_are_recorded_with_their_data(track):
    for action in ("event", "page", "screen"):
        op = person(action, name=f"n_{action}", attributes={"k": action}, timestamp=1700000000)
        assert send(track, "post", f"{V2}/entity", op).status_code == 200

    events = {e.name: e for e in Event.objects.all()}
    assert {n: (e.source, e.properties) for n, e in events.items()} == {
        "n_event": ("customerio", {"k": "event"}),
        "n_page": ("customerio_page", {"k": "page"}),
        "n_screen": ("customerio_screen", {"k": "screen"}),
    }
    assert int(events["n_page"].occurred_at.timestamp()) == 1700000000


def test_entity_event_of_an_anonymous_id_goes_to_the_visitor(track):
    op = person("event", {"anonymous_id": "anon_1"}, name="viewed")

    assert send(track, "post", f"{V2}/entity", op).status_code == 200

    assert Event.objects.get().customer.visitor_id == "anon_1"


def test_entity_device_suppress_merge_and_delete(track, account):
    make_customer(account, "old@example.com", {"seats": 3}, user_id="old")
    device = {"token": "tok-9", "platform": "ios", "last_used": 1700000000}
    ops = [
        person("add_device", device=device),
        person("suppress"),
        person("merge", primary={"id": "ann"}, secondary={"email": "old@example.com"}),
    ]
    del ops[2]["identifiers"]
    for op in ops:
        response = send(track, "post", f"{V2}/entity", op)
        assert response.status_code == 200, response.content

    ann = Customer.objects.get(user_id="ann")
    assert ann.suppressed_at is not None
    assert ann.email == "old@example.com"
    assert values_of(ann) == {"seats": 3}
    assert Device.objects.get().customer == ann

    assert send(track, "post", f"{V2}/entity", person("delete_device", device={"token": "tok-9"}))
    assert not Device.objects.exists()
    assert send(track, "post", f"{V2}/entity", person("delete")).status_code == 200
    assert not Customer.objects.exists()
    assert send(track, "post", f"{V2}/entity", person("delete")).status_code == 200


def test_entity_refusal_is_400_in_v2_format_and_stores_nothing(track):
    op = person("identify", {"id": "ann", "email": "a@example.com"}, attributes={"plan": "pro"})

    response = send(track, "post", f"{V2}/entity", op)

    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["reason"] == "invalid"
    assert "exactly one of id, email or cio_id" in error["message"]
    assert not Customer.objects.exists()


def test_entity_of_an_object_is_refused_saying_it_is_not_served(track):
    op = {"type": "object", "action": "identify", "identifiers": {"object_type_id": "1"}}

    response = send(track, "post", f"{V2}/entity", op)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], "not served" in error["message"]) == ("type", True)


def test_batch_stores_each_operation_and_answers_200_when_all_were(track):
    batch = [
        person("identify", attributes={"plan": "pro"}),
        person("event", name="paid", attributes={"amount": 10}),
        person("identify", {"email": "bob@example.com"}, attributes={"plan": "free"}),
    ]

    response = send(track, "post", f"{V2}/batch", {"batch": batch})

    assert response.status_code == 200, response.content
    assert response.json() == {"errors": []}
    assert values_of(Customer.objects.get(user_id="ann")) == {"plan": "pro"}
    assert Event.objects.get().properties == {"amount": 10}
    assert values_of(Customer.objects.get(email="bob@example.com")) == {"plan": "free"}


def test_batch_refuses_only_the_bad_operations_each_whole_and_answers_207(track):
    batch = [
        person("identify", attributes={"plan": "pro"}),
        # Refused whole: its person is created by nothing.
        person("event", {"id": "bob"}, name=""),
        person("dance"),
        "not an operation",
        person("identify", {"id": "cara"}, attributes={"plan": "free"}),
    ]

    response = send(track, "post", f"{V2}/batch", {"batch": batch})

    assert response.status_code == 207, response.content
    errors = response.json()["errors"]
    assert [e["batch_index"] for e in errors] == [1, 2, 3]
    assert all(e["reason"] == "invalid" and e["message"] for e in errors)
    assert errors[1]["field"] == "action"
    assert set(Customer.objects.values_list("user_id", flat=True)) == {"ann", "cara"}
    assert not Event.objects.exists()


def test_batch_type_mismatch_is_stored_leniently_with_a_data_issue(track, account):
    make_definition(account, "seats", "integer")

    batch = [person("identify", attributes={"seats": "many", "plan": "pro"})]
    response = send(track, "post", f"{V2}/batch", {"batch": batch})

    assert response.status_code == 200, response.content
    assert values_of(Customer.objects.get(user_id="ann")) == {"plan": "pro"}
    assert DataIssue.objects.get().key == "seats"


def test_a_batch_that_is_no_list_is_400_in_v2_format(track):
    response = send(track, "post", f"{V2}/batch", {"batch": {}})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "batch"


def test_v2_refuses_bad_credentials_in_its_format(client, db):
    response = client.post(f"{V2}/batch", "{}", content_type="application/json")

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]
    assert response["WWW-Authenticate"].startswith("Basic")


def test_v1_and_v2_serve_the_same_people(track):
    assert send(track, "put", f"{V1}/customers/ann", {"plan": "pro"}).status_code == 200

    op = person("identify", attributes={"seats": 2})
    assert send(track, "post", f"{V2}/entity", op).status_code == 200

    assert values_of(Customer.objects.get(user_id="ann")) == {"plan": "pro", "seats": 2}


def test_relationships_to_objects_are_kept_as_a_json_property_not_dropped(track):
    relationships = [{"identifiers": {"object_type_id": "1", "object_id": "acme"}}]
    op = person("identify", attributes={"cio_relationships": relationships})

    assert send(track, "post", f"{V2}/entity", op).status_code == 200

    assert values_of(Customer.objects.get(user_id="ann")) == {"cio_relationships": relationships}
