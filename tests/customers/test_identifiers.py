"""customers.identifiers: exactly one identifier, checked and normalized for its kind."""

import uuid

import pytest

from customers.errors import InvalidIdentifier
from customers.identifiers import (
    IDENTIFIER_KINDS,
    MAX_CUSTOMER_ID,
    Identifier,
    identifier_from,
    identifier_value,
)

UUID = "9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c"


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ({"customer_id": "42"}, Identifier("customer_id", 42)),
        ({"customer_id": 42, "email": ""}, Identifier("customer_id", 42)),
        ({"customer_uuid": f" {UUID.upper()} "}, Identifier("customer_uuid", uuid.UUID(UUID))),
        ({"visitor_id": " v-1 "}, Identifier("visitor_id", "v-1")),
        ({"user_id": 1234}, Identifier("user_id", "1234")),
        ({"email": " Jane@Example.COM ", "user_id": None}, Identifier("email", "jane@example.com")),
    ],
)
def test_the_one_identifier_present_is_returned_normalized(candidates, expected):
    assert identifier_from(candidates) == expected


def test_no_identifier_is_refused_naming_every_kind():
    with pytest.raises(InvalidIdentifier) as refused:
        identifier_from({"email": "", "user_id": None, "phone": "+14155550123"})

    assert refused.value.code == "missing_identifier"
    assert all(kind in refused.value.message for kind in IDENTIFIER_KINDS)


def test_several_identifiers_are_refused_naming_them():
    with pytest.raises(InvalidIdentifier) as refused:
        identifier_from({"email": "a@example.com", "user_id": "u1"})

    assert refused.value.code == "multiple_identifiers"
    assert refused.value.details == {"identifiers": ["user_id", "email"]}


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("customer_id", "0"),
        ("customer_id", "-1"),
        ("customer_id", "4.2"),
        ("customer_id", "٤٢"),  # Arabic-Indic digits are digits, but not ASCII
        ("customer_id", str(MAX_CUSTOMER_ID + 1)),
        ("customer_id", "9" * 5000),
        ("customer_id", True),
        ("customer_uuid", "not-a-uuid"),
        ("email", "jane@"),
        ("email", "a" * 250 + "@example.com"),
        ("user_id", "u\x00"),
        ("user_id", "u" * 256),
        ("user_id", 4.2),
        ("visitor_id", None),
        ("phone", "0155 555 0123"),
        ("phone", "+0155"),
    ],
)
def test_a_malformed_value_is_refused_naming_its_kind(kind, raw):
    with pytest.raises(InvalidIdentifier) as refused:
        identifier_value(kind, raw)

    assert refused.value.code == "invalid_identifier"
    assert refused.value.details == {"identifier": kind}
    assert kind in refused.value.message


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("customer_id", str(MAX_CUSTOMER_ID), MAX_CUSTOMER_ID),
        ("user_id", "u" * 255, "u" * 255),
        ("phone", " +14155550123 ", "+14155550123"),
        ("email", "JANE@example.com", "jane@example.com"),
    ],
)
def test_a_value_at_its_limits_is_accepted(kind, raw, value):
    assert identifier_value(kind, raw) == value


def test_a_long_value_is_shown_cut_in_the_message():
    with pytest.raises(InvalidIdentifier) as refused:
        identifier_value("customer_uuid", "x" * 500)

    assert "'" + "x" * 56 + "...:" in refused.value.message
    assert "x" * 57 not in refused.value.message


@pytest.mark.parametrize(
    ("kind", "creates"),
    [
        ("customer_id", False),
        ("customer_uuid", False),
        ("visitor_id", True),
        ("user_id", True),
        ("email", True),
        ("phone", True),
    ],
)
def test_only_a_clients_own_identifiers_create_customers(kind, creates):
    assert Identifier(kind, "x").creates is creates
