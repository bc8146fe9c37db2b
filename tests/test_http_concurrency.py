"""Concurrent writes through every door over real HTTP: each acknowledged write is stored.

gunicorn runs several worker processes with threads on one SQLite database; a thread
pool sends writes through the native API, Customer.io and HelpCrunch, with
Content-Length and chunked bodies (JSON, and forms for Customer.io) mixed, many of them
to the same customers and all at once. Everything is then read back through the native
API. An empty body is refused by every door and changes nothing, however it is framed.
"""

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from tests.live_server import GunicornServer, running_gunicorn, session

CUSTOMERS = 20
DEFINITIONS = 50
WRITES = 200
CIO = "/compat/customerio/api/v1"
HC = "/compat/helpcrunch/v1"
RT = "/compat/retently/api/v2"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def server():
    with running_gunicorn(workers=3, threads=2, account="Concurrency") as live:
        yield live


def door_headers(server: GunicornServer) -> dict[str, dict]:
    basic = base64.b64encode(f"{server.site_id}:{server.key}".encode()).decode()
    return {
        "native": {"X-API-Key": server.key},
        "customerio": {"Authorization": f"Basic {basic}"},
        "retently": {"Authorization": f"api_key={server.key}"},
        "helpcrunch": {"Authorization": f"Bearer {server.key}"},
    }


@dataclass(frozen=True)
class Write:
    index: int
    door: str
    method: str
    path: str
    content_type: str
    body: bytes
    chunked: bool
    # What reading back shows: ("property", user_id, key, value) or ("label", key, label).
    expect: tuple


_local = threading.local()


def send(server: GunicornServer, headers: dict, write: Write):
    """Send one write; a chunked body goes out as a generator (Transfer-Encoding: chunked)."""
    http = getattr(_local, "session", None) or session()
    _local.session = http
    body = write.body
    data = iter([body[: len(body) // 2], body[len(body) // 2 :]]) if write.chunked else body
    response = http.request(
        write.method,
        server.url + write.path,
        data=data,
        headers={**headers[write.door], "Content-Type": write.content_type},
        timeout=60,
    )
    return write, response.status_code, response.text


def setup_account(server: GunicornServer, headers: dict) -> dict[str, int]:
    """Create the customers (user_id u<k>, email) and definitions the writes go to."""
    http = session()
    ids = {}
    for k in range(CUSTOMERS):
        response = http.put(
            f"{server.url}{CIO}/customers/u{k}",
            json={"email": f"u{k}@example.com", "seed": k},
            headers=headers["customerio"],
            timeout=10,
        )
        assert response.status_code == 200, response.text
        found = server.native("/api/customers/properties", {"user_id": f"u{k}"})
        ids[f"u{k}"] = found["customer_id"]
    for n in range(DEFINITIONS):
        response = http.post(
            f"{server.url}/api/properties",
            json={"key": f"d{n}", "type": "text", "label": f"Before {n}"},
            headers=headers["native"],
            timeout=10,
        )
        assert response.status_code == 201, response.text
    return ids


def planned_writes(ids: dict[str, int]) -> list[Write]:
    """200 writes: a quarter per kind, every other one chunked, all to shared customers."""
    writes = []
    for i in range(WRITES):
        user = f"u{i % CUSTOMERS}"
        key = f"w{i}"
        chunked = (i // 4) % 2 == 1
        match i % 4:
            case 0:
                body = json.dumps({"user_id": user, "properties": {key: i}}).encode()
                write = Write(
                    i, "native", "PUT", "/api/customers/properties", JSON, body, chunked,
                    ("property", user, key, i),
                )  # fmt: skip
            case 1 if i % 8 == 1:
                body = urlencode({key: i}).encode()
                write = Write(
                    i, "customerio", "PUT", f"{CIO}/customers/{user}", FORM, body, chunked,
                    ("property", user, key, str(i)),
                )  # fmt: skip
            case 1:
                body = json.dumps({key: i}).encode()
                write = Write(
                    i, "customerio", "PUT", f"{CIO}/customers/{user}", JSON, body, chunked,
                    ("property", user, key, i),
                )  # fmt: skip
            case 2:
                body = json.dumps({"customData": {key: i}}).encode()
                write = Write(
                    i, "helpcrunch", "PATCH", f"{HC}/customers/{ids[user]}", JSON, body, chunked,
                    ("property", user, key, i),
                )  # fmt: skip
            case 3:
                definition = f"d{i // 4}"
                body = json.dumps({"label": f"Label {i}"}).encode()
                write = Write(
                    i, "native", "PATCH", f"/api/properties/{definition}", JSON, body, chunked,
                    ("label", definition, f"Label {i}"),
                )  # fmt: skip
        writes.append(write)
    return writes


def test_concurrent_writes_through_every_door_are_all_stored(server):
    headers = door_headers(server)
    ids = setup_account(server, headers)
    writes = planned_writes(ids)
    assert sum(w.chunked for w in writes) == WRITES // 2

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda w: send(server, headers, w), writes))

    refused = [
        (w.index, w.door, w.method, w.path, w.chunked, status, text[:300])
        for w, status, text in results
        if not 200 <= status < 300
    ]
    assert refused == [], server.log()[-5000:]
    stored = {
        user: {
            p["key"]: p["value"]
            for p in server.native("/api/customers/properties", {"user_id": user})["properties"]
        }
        for user in ids
    }
    labels = {d["key"]: d["label"] for d in server.native("/api/properties")["properties"]}
    lost = []
    for write, _, _ in results:
        if write.expect[0] == "property":
            _, user, key, value = write.expect
            if stored[user].get(key) != value:
                lost.append((write.index, write.door, write.chunked, stored[user].get(key)))
        else:
            _, key, label = write.expect
            if labels[key] != label:
                lost.append((write.index, write.door, write.chunked, labels[key]))
    assert lost == [], server.log()[-5000:]
    assert sum(len(values) for values in stored.values()) == CUSTOMERS + WRITES * 3 // 4


def account_state(server: GunicornServer) -> dict:
    return {
        "customers": server.native("/api/customers", {"limit": 200})["customers"],
        "definitions": server.native("/api/properties", {"status": "all"})["properties"],
        "events": server.native("/api/events", {"limit": 200})["events"],
    }


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length-0", "chunked-empty"])
def test_an_empty_body_is_refused_by_every_door_and_changes_nothing(server, chunked):
    headers = door_headers(server)
    http = session()
    response = http.put(
        f"{server.url}{CIO}/customers/empty-body-target",
        json={"email": "empty@example.com", "plan": "pro"},
        headers=headers["customerio"],
        timeout=10,
    )
    assert response.status_code == 200, response.text
    found = server.native("/api/customers", {"user_id": "empty-body-target"})["customers"]
    customer_id = found[0]["customer_id"]
    requests_by_door = [
        ("native", "PUT", "/api/customers/properties"),
        ("customerio", "PUT", f"{CIO}/customers/empty-body-target"),
        ("retently", "POST", f"{RT}/customers"),
        ("helpcrunch", "PUT", f"{HC}/customers/{customer_id}"),
    ]
    before = account_state(server)

    answers = []
    for door, method, path in requests_by_door:
        data = iter([]) if chunked else b""
        response = http.request(
            method,
            server.url + path,
            data=data,
            headers={**headers[door], "Content-Type": JSON},
            timeout=10,
        )
        answers.append((door, response.status_code, response.json()))

    assert [(door, status) for door, status, _ in answers] == [
        ("native", 400),
        ("customerio", 400),
        ("retently", 400),
        ("helpcrunch", 400),
    ]
    native, customerio, retently, helpcrunch = (body for _, _, body in answers)
    assert native["error"]["code"] == "empty_body"
    assert customerio["meta"]["errors"][0].startswith("The request has no body")
    assert (retently["code"], retently["message"][:24]) == (400, "The request has no body:")
    assert helpcrunch["errors"][1]["code"] == "body"
    assert account_state(server) == before
