"""Generate a client with openapi-python-client from the served /api/schema/ and drive the API.

The generated package is what a team gets from our schema: every call below must parse
into its typed attrs model, success and error alike, or the schema is too thin.
"""

import importlib
import subprocess
import sys
import uuid

import attrs
import httpx
import pytest

from customers.models import ApiKeyScope, Customer, PropertyDefinition, PropertyValue
from customers.services import Actor, api_key_create
from events.models import Event

PACKAGE = "contact_attributes_client"


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory):
    """Return the client package generated from the live server's schema."""
    workdir = tmp_path_factory.mktemp("openapi_client")
    schema = httpx.get(f"{live_server.url}/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    (workdir / "schema.json").write_bytes(schema.content)
    (workdir / "config.yml").write_text(
        f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\npost_hooks: []\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(workdir / "schema.json"),
            "--config",
            str(workdir / "config.yml"),
            "--meta",
            "none",
            "--output-path",
            str(workdir / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A warning means part of the schema could not be turned into code.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(workdir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workdir))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(package, tag: str, name: str):
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def model(package, name: str):
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


@pytest.fixture
def client(generated, live_server, account):
    _, raw_key = api_key_create(account=account, scope=ApiKeyScope.ADMIN, actor=Actor(system="t"))
    # Closing the client closes its kept-alive connections, and so the server threads'
    # database connections, before the test database is dropped.
    with client_for(generated, live_server, raw_key) as client:
        yield client


def client_for(generated, live_server, raw_key: str):
    return generated.AuthenticatedClient(
        base_url=live_server.url,
        token=raw_key,
        prefix="",
        auth_header_name="X-API-Key",
        raise_on_unexpected_status=True,
    )


def assert_typed(parsed, model_class):
    assert attrs.has(type(parsed)), f"untyped response: {parsed!r}"
    assert isinstance(parsed, model_class), f"{type(parsed).__name__} is not {model_class}"


def test_generated_client_writes_reads_and_unassigns_customer_properties(
    generated, client, account
):
    PropertiesUpdateRequest = model(generated, "PropertiesUpdateRequest")
    PropertiesUpdateRequestProperties = model(generated, "PropertiesUpdateRequestProperties")
    PropertySetRequest = model(generated, "PropertySetRequest")
    TypeEnum = model(generated, "TypeEnum")
    properties = PropertiesUpdateRequestProperties.from_dict(
        {"company_name": "Acme Inc", "plan_tier": "enterprise", "seats": 12}
    )

    put = operation(generated, "customers", "customer_properties_update").sync_detailed(
        client=client, body=PropertiesUpdateRequest(user_id="usr_789", properties=properties)
    )

    assert put.status_code == 200
    assert_typed(put.parsed, model(generated, "PropertiesUpdatedResponse"))
    assert put.parsed.status.value == "updated"
    written = {p.key: p for p in put.parsed.properties}
    assert_typed(written["seats"], model(generated, "WrittenProperty"))
    assert written["seats"].value == 12
    assert written["seats"].type_ is TypeEnum.NUMBER
    customer = Customer.objects.get(account=account, user_id="usr_789")
    assert put.parsed.customer_uuid == customer.uuid

    got = operation(generated, "customers", "customer_properties_list").sync_detailed(
        client=client, customer_uuid=customer.uuid
    )

    assert got.status_code == 200
    assert_typed(got.parsed, model(generated, "CustomerPropertiesResponse"))
    assert got.parsed.customer_id == customer.pk
    stored = {p.key: (p.value, p.type_) for p in got.parsed.properties}
    assert stored["company_name"] == ("Acme Inc", TypeEnum.TEXT)
    assert stored["seats"] == (12, TypeEnum.NUMBER)

    patched = operation(generated, "customers", "customer_property_set").sync_detailed(
        "plan_tier",
        client=client,
        body=PropertySetRequest(customer_id=customer.pk, value="growth", type_=TypeEnum.TEXT),
    )

    assert patched.status_code == 200
    assert_typed(patched.parsed, model(generated, "PropertySetResponse"))
    assert_typed(patched.parsed.property_, model(generated, "SetProperty"))
    assert (patched.parsed.property_.key, patched.parsed.property_.value) == ("plan_tier", "growth")

    deleted = operation(generated, "customers", "customer_property_unassign").sync_detailed(
        "company_name", client=client, customer_uuid=customer.uuid
    )

    assert deleted.status_code == 200
    assert_typed(deleted.parsed, model(generated, "PropertyUnassignedResponse"))
    assert (deleted.parsed.customer_id, deleted.parsed.key) == (customer.pk, "company_name")
    values = PropertyValue.objects.filter(customer=customer)
    assert sorted(values.values_list("definition__key", flat=True)) == ["plan_tier", "seats"]
    assert values.get(definition__key="plan_tier").value_text == "growth"


def test_generated_client_creates_and_lists_definitions(generated, client, account):
    DefinitionCreateRequest = model(generated, "DefinitionCreateRequest")
    TypeEnum = model(generated, "TypeEnum")

    created = operation(generated, "properties", "properties_create").sync_detailed(
        client=client,
        body=DefinitionCreateRequest(key="trial_ends", type_=TypeEnum.DATE, label="Trial ends"),
    )

    assert created.status_code == 201
    assert_typed(created.parsed, model(generated, "DefinitionCreatedResponse"))
    assert_typed(created.parsed.property_, model(generated, "CountedPropertyDefinition"))
    assert created.parsed.property_.customer_count == 0
    assert created.parsed.property_.archived_at is None

    listed = operation(generated, "properties", "properties_list").sync_detailed(client=client)

    assert listed.status_code == 200
    assert_typed(listed.parsed, model(generated, "DefinitionListResponse"))
    [definition] = listed.parsed.properties
    assert (definition.key, definition.type_, definition.label) == (
        "trial_ends",
        TypeEnum.DATE,
        "Trial ends",
    )
    stored = PropertyDefinition.objects.get(account=account, key="trial_ends")
    assert (stored.type, stored.label) == ("date", "Trial ends")


def test_generated_client_records_replaces_and_lists_events(generated, client, account):
    EventCreateRequest = model(generated, "EventCreateRequest")
    EventCustomer = model(generated, "EventCustomer")
    event_id = str(uuid.uuid4())

    def post(name: str):
        body = EventCreateRequest(
            id=event_id,
            name=name,
            source="shopify",
            timestamp="2026-06-01T12:00:00Z",
            customer=EventCustomer(external_id="usr_789", email="jane@example.com"),
        )
        return operation(generated, "events", "events_create").sync_detailed(
            client=client, body=body
        )

    created = post("order_placed")
    replaced = post("order_shipped")

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert_typed(replaced.parsed, model(generated, "EventCreatedResponse"))
    assert_typed(replaced.parsed.event, model(generated, "StoredEvent"))
    assert (created.parsed.status.value, replaced.parsed.status.value) == ("created", "replaced")
    assert replaced.parsed.event.timestamp.isoformat() == "2026-06-01T12:00:00+00:00"

    listed = operation(generated, "events", "events_list").sync_detailed(
        client=client, user_id="usr_789"
    )

    assert listed.status_code == 200
    assert_typed(listed.parsed, model(generated, "EventListResponse"))
    [event] = listed.parsed.events
    assert (event.id, event.name, event.source) == (event_id, "order_shipped", "shopify")
    stored = Event.objects.get(account=account, event_id=event_id)
    assert (stored.name, stored.customer.user_id) == ("order_shipped", "usr_789")


def test_generated_client_reads_errors_as_typed_models(generated, client, account):
    ErrorResponse = model(generated, "ErrorResponse")
    ErrorDetail = model(generated, "ErrorDetail")
    PropertySetRequest = model(generated, "PropertySetRequest")
    unknown = uuid.uuid4()

    not_found = operation(generated, "customers", "customer_properties_list").sync_detailed(
        client=client, customer_uuid=unknown
    )
    no_identifier = operation(generated, "customers", "customer_property_set").sync_detailed(
        "company_name", client=client, body=PropertySetRequest(value="Acme Inc")
    )
    no_definition = operation(generated, "properties", "properties_read").sync_detailed(
        "company_name", client=client
    )

    assert (not_found.status_code, no_identifier.status_code, no_definition.status_code) == (
        404,
        400,
        404,
    )
    for response in (not_found, no_identifier, no_definition):
        assert_typed(response.parsed, ErrorResponse)
        assert_typed(response.parsed.error, ErrorDetail)
        assert response.parsed.status.value == "error"
    assert not_found.parsed.error.code == "customer_not_found"
    assert not_found.parsed.error.details["customer_uuid"] == str(unknown)
    assert no_identifier.parsed.error.code == "missing_identifier"
    assert no_definition.parsed.error.code == "property_not_found"
    assert not Customer.objects.filter(account=account).exists()
    assert not PropertyDefinition.objects.filter(account=account).exists()


def test_generated_client_reads_a_refused_key_as_a_typed_401(generated, live_server):
    with client_for(generated, live_server, "ca_not_a_key") as anonymous:
        response = operation(generated, "properties", "properties_list").sync_detailed(
            client=anonymous
        )

    assert response.status_code == 401
    assert_typed(response.parsed, model(generated, "ErrorResponse"))
    assert response.parsed.error.code == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "X-API-Key"
