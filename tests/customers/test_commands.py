import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from customers.demo import DEMO_DEFINITIONS
from customers.models import (
    Account,
    ApiKey,
    AuditAction,
    AuditEntry,
    Customer,
    Membership,
    PropertyDefinition,
    PropertyValue,
)
from customers.values import PropertyType
from events.models import Event
from tests.members import signs_in


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_create_api_key_json_prints_one_line_with_a_working_key():
    output = run("create_api_key", "--account", "Acme", "--scope", "admin", "--json")

    assert output.count("\n") <= 1
    payload = json.loads(output)
    assert set(payload) == {"account", "site_id", "key", "scope"}
    assert payload["account"] == "Acme"
    assert payload["scope"] == "admin"
    assert Account.objects.get(name="Acme").site_id == payload["site_id"]
    response = APIClient(HTTP_X_API_KEY=payload["key"]).get("/api/properties")
    assert response.status_code == 200


@pytest.mark.django_db
def test_create_api_key_reuses_the_account_and_defaults_to_write_scope():
    first = json.loads(run("create_api_key", "--account", "Acme", "--json"))
    second = json.loads(run("create_api_key", "--account", "Acme", "--json"))

    assert first["site_id"] == second["site_id"]
    assert first["key"] != second["key"]
    assert second["scope"] == "write"
    assert Account.objects.count() == 1
    assert ApiKey.objects.count() == 2


@pytest.mark.django_db
def test_create_api_key_without_json_shows_the_key_once_with_a_warning():
    output = run("create_api_key", "--account", "Acme")

    assert "API key:" in output
    assert "not shown again" in output


@pytest.mark.django_db
def test_create_api_key_refuses_an_unknown_scope():
    with pytest.raises(CommandError):
        call_command("create_api_key", "--account", "Acme", "--scope", "root", stderr=StringIO())


@pytest.mark.django_db
def test_seed_demo_makes_customers_values_and_a_usable_key():
    output = run("seed_demo", "--customers", "30")

    account = Account.objects.get(name="Demo")
    assert Customer.objects.filter(account=account).count() == 30
    assert PropertyDefinition.objects.filter(account=account).count() == len(DEMO_DEFINITIONS)
    assert {t for *_, t, _, _ in DEMO_DEFINITIONS} == set(PropertyType)
    assert Event.objects.filter(account=account).exists()
    key = next(line.split()[2] for line in output.splitlines() if "API key:" in line)
    body = APIClient(HTTP_X_API_KEY=key).get("/api/properties").json()
    assert sum(p["customer_count"] for p in body["properties"]) > 30
    assert {p["key"]: p["customer_count"] for p in body["properties"]} == {
        d.key: PropertyValue.objects.filter(definition=d).count()
        for d in PropertyDefinition.objects.filter(account=account)
    }
    login = next(line.split() for line in output.splitlines() if "login:" in line)
    assert signs_in(login[1], login[3])


@pytest.mark.django_db
def test_seed_demo_leaves_the_planner_statistics_of_the_tables_it_filled():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics (SQLite plans without them)")
    tables = [Customer._meta.db_table, PropertyValue._meta.db_table, Event._meta.db_table]

    def reltuples() -> dict[str, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables]
            )
            return dict(cursor.fetchall())

    # Without ANALYZE the tables' reltuples stay what they were (-1 when never analyzed).
    run("seed_demo", "--customers", "40")

    after = reltuples()
    assert after[Customer._meta.db_table] == 40
    assert after[PropertyValue._meta.db_table] == PropertyValue.objects.count()
    assert after[Event._meta.db_table] == Event.objects.count()


@pytest.mark.django_db
def test_seed_demo_again_adds_nothing_and_revokes_the_previous_demo_key():
    first = run("seed_demo", "--customers", "5")
    second = run("seed_demo")
    old_key = next(line.split()[2] for line in first.splitlines() if "API key:" in line)
    new_key = next(line.split()[2] for line in second.splitlines() if "API key:" in line)

    assert Customer.objects.count() == 5
    assert APIClient(HTTP_X_API_KEY=old_key).get("/api/properties").status_code == 401
    assert APIClient(HTTP_X_API_KEY=new_key).get("/api/properties").status_code == 200


@pytest.mark.django_db
def test_create_member_prints_a_one_time_password_that_logs_in():
    output = run(
        "create_member", "--account", "Acme", "--email", "Ann@Example.com", "--role", "admin"
    )

    password = next(line.split()[2] for line in output.splitlines() if "One-time password" in line)
    assert signs_in("ann@example.com", password)
    membership = Membership.objects.get(user__username="ann@example.com")
    assert (membership.account.name, membership.role) == ("Acme", "admin")


@pytest.mark.django_db
def test_create_member_with_a_password_and_a_new_role():
    run("create_member", "--account", "Acme", "--email", "bo@example.com")
    output = run(
        "create_member",
        "--account",
        "Acme",
        "--email",
        "bo@example.com",
        "--role",
        "admin",
        "--password",
        "a-long-Passphrase-42",
    )

    assert "One-time password" not in output
    assert Membership.objects.get(user__username="bo@example.com").role == "admin"
    assert AuditEntry.objects.filter(action=AuditAction.MEMBER_ROLE_CHANGED).count() == 1


@pytest.mark.django_db
def test_create_member_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command(
            "create_member",
            "--account",
            "Acme",
            "--email",
            "c@example.com",
            "--password",
            "123",
            stdout=StringIO(),
        )


@pytest.mark.django_db
def test_seed_demo_prints_a_curl_example_for_where_the_service_is_served():
    output = run("seed_demo", "--customers", "1", "--base-url", "http://0.0.0.0:8123")

    example = next(line for line in output.splitlines() if "try:" in line)
    assert example.endswith("http://0.0.0.0:8123/api/properties")
    assert "X-API-Key: ca_" in example
