"""Hostile input at every write endpoint of every door (issue 8's table).

Each row sends one hostile body to one endpoint and checks what a client sees and what
is stored: a 4xx in that door's own error format (never a 5xx, never a 2xx for bad
input) and an account whose customers, definitions, events, tags and audit log read
back through the native API and the selectors exactly as before. The few cases whose
outcome the contract decides per door (an over-long key or value, 2**53 + 1) are given
per endpoint in `Endpoint.rules`. Each endpoint's valid body is also sent as it is and
chunked, and must be stored: a refusal table is only meaningful if the same request,
made well, is accepted.

Row ids read `door-endpoint-case`, so a failure names all three.
"""

import base64
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from customers.api.serializers import customer_json, definition_json
from customers.models import ApiKeyScope, DataIssue
from customers.selectors import (
    audit_entries_page,
    customers_filtered,
    customers_with_values,
    definitions_with_counts,
    tags_of_account,
)
from customers.services import Actor, account_get_or_create, api_key_create
from events.api.serializers import event_json
from events.selectors import events_filtered

EMAIL = "jane@example.com"
KEY, VALUE = "plan_tier", "Gold"
# Placeholders in an endpoint's body template, replaced by raw JSON (or form) text.
KEY_SLOT, VALUE_SLOT = "@@key@@", "@@value@@"
TOO_BIG = 2**53 + 1
SIZE_LIMIT = 256


# --- the doors and their error formats


def native_message(response) -> str:
    body = response.json()
    assert set(body) == {"status", "error"}, body
    assert body["status"] == "error"
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["code"], str)
    assert body["error"]["code"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]["message"]


def customerio_message(response) -> str:
    body = response.json()
    assert set(body) == {"meta"}, body
    assert set(body["meta"]) == {"errors"}, body
    errors = body["meta"]["errors"]
    assert isinstance(errors, list), body
    assert len(errors) == 1, body
    return errors[0]


def retently_message(response) -> str:
    body = response.json()
    assert set(body) == {"message", "code", "data"}, body
    assert body["code"] == response.status_code
    return body["message"]


def helpcrunch_message(response) -> str:
    errors = response.json()["errors"]
    assert errors[0] == {"code": "invalid_request", "message": "Invalid request"}, errors
    assert len(errors) == 2, errors
    assert set(errors[1]) == {"code", "message"}, errors
    assert isinstance(errors[1]["code"], str)
    assert errors[1]["code"]
    return errors[1]["message"]


@dataclass(frozen=True)
class Door:
    name: str
    error_message: Callable[[Any], str]  # asserts the door's error shape, returns the message
    credentials: Callable[["Context", str], dict]  # WSGI environ entries that authenticate


def _basic(ctx, raw_key: str) -> dict:
    token = base64.b64encode(f"{ctx.account.site_id}:{raw_key}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


NATIVE = Door("native", native_message, lambda ctx, key: {"HTTP_X_API_KEY": key})
CUSTOMERIO = Door("customerio", customerio_message, _basic)
RETENTLY = Door(
    "retently", retently_message, lambda ctx, key: {"HTTP_AUTHORIZATION": f"api_key={key}"}
)
HELPCRUNCH = Door(
    "helpcrunch", helpcrunch_message, lambda ctx, key: {"HTTP_AUTHORIZATION": f"Bearer {key}"}
)


# --- the account a row runs against, and how it is read back


@dataclass
class Context:
    account: Any
    native: APIClient  # write-scoped key, for set-ups and read-backs
    raw_key: str
    admin_key: str
    customer_id: int | None = None

    def get(self, path: str, params: dict | None = None) -> dict:
        response = self.native.get(path, params or {})
        assert response.status_code == 200, (path, params, response.content)
        return response.json()

    def send_native(self, method: str, path: str, body=None, key: str | None = None) -> dict:
        data = "" if body is None else json.dumps(body)
        response = self.native.generic(
            method, path, data, content_type="application/json", HTTP_X_API_KEY=key or self.raw_key
        )
        assert response.status_code in (200, 201), (method, path, response.content)
        return response.json()

    def properties(self, **identifier) -> dict:
        body = self.get("/api/customers/properties", identifier)
        return {p["key"]: p["value"] for p in body["properties"]}

    def latest_event_properties(self, **identifier) -> dict:
        events = self.get("/api/events", identifier)["events"]
        assert events, identifier
        return events[0]["properties"]

    def tags_of(self, customer_id: int) -> list[str]:
        return self.get("/api/customers", {"customer_id": customer_id})["customers"][0]["tags"]

    def state(self) -> dict:
        """Return everything the account holds, read by the selectors behind the native API."""
        account = self.account
        customers = customers_with_values(list(customers_filtered(account=account)))
        return {
            "customers": [customer_json(c) for c in customers],
            "definitions": [
                definition_json(d) for d in definitions_with_counts(account=account, status="all")
            ],
            "events": [event_json(e) for e in events_filtered(account=account)],
            "tags": [(t.name, t.color) for t in tags_of_account(account=account)],
            "audit": [(e.action, e.target) for e in audit_entries_page(account=account).entries],
        }


# --- what a row expects for the cases the contract decides per endpoint


@dataclass(frozen=True)
class Refused:
    """A 4xx in the door's format; nothing stored."""


@dataclass(frozen=True)
class Stored:
    """A 2xx, and the value sent reads back under `key` (None: the key sent)."""

    key: str | None = None


@dataclass(frozen=True)
class ExactOrRefused:
    """Either refused, or stored exactly as `value`: never stored with lost digits."""

    value: Any


@dataclass(frozen=True)
class ValueRefused:
    """Retently: the subscriber is saved, the value is refused in the response, not stored."""


@dataclass(frozen=True)
class RecordedAsIssue:
    """Customer.io, HelpCrunch's customData: a 2xx, the value not stored (the key keeps
    `kept`, None: no value), a data issue recorded for its key. `person` None: the
    customer the endpoint's setup made."""

    person: dict | None = field(default_factory=lambda: {"user_id": "cio-user"})
    kept: Any = None


NOT_APPLICABLE = None


# --- the endpoints


@dataclass(frozen=True)
class Endpoint:
    door: Door
    method: str
    path: str  # may name {key} and {customer_id}
    template: Callable[[Context], Any]  # the valid body, with KEY_SLOT / VALUE_SLOT
    check_stored: Callable[[Context, str, Any], None]  # the write of key=value is visible
    setup: Callable[[Context], None] = lambda ctx: None
    key_in_path: bool = False
    value: Any = VALUE  # the valid value
    body_optional: bool = False  # a request without a body is valid (DELETE)
    admin: bool = False
    form: bool = False
    # The write is enqueued when the request's transaction commits (as served requests do).
    commits: bool = False
    rules: dict = field(default_factory=dict)  # case id -> outcome; absent: not applicable

    @property
    def id(self) -> str:
        return f"{self.door.name}-{self.method} {self.path}" + ("-form" if self.form else "")


def make_customer(ctx) -> None:
    body = ctx.send_native(
        "PUT", "/api/customers/properties", {"email": EMAIL, "properties": {KEY: "Silver"}}
    )
    ctx.customer_id = body["customer_id"]


def make_tagged_customer(ctx) -> None:
    make_customer(ctx)
    client = APIClient()
    response = client.put(
        f"/compat/helpcrunch/v1/customers/{ctx.customer_id}/tags",
        json.dumps({"tags": [{"name": "vip"}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ctx.raw_key}",
    )
    assert response.status_code == 200, response.content


def make_definition(ctx) -> None:
    ctx.send_native("POST", "/api/properties", {"key": KEY, "type": "text", "label": "Plan"})


def make_archived_definition(ctx) -> None:
    make_customer(ctx)
    ctx.send_native("POST", f"/api/properties/{KEY}/archive", key=ctx.admin_key)


def stored_on(**identifier):
    def check(ctx, key, value):
        assert ctx.properties(**identifier).get(key) == value

    return check


def stored_on_customer(ctx, key, value):
    assert ctx.properties(customer_id=ctx.customer_id).get(key) == value


def unassigned(ctx, key, value):
    assert key not in ctx.properties(email=EMAIL)


def event_stored_on(**identifier):
    def check(ctx, key, value):
        assert ctx.latest_event_properties(**identifier).get(key) == value

    return check


def native_event_stored(ctx, key, value):
    assert [e["id"] for e in ctx.get("/api/events")["events"]] == ["evt-hostile"]
    assert ctx.properties(user_id="evt-user").get(key) == value


def label_stored(ctx, key, value):
    assert ctx.get(f"/api/properties/{key}")["property"]["label"] == value


def label_changed(ctx, key, value):
    assert ctx.get(f"/api/properties/{KEY}")["property"]["label"] == value


def definition_deleted(ctx, key, value):
    definitions = ctx.get("/api/properties", {"status": "all"})["properties"]
    assert key not in [d["key"] for d in definitions]


def tagged(ctx, key, value):
    assert value in ctx.tags_of(ctx.customer_id)


def untagged(ctx, key, value):
    assert value not in ctx.tags_of(ctx.customer_id)


def nothing_to_store(ctx, key, value):
    """A search is a read: its valid body answers 200 and stores nothing."""


# The key 65 characters long; vendor doors cut a normalized key to 64 (values.normalize_key).
LONG_KEY = "k" * 65
CUT_KEY = "k" * 64
PROPERTY_RULES = {
    "overlong_key": Refused(),
    "overlong_value": Refused(),
    "integer_2_53_plus_1": ExactOrRefused(TOO_BIG),
}
VENDOR_PROPERTY_RULES = PROPERTY_RULES | {"overlong_key": Stored(key=CUT_KEY)}
# Where the key already exists as a text property, a number is stored as its string form.
VENDOR_ON_TEXT_RULES = VENDOR_PROPERTY_RULES | {"integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG))}
# Customer.io is lenient (issue 12): what does not fit is recorded as a data issue, not a 400.
CUSTOMERIO_PROPERTY_RULES = VENDOR_PROPERTY_RULES | {
    "overlong_value": RecordedAsIssue(),
    "integer_2_53_plus_1": RecordedAsIssue(),
}
# HelpCrunch stores any customData value (issue 13): what does not fit is a data issue; the
# customer's earlier value ("Silver", on the customers made beforehand) stays.
HELPCRUNCH_CREATE_RULES = VENDOR_PROPERTY_RULES | {
    "overlong_value": RecordedAsIssue(person={"user_id": "hc-user"}),
    "integer_2_53_plus_1": RecordedAsIssue(person={"user_id": "hc-user"}),
}
HELPCRUNCH_CHANGE_RULES = VENDOR_ON_TEXT_RULES | {
    "overlong_value": RecordedAsIssue(person=None, kept="Silver"),
}
EVENT_DATA_RULES = {
    # Event data is stored as sent, within the body size limit.
    "overlong_key": Stored(),
    "overlong_value": Stored(),
    "integer_2_53_plus_1": ExactOrRefused(TOO_BIG),
}

CIO = "/compat/customerio/api/v1"
RT = "/compat/retently/api/v2"
HC = "/compat/helpcrunch/v1"

ENDPOINTS = [
    Endpoint(
        NATIVE,
        "PUT",
        "/api/customers/properties",
        lambda ctx: {"email": EMAIL, "properties": {KEY_SLOT: VALUE_SLOT}},
        stored_on(email=EMAIL),
        rules=PROPERTY_RULES,
    ),
    Endpoint(
        NATIVE,
        "PATCH",
        "/api/customers/properties/{key}",
        lambda ctx: {"email": EMAIL, "value": VALUE_SLOT},
        stored_on(email=EMAIL),
        key_in_path=True,
        rules=PROPERTY_RULES,
    ),
    Endpoint(
        NATIVE,
        "DELETE",
        "/api/customers/properties/{key}",
        lambda ctx: {"email": EMAIL},
        unassigned,
        setup=make_customer,
        key_in_path=True,
        rules={"overlong_key": Refused()},
    ),
    Endpoint(
        NATIVE,
        "POST",
        "/api/properties",
        lambda ctx: {"key": KEY_SLOT, "type": "text", "label": VALUE_SLOT},
        label_stored,
        rules={
            "overlong_key": Refused(),
            "overlong_value": Refused(),  # a label is at most 200 characters
            "integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG)),
        },
    ),
    Endpoint(
        NATIVE,
        "PATCH",
        "/api/properties/{key}",
        lambda ctx: {"label": VALUE_SLOT, "description": "The plan"},
        label_changed,
        setup=make_definition,
        key_in_path=True,
        rules={
            "overlong_key": Refused(),
            "overlong_value": Refused(),
            "integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG)),
        },
    ),
    Endpoint(
        NATIVE,
        "DELETE",
        "/api/properties/{key}",
        lambda ctx: {},
        definition_deleted,
        setup=make_archived_definition,
        key_in_path=True,
        body_optional=True,
        admin=True,
        commits=True,
        rules={"overlong_key": Refused()},
    ),
    Endpoint(
        NATIVE,
        "POST",
        "/api/events",
        lambda ctx: {
            "id": "evt-hostile",
            "name": "order_shipped",
            "customer": {"external_id": "evt-user", "properties": {KEY_SLOT: VALUE_SLOT}},
            "properties": {"order_id": "A-1"},
        },
        native_event_stored,
        rules=VENDOR_PROPERTY_RULES,
    ),
    Endpoint(
        CUSTOMERIO,
        "PUT",
        f"{CIO}/customers/cio-user",
        lambda ctx: {"email": EMAIL, KEY_SLOT: VALUE_SLOT},
        stored_on(user_id="cio-user"),
        rules=CUSTOMERIO_PROPERTY_RULES,
    ),
    Endpoint(
        CUSTOMERIO,
        "POST",
        f"{CIO}/customers/cio-user/events",
        lambda ctx: {"name": "purchased", "data": {KEY_SLOT: VALUE_SLOT}},
        event_stored_on(user_id="cio-user"),
        rules=EVENT_DATA_RULES,
    ),
    Endpoint(
        CUSTOMERIO,
        "POST",
        f"{CIO}/events",
        lambda ctx: {"name": "purchased", "anonymous_id": "anon-1", "data": {KEY_SLOT: VALUE_SLOT}},
        event_stored_on(visitor_id="anon-1"),
        rules=EVENT_DATA_RULES,
    ),
    Endpoint(
        RETENTLY,
        "POST",
        f"{RT}/customers",
        lambda ctx: {
            "subscribers": [
                {"email": EMAIL, "properties": [{"label": KEY_SLOT, "value": VALUE_SLOT}]}
            ]
        },
        stored_on(email=EMAIL),
        rules={
            "overlong_key": Stored(key=CUT_KEY),
            "overlong_value": ValueRefused(),
            # No type and no definition: a string property (seed 001).
            "integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG)),
        },
    ),
    Endpoint(
        RETENTLY,
        "POST",
        f"{RT}/survey",
        lambda ctx: {
            "subscribers": [
                {"email": EMAIL, "properties": [{"label": KEY_SLOT, "value": VALUE_SLOT}]}
            ],
            "campaign": "c-1",
        },
        stored_on(email=EMAIL),
        rules={
            "overlong_key": Stored(key=CUT_KEY),
            "overlong_value": ValueRefused(),
            "integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG)),
        },
    ),
    Endpoint(
        HELPCRUNCH,
        "POST",
        f"{HC}/customers",
        lambda ctx: {"userId": "hc-user", "email": EMAIL, "customData": {KEY_SLOT: VALUE_SLOT}},
        stored_on(user_id="hc-user"),
        rules=HELPCRUNCH_CREATE_RULES,
    ),
    Endpoint(
        HELPCRUNCH,
        "PUT",
        f"{HC}/customers/{{customer_id}}",
        lambda ctx: {"name": "Jane Doe", "customData": {KEY_SLOT: VALUE_SLOT}},
        stored_on_customer,
        setup=make_customer,
        rules=HELPCRUNCH_CHANGE_RULES,
    ),
    Endpoint(
        HELPCRUNCH,
        "PATCH",
        f"{HC}/customers/{{customer_id}}",
        lambda ctx: {"name": "Jane Doe", "customData": {KEY_SLOT: VALUE_SLOT}},
        stored_on_customer,
        setup=make_customer,
        rules=HELPCRUNCH_CHANGE_RULES,
    ),
    Endpoint(
        HELPCRUNCH,
        "PUT",
        f"{HC}/customers/batch",
        lambda ctx: [{"id": ctx.customer_id, "customData": {KEY_SLOT: VALUE_SLOT}}],
        stored_on_customer,
        setup=make_customer,
        rules=HELPCRUNCH_CHANGE_RULES,
    ),
    Endpoint(
        HELPCRUNCH,
        "POST",
        f"{HC}/customers/search",
        lambda ctx: {
            "filter": [{"field": "customers.email", "operator": "=", "value": VALUE_SLOT}],
            "limit": 5,
        },
        nothing_to_store,
        setup=make_customer,
    ),
    Endpoint(
        HELPCRUNCH,
        "PUT",
        f"{HC}/customers/{{customer_id}}/tags",
        lambda ctx: {"tags": [{"name": VALUE_SLOT, "color": "#ff0000"}]},
        tagged,
        setup=make_customer,
        value="vip",
        rules={"overlong_value": Refused(), "integer_2_53_plus_1": ExactOrRefused(str(TOO_BIG))},
    ),
    Endpoint(
        HELPCRUNCH,
        "DELETE",
        f"{HC}/customers/{{customer_id}}/tags",
        lambda ctx: {"tags": [{"name": VALUE_SLOT}]},
        untagged,
        setup=make_tagged_customer,
        value="vip",
        rules={"overlong_value": Refused(), "integer_2_53_plus_1": Refused()},
    ),
]

FORM_ENDPOINTS = [
    Endpoint(
        CUSTOMERIO,
        "PUT",
        f"{CIO}/customers/cio-user",
        lambda ctx: {"email": EMAIL, KEY_SLOT: VALUE_SLOT},
        stored_on(user_id="cio-user"),
        form=True,
        rules={"overlong_key": Stored(key=CUT_KEY), "overlong_value": RecordedAsIssue()},
    ),
    Endpoint(
        CUSTOMERIO,
        "POST",
        f"{CIO}/customers/cio-user/events",
        lambda ctx: {"name": "purchased", f"data[{KEY_SLOT}]": VALUE_SLOT},
        event_stored_on(user_id="cio-user"),
        form=True,
        rules={"overlong_key": Stored(), "overlong_value": Stored()},
    ),
]


# --- building a request


@dataclass
class Request:
    body: bytes | None  # None: no body at all
    content_type: str | None = "application/json"
    environ: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    path_key: str = KEY


def json_text(value) -> bytes:
    return json.dumps(value).encode()


def render(endpoint: Endpoint, ctx, key: bytes = b'"plan_tier"', value: bytes | None = None):
    """Return the endpoint's valid body as JSON bytes, with raw JSON for the key and value."""
    text = json.dumps(endpoint.template(ctx)).encode()
    value = json_text(endpoint.value) if value is None else value
    return text.replace(json_text(KEY_SLOT), key).replace(json_text(VALUE_SLOT), value)


def has_slot(endpoint, ctx, slot: str) -> bool:
    return slot in json.dumps(endpoint.template(ctx))


def inject_member(body: bytes, member: bytes) -> bytes:
    """Add `"name": value` as the first member of the body's first object."""
    at = body.index(b"{") + 1
    separator = b"" if body[at:].lstrip().startswith(b"}") else b", "
    return body[:at] + member + separator + body[at:]


def with_key(endpoint, ctx, raw_key: bytes) -> bytes:
    """The valid body with a hostile key: in the key's place, else as an extra member."""
    if has_slot(endpoint, ctx, KEY_SLOT):
        return render(endpoint, ctx, key=raw_key)
    return inject_member(render(endpoint, ctx), raw_key + b": 1")


def with_value(endpoint, ctx, raw_value: bytes) -> bytes:
    """The valid body with a hostile value: in the value's place, else as an extra member."""
    if has_slot(endpoint, ctx, VALUE_SLOT):
        return render(endpoint, ctx, value=raw_value)
    return inject_member(render(endpoint, ctx), b'"hostile": ' + raw_value)


def first_object(template):
    return template[0] if isinstance(template, list) else template


def duplicated_member(endpoint, ctx) -> bytes:
    """The valid body with its first member sent twice (the second with another value)."""
    obj = first_object(endpoint.template(ctx))
    if not obj:
        return inject_member(render(endpoint, ctx), b'"dup": 1, "dup": 2')
    name, value = next(iter(obj.items()))
    twin = json.dumps({name: "duplicate" if isinstance(value, str) else value})[1:-1]
    body = inject_member(json.dumps(endpoint.template(ctx)).encode(), twin.encode())
    return body.replace(json_text(KEY_SLOT), json_text(KEY)).replace(
        json_text(VALUE_SLOT), json_text(endpoint.value)
    )


def chunked(body: bytes, terminated: bool = True) -> dict:
    """What gunicorn hands Django for a chunked body: no Content-Length, de-chunked input."""
    return {
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": terminated,
    }


def long_text() -> str:
    return "x" * (settings.CONTACTS_MAX_TEXT_LENGTH + 1)


# --- the cases: (id, builder, expected status or None for "any 4xx", reason in the message)


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Endpoint, Context], Request]
    status: int | None = 400
    reason: str | None = None  # a fragment of the error message (the refusal's real cause)
    rule: bool = False  # decided per endpoint by Endpoint.rules
    accepted: bool = False  # the valid request, which must be stored
    needs_body: bool = False  # not applicable where a request may have no body


def valid(endpoint, ctx) -> Request:
    return Request(render(endpoint, ctx))


JSON_CASES = [
    Case("valid", valid, status=None, accepted=True),
    Case(
        "chunked",
        lambda e, c: Request(b"", environ=chunked(render(e, c))),
        status=None,
        accepted=True,
    ),
    Case(
        "chunked_without_input_terminated",
        lambda e, c: Request(b"", environ=chunked(render(e, c), terminated=False)),
        status=411,
        reason="Content-Length",
    ),
    Case(
        "chunked_over_size_limit",
        lambda e, c: Request(
            b"",
            environ=chunked(with_value(e, c, json_text("x" * SIZE_LIMIT))),
            settings={"CONTACTS_MAX_BODY_BYTES": SIZE_LIMIT},
        ),
        status=413,
        reason=str(SIZE_LIMIT),
    ),
    Case(
        "over_size_limit",
        lambda e, c: Request(
            with_value(e, c, json_text("x" * SIZE_LIMIT)),
            settings={"CONTACTS_MAX_BODY_BYTES": SIZE_LIMIT},
        ),
        status=413,
        reason=str(SIZE_LIMIT),
    ),
    # Without its closing brace: invalid whatever the body (even "{}").
    Case("invalid_json", lambda e, c: Request(render(e, c)[:-1]), reason="Malformed JSON"),
    Case("array", lambda e, c: Request(b"[" + render(e, c) + b"]")),
    Case("string", lambda e, c: Request(json_text(render(e, c).decode()))),
    Case("number", lambda e, c: Request(b"42")),
    Case("null", lambda e, c: Request(b"null"), needs_body=True),
    Case(
        "empty_body",
        lambda e, c: Request(
            b"", environ={"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "0"}
        ),
        needs_body=True,
    ),
    Case("whitespace_body", lambda e, c: Request(b" \r\n\t "), needs_body=True),
    Case("missing_body", lambda e, c: Request(None, content_type=None), needs_body=True),
    Case(
        "nesting_100_levels",
        lambda e, c: Request(with_value(e, c, b"[" * 100 + b"]" * 100)),
        reason="nested more than",
    ),
    Case(
        "integer_5000_digits",
        lambda e, c: Request(with_value(e, c, b"9" * 5000)),
        reason="Malformed JSON",
    ),
    Case("nan", lambda e, c: Request(with_value(e, c, b"NaN")), reason="NaN"),
    Case("infinity", lambda e, c: Request(with_value(e, c, b"Infinity")), reason="Infinity"),
    Case("minus_infinity", lambda e, c: Request(with_value(e, c, b"-Infinity")), reason="Infinity"),
    Case("1e400", lambda e, c: Request(with_value(e, c, b"1e400")), reason="out of range"),
    Case(
        "nul_in_value",
        lambda e, c: Request(with_value(e, c, json_text("Go\x00ld"))),
        reason="NUL",
    ),
    Case(
        "nul_in_key",
        lambda e, c: Request(with_key(e, c, json_text("plan\x00tier"))),
        reason="NUL",
    ),
    Case(
        "lone_surrogate_in_value",
        lambda e, c: Request(with_value(e, c, b'"Go\\ud800ld"')),
        reason="surrogate",
    ),
    Case(
        "lone_surrogate_in_key",
        lambda e, c: Request(with_key(e, c, b'"plan\\udc00tier"')),
        reason="surrogate",
    ),
    Case(
        "invalid_utf8",
        lambda e, c: Request(with_value(e, c, b'"Go\xffld"')),
        reason="UTF-8",
    ),
    Case(
        "json_as_text_plain",
        lambda e, c: Request(render(e, c), content_type="text/plain"),
        status=415,
    ),
    Case(
        "json_as_form",
        lambda e, c: Request(render(e, c), content_type="application/x-www-form-urlencoded"),
        status=None,
    ),
    Case("duplicate_keys", lambda e, c: Request(duplicated_member(e, c)), reason="twice"),
    Case(
        "overlong_key",
        lambda e, c: (
            Request(render(e, c), path_key=LONG_KEY)
            if e.key_in_path
            else Request(with_key(e, c, json_text(LONG_KEY)))
        ),
        status=None,
        rule=True,
    ),
    Case(
        "overlong_value",
        lambda e, c: Request(with_value(e, c, json_text(long_text()))),
        status=None,
        rule=True,
    ),
    Case(
        "integer_2_53_plus_1",
        lambda e, c: Request(with_value(e, c, str(TOO_BIG).encode())),
        status=None,
        rule=True,
    ),
]


FORM = "application/x-www-form-urlencoded"


def form_body(endpoint, ctx, key: str = KEY, value: str | None = None) -> bytes:
    value = endpoint.value if value is None else value
    fields = {
        name.replace(KEY_SLOT, key): value if item == VALUE_SLOT else item
        for name, item in endpoint.template(ctx).items()
    }
    return urlencode(fields).encode()


def raw_form(endpoint, ctx, key: bytes = b"plan_tier", value: bytes = b"Gold") -> bytes:
    """The valid form with a key and value already percent-encoded (or raw bytes)."""
    marker_key, marker_value = "KEYMARK", "VALUEMARK"
    body = form_body(endpoint, ctx, key=marker_key, value=marker_value)
    return body.replace(marker_key.encode(), key).replace(marker_value.encode(), value)


FORM_CASES = [
    Case("valid", lambda e, c: Request(form_body(e, c), FORM), status=None, accepted=True),
    Case(
        "chunked",
        lambda e, c: Request(b"", FORM, environ=chunked(form_body(e, c))),
        status=None,
        accepted=True,
    ),
    Case(
        "chunked_without_input_terminated",
        lambda e, c: Request(b"", FORM, environ=chunked(form_body(e, c), terminated=False)),
        status=411,
        reason="Content-Length",
    ),
    Case(
        "over_size_limit",
        lambda e, c: Request(
            form_body(e, c, value="x" * SIZE_LIMIT),
            FORM,
            settings={"CONTACTS_MAX_BODY_BYTES": SIZE_LIMIT},
        ),
        status=413,
        reason=str(SIZE_LIMIT),
    ),
    Case(
        "empty_body",
        lambda e, c: Request(b"", environ={"CONTENT_TYPE": FORM, "CONTENT_LENGTH": "0"}),
    ),
    Case("whitespace_body", lambda e, c: Request(b"  \r\n", FORM)),
    Case(
        "nul_in_value", lambda e, c: Request(raw_form(e, c, value=b"Go%00ld"), FORM), reason="NUL"
    ),
    Case(
        "nul_in_key", lambda e, c: Request(raw_form(e, c, key=b"plan%00tier"), FORM), reason="NUL"
    ),
    Case(
        "invalid_utf8",
        lambda e, c: Request(raw_form(e, c, value=b"Go\xffld"), FORM),
        reason="UTF-8",
    ),
    Case(
        "percent_encoded_invalid_utf8",
        lambda e, c: Request(raw_form(e, c, value=b"Go%FFld"), FORM),
        reason="UTF-8",
    ),
    Case(
        "percent_encoded_lone_surrogate",
        lambda e, c: Request(raw_form(e, c, value=b"Go%ED%A0%80ld"), FORM),
        reason="UTF-8",
    ),
    Case(
        "over_1000_fields",
        lambda e, c: Request(form_body(e, c) + b"&" + b"&".join([b"f=1"] * 1000), FORM),
        reason="1000",
    ),
    Case(
        "overlong_key",
        lambda e, c: Request(form_body(e, c, key=LONG_KEY), FORM),
        status=None,
        rule=True,
    ),
    Case(
        "overlong_value",
        lambda e, c: Request(form_body(e, c, value=long_text()), FORM),
        status=None,
        rule=True,
    ),
]


def rows():
    for endpoints, cases in ((ENDPOINTS, JSON_CASES), (FORM_ENDPOINTS, FORM_CASES)):
        for endpoint in endpoints:
            for case in cases:
                if case.rule and endpoint.rules.get(case.id) is NOT_APPLICABLE:
                    continue
                if case.needs_body and endpoint.body_optional:
                    continue
                marks = pytest.mark.django_db(transaction=True) if endpoint.commits else ()
                yield pytest.param(endpoint, case, id=f"{endpoint.id}-{case.id}", marks=marks)


# --- the table


@pytest.fixture
def ctx(db):
    account = account_get_or_create(name="Hostile")[0]
    write_key = api_key_create(account=account, scope=ApiKeyScope.WRITE, actor=Actor(system="t"))
    admin_key = api_key_create(account=account, scope=ApiKeyScope.ADMIN, actor=Actor(system="t"))
    native = APIClient(HTTP_X_API_KEY=write_key[1])
    return Context(account=account, native=native, raw_key=write_key[1], admin_key=admin_key[1])


def send(endpoint: Endpoint, ctx: Context, request: Request):
    path = endpoint.path.format(key=request.path_key, customer_id=ctx.customer_id)
    key = ctx.admin_key if endpoint.admin else ctx.raw_key
    environ = endpoint.door.credentials(ctx, key)
    if request.content_type is not None:
        # The test client sets no Content-Type for an empty body (a chunked one is empty here).
        environ["CONTENT_TYPE"] = request.content_type
    environ |= request.environ
    body, content_type = request.body or b"", environ.get("CONTENT_TYPE", "")
    with override_settings(**request.settings):
        return APIClient().generic(endpoint.method, path, body, content_type, **environ)


def expected_outcome(endpoint: Endpoint, case: Case):
    if case.accepted:
        return Stored()
    if case.rule:
        return endpoint.rules[case.id]
    return Refused()


def sent_value(case: Case, endpoint: Endpoint):
    return {
        "overlong_value": long_text(),
        "integer_2_53_plus_1": TOO_BIG,
    }.get(case.id, endpoint.value)


@pytest.mark.parametrize(("endpoint", "case"), list(rows()))
def test_hostile_input_is_refused_in_the_doors_format_and_stores_nothing(ctx, endpoint, case):
    endpoint.setup(ctx)
    request = case.build(endpoint, ctx)
    before = ctx.state()

    response = send(endpoint, ctx, request)

    assert response.status_code < 500, response.content
    outcome = expected_outcome(endpoint, case)
    key = LONG_KEY if case.id == "overlong_key" else KEY
    accepted = 200 <= response.status_code < 300
    if isinstance(outcome, ExactOrRefused) and accepted:
        endpoint.check_stored(ctx, key, outcome.value)
        return
    if isinstance(outcome, Stored):
        assert accepted, response.content
        endpoint.check_stored(ctx, outcome.key or key, sent_value(case, endpoint))
        return
    if isinstance(outcome, RecordedAsIssue):
        assert accepted, response.content
        person = outcome.person or {"customer_id": ctx.customer_id}
        assert ctx.properties(**person).get(key) == outcome.kept
        assert DataIssue.objects.filter(key=key, account=ctx.account).exists()
        return
    if isinstance(outcome, ValueRefused):
        assert response.status_code == 200, response.content
        outcome_of_subscriber = response.json()["data"][EMAIL]
        assert [r["name"] for r in outcome_of_subscriber["refused"]] == [key]
        assert key not in ctx.properties(email=EMAIL)
        return
    assert 400 <= response.status_code < 500, response.content
    if case.status is not None:
        assert response.status_code == case.status, response.content
    message = endpoint.door.error_message(response)
    assert message
    if case.reason is not None:
        assert case.reason in message, message
    assert ctx.state() == before
