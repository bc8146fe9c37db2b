"""The benchmark's scenarios and the requests they send, built in Python.

Each scenario's Lua script in `bench/lua/` builds the same request for the same sequence
number; before measuring, the driver has wrk write its first request and compares it with
the one built here, so the requests checked here, in the tests and under `--profile` are
the ones wrk sends.

Request `seq` of a scenario is deterministic: it names its customer, its keys and its
values. Writes change values on every request (a value is the sequence number), so no
write is a no-op.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

# attr_00..attr_29: every seeded customer has a value for each (even: integer, odd: text).
SEEDED_KEYS = 30
# extra_000..extra_599: defined, but no seeded customer has a value; the PUT scenarios'
# "new" keys. Defined up front, as in a live account, so that a PUT inserts values without
# creating definitions (and the account stays under CONTACTS_MAX_DEFINITIONS).
EXTRA_KEYS = 600
PLANS = ("free", "starter", "pro", "enterprise")
# The PUT scenarios each write to their own quarter of the customers, so that one
# scenario's new keys are still new to the customers of the next.
WRITE_SLICES = 4
RETENTLY_SUBSCRIBERS = 10
IDENTIFY_ATTRIBUTES = 3


def email(n: int) -> str:
    return f"c{n}@bench.example.com"


def user_id(n: int) -> str:
    return f"u{n}"


def seeded_key(index: int) -> str:
    return f"attr_{index:02d}"


def extra_key(index: int) -> str:
    return f"extra_{index:03d}"


def value(index: int, seq: int) -> int | str:
    """Return the value request `seq` writes to key `index`: integers on even keys."""
    return seq if index % 2 == 0 else f"v{seq}"


@dataclass(frozen=True)
class BenchData:
    """What the seed made: the account's key and site id, and customers first_id.. in order."""

    key: str
    site_id: str
    customers: int
    first_id: int

    @property
    def slice_size(self) -> int:
        return self.customers // WRITE_SLICES

    def script_args(self) -> dict[str, str]:
        """Return the arguments every Lua script reads (`-- name=value ...`)."""
        basic = base64.b64encode(f"{self.site_id}:{self.key}".encode()).decode()
        return {
            "key": self.key,
            "basic": basic,
            "customers": str(self.customers),
            "first_id": str(self.first_id),
        }


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: object = None

    def content(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body).encode()


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    script: str
    build: Callable[[BenchData, int], Request]
    # Scenario-specific arguments of the Lua script, beside BenchData.script_args().
    options: dict[str, str] = field(default_factory=dict)
    # New keys a request adds to its customer; 0 for scenarios that add none.
    new_keys_per_visit: int = 0
    # Check a 2xx body too: some doors answer 200 while refusing part of the input.
    refusal: Callable[[object], str | None] = lambda body: None

    def capacity(self, data: BenchData) -> int | None:
        """Return how many requests run before a customer's "new" keys repeat, if any."""
        if not self.new_keys_per_visit:
            return None
        return data.slice_size * (EXTRA_KEYS // self.new_keys_per_visit)


def _native(data: BenchData, json_body: bool = True) -> dict[str, str]:
    headers = {"X-API-Key": data.key}
    if json_body:
        headers["Content-Type"] = "application/json"
    return headers


def healthz(data: BenchData, seq: int) -> Request:
    return Request("GET", "/healthz")


def get_properties(data: BenchData, seq: int) -> Request:
    n = seq % data.customers
    path = f"/api/customers/properties?email={email(n)}"
    return Request("GET", path, _native(data, json_body=False))


def put_properties(keys: int, slice_: int) -> Callable[[BenchData, int], Request]:
    """Build PUTs of `keys` keys: half the customer has (updates), half it lacks (inserts).

    A one-key PUT alternates: even requests update, odd ones insert. A customer's new keys
    at its v-th visit follow those of its earlier visits, so they are new to it.
    """
    fresh = _new_keys_per_visit(keys)

    def build(data: BenchData, seq: int) -> Request:
        size = data.slice_size
        n = slice_ * size + seq % size
        visit = seq // size
        existing = (1 - seq % 2) if keys == 1 else keys // 2
        properties: dict[str, object] = {}
        for j in range(existing):
            index = (seq + j) % SEEDED_KEYS
            properties[seeded_key(index)] = value(index, seq)
        for j in range(keys - existing):
            index = (visit * fresh + j) % EXTRA_KEYS
            properties[extra_key(index)] = value(index, seq)
        body = {"email": email(n), "properties": properties}
        return Request("PUT", "/api/customers/properties", _native(data), body)

    return build


def _new_keys_per_visit(keys: int) -> int:
    return 1 if keys == 1 else keys - keys // 2


def patch_property(data: BenchData, seq: int) -> Request:
    n = seq % data.customers
    index = seq % SEEDED_KEYS
    body = {"email": email(n), "value": value(index, seq)}
    return Request("PATCH", f"/api/customers/properties/{seeded_key(index)}", _native(data), body)


def post_event(data: BenchData, seq: int) -> Request:
    n = seq % data.customers
    body = {
        "name": "order_shipped",
        "customer": {"external_id": user_id(n)},
        "properties": {"order_id": f"A-{seq}", "total": 99.5},
    }
    return Request("POST", "/api/events", _native(data), body)


def customerio_identify(data: BenchData, seq: int) -> Request:
    n = seq % data.customers
    body: dict[str, object] = {"email": email(n)}
    for index in range(IDENTIFY_ATTRIBUTES):
        body[seeded_key(index)] = value(index, seq)
    headers = {
        "Authorization": "Basic " + data.script_args()["basic"],
        "Content-Type": "application/json",
    }
    return Request("PUT", f"/compat/customerio/api/v1/customers/{user_id(n)}", headers, body)


def retently_customers(data: BenchData, seq: int) -> Request:
    # Labels as a Retently client sends them; "Attr 03" is the key attr_03.
    subscribers = [
        {
            "email": email((seq * RETENTLY_SUBSCRIBERS + j) % data.customers),
            "first_name": "Bench",
            "properties": [
                {"label": "Attr 03", "value": value(3, seq)},
                {"label": "Attr 04", "value": value(4, seq)},
            ],
        }
        for j in range(RETENTLY_SUBSCRIBERS)
    ]
    headers = {"Authorization": f"api_key={data.key}", "Content-Type": "application/json"}
    return Request(
        "POST", "/compat/retently/api/v2/customers", headers, {"subscribers": subscribers}
    )


def retently_refusal(body: object) -> str | None:
    """Return what Retently's 200 says was refused, if anything."""
    saved = body.get("data") if isinstance(body, dict) else None
    if not isinstance(saved, dict):
        return f"no per-subscriber data in {body!r:.200}"
    for address, outcome in saved.items():
        if outcome.get("status") != "saved" or outcome.get("refused"):
            return f"{address}: {outcome!r:.300}"
    return None


def helpcrunch_patch(data: BenchData, seq: int) -> Request:
    n = seq % data.customers
    body = {"name": f"Bench {seq}", "customData": {seeded_key(5): value(5, seq)}}
    headers = {"Authorization": f"Bearer {data.key}", "Content-Type": "application/json"}
    return Request("PATCH", f"/compat/helpcrunch/v1/customers/{data.first_id + n}", headers, body)


def list_customers(data: BenchData, seq: int) -> Request:
    path = f"/api/customers?plan_tier={PLANS[seq % len(PLANS)]}"
    return Request("GET", path, _native(data, json_body=False))


def _put(keys: int, slice_: int) -> Scenario:
    return Scenario(
        name=f"put_{keys}",
        label=f"PUT {keys} key{'s' if keys > 1 else ''}",
        script="put_properties.lua",
        build=put_properties(keys, slice_),
        options={"keys": str(keys), "slice": str(slice_)},
        new_keys_per_visit=_new_keys_per_visit(keys),
    )


SCENARIOS = [
    Scenario("healthz", "GET /healthz", "healthz.lua", healthz),
    Scenario("get_properties", "GET properties", "get_properties.lua", get_properties),
    _put(1, 0),
    _put(10, 1),
    _put(50, 2),
    Scenario("patch_1", "PATCH 1 key", "patch_property.lua", patch_property),
    Scenario("post_event", "POST /api/events", "post_event.lua", post_event),
    Scenario(
        "customerio_identify",
        "Customer.io identify",
        "customerio_identify.lua",
        customerio_identify,
    ),
    Scenario(
        "retently_customers",
        f"Retently {RETENTLY_SUBSCRIBERS} subscribers",
        "retently_customers.lua",
        retently_customers,
        refusal=retently_refusal,
    ),
    Scenario("helpcrunch_patch", "HelpCrunch PATCH", "helpcrunch_patch.lua", helpcrunch_patch),
    Scenario("list_customers", "GET customers by 1 property", "list_customers.lua", list_customers),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
