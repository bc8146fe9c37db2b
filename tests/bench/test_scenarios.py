"""Every benchmark scenario's requests, through the test client: 2xx, and stored as sent."""

import pytest
from django.test import Client

from bench.profiling import HOST, problem, send
from bench.scenarios import (
    BY_NAME,
    EXTRA_KEYS,
    PLANS,
    SCENARIOS,
    SEEDED_KEYS,
    email,
    seeded_key,
    user_id,
    value,
)
from bench.seed import bench_data_create

CUSTOMERS = 8
PUTS = ["put_1", "put_10", "put_50"]


@pytest.fixture
def data(db):
    return bench_data_create(customers=CUSTOMERS)


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


def properties_of(client, data, n: int) -> dict[str, object]:
    response = client.get(
        "/api/customers/properties", {"email": email(n)}, headers={"X-API-Key": data.key}
    )
    assert response.status_code == 200, response.content
    return {p["key"]: p["value"] for p in response.json()["properties"]}


def customer_number(request) -> int:
    body = request.body
    return int(body["email"].split("@")[0][1:])


def test_seed_makes_consecutive_customers_with_every_seeded_key(client, data):
    for n in (0, CUSTOMERS - 1):
        expected = {seeded_key(i): value(i, n) for i in range(SEEDED_KEYS)}
        expected["plan_tier"] = PLANS[n % len(PLANS)]
        assert properties_of(client, data, n) == expected
    last = client.get(
        f"/compat/helpcrunch/v1/customers/{data.first_id + CUSTOMERS - 1}",
        headers={"Authorization": f"Bearer {data.key}"},
    )
    assert last.status_code == 200
    assert last.json()["email"] == email(CUSTOMERS - 1)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_scenario_request_answers_2xx(client, data, scenario):
    for seq in range(6):
        response = send(client, scenario.build(data, seq))

        assert problem(scenario, response) is None, (seq, response.content[:500])


@pytest.mark.parametrize("name", PUTS)
def test_put_updates_keys_the_customer_has_and_adds_keys_it_lacks(client, data, name):
    updated, added = set(), set()
    for seq in range(4):
        request = BY_NAME[name].build(data, seq)
        n = customer_number(request)
        before = properties_of(client, data, n)

        response = send(client, request)

        assert response.status_code == 200, response.content
        sent = request.body["properties"]
        after = properties_of(client, data, n)
        assert {key: after[key] for key in sent} == sent
        updated |= {key for key in sent if key in before}
        added |= {key for key in sent if key not in before}
    assert updated
    assert added


@pytest.mark.parametrize("name", PUTS)
def test_a_customers_new_keys_stay_new_on_its_later_visits(data, name):
    scenario = BY_NAME[name]
    size = data.slice_size
    seen: dict[int, set[str]] = {}
    for seq in range(scenario.capacity(data)):
        request = scenario.build(data, seq)
        n = customer_number(request)
        new = {key for key in request.body["properties"] if key.startswith("extra_")}
        assert not new & seen.setdefault(n, set()), (seq, new & seen[n])
        seen[n] |= new
    assert scenario.capacity(data) == size * (EXTRA_KEYS // scenario.new_keys_per_visit)
    # Each PUT scenario writes to its own customers.
    assert len(seen) == size


def test_patch_stores_the_value_sent(client, data):
    request = BY_NAME["patch_1"].build(data, 7)

    assert send(client, request).status_code == 200

    key = request.path.rsplit("/", 1)[1]
    assert properties_of(client, data, customer_number(request))[key] == request.body["value"]


def test_event_is_recorded_for_the_customer(client, data):
    request = BY_NAME["post_event"].build(data, 3)

    assert send(client, request).status_code == 201

    response = client.get("/api/events", {"user_id": user_id(3)}, headers={"X-API-Key": data.key})
    assert [e["properties"] for e in response.json()["events"]] == [request.body["properties"]]


def test_customerio_identify_stores_the_attributes(client, data):
    request = BY_NAME["customerio_identify"].build(data, 5)

    assert send(client, request).status_code == 200

    stored = properties_of(client, data, 5)
    assert {key: stored[key] for key in request.body if key != "email"} == {
        key: given for key, given in request.body.items() if key != "email"
    }


def test_retently_stores_every_subscribers_properties(client, data):
    request = BY_NAME["retently_customers"].build(data, 1)

    response = send(client, request)

    assert response.status_code == 200
    assert problem(BY_NAME["retently_customers"], response) is None
    for subscriber in request.body["subscribers"]:
        n = int(subscriber["email"].split("@")[0][1:])
        stored = properties_of(client, data, n)
        assert stored["attr_03"] == value(3, 1)
        assert stored["attr_04"] == value(4, 1)


def test_helpcrunch_patch_stores_the_custom_data(client, data):
    request = BY_NAME["helpcrunch_patch"].build(data, 6)

    assert send(client, request).status_code == 200

    assert properties_of(client, data, 6)["attr_05"] == value(5, 6)


def test_customers_list_is_filtered_by_the_plan(client, data):
    response = send(client, BY_NAME["list_customers"].build(data, 3))

    assert response.status_code == 200
    emails = {c["email"] for c in response.json()["customers"]}
    assert emails == {email(n) for n in range(CUSTOMERS) if PLANS[n % len(PLANS)] == PLANS[3]}
