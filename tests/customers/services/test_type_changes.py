import datetime

import pytest

from customers.errors import DefinitionArchived, InvalidInput
from customers.models import AuditAction, AuditEntry, PropertyValue
from customers.services import type_changes
from customers.services.definitions import definition_archive
from customers.services.type_changes import (
    ValuesWouldBeLost,
    definition_type_change,
    definition_type_change_preview,
)
from tests.factories import TESTS, customers_holding, make_definition


def stored(definition) -> list:
    return [
        value.stored
        for value in PropertyValue.objects.filter(definition=definition).order_by("customer_id")
    ]


def test_preview_counts_converting_and_failing_values(account):
    age = make_definition(account, "age")
    customers = customers_holding(account, "age", "42", "15.5", "old", "n/a")

    converting, failing, samples = definition_type_change_preview(definition=age, new_type="number")

    assert (converting, failing) == (2, 2)
    assert [(customer_id, shown) for customer_id, shown, _ in samples] == [
        (customers[2].pk, "old"),
        (customers[3].pk, "n/a"),
    ]
    assert "Expected a number" in samples[0][2]


def test_preview_sample_is_limited_to_sample_size(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", *[f"word{i}" for i in range(5)])

    converting, failing, samples = definition_type_change_preview(
        definition=age, new_type="integer", sample_size=3
    )

    assert (converting, failing, len(samples)) == (0, 5, 3)


def test_preview_changes_nothing(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "42")

    definition_type_change_preview(definition=age, new_type="number")

    age.refresh_from_db()
    assert age.type == "text"
    assert stored(age) == ["42"]


def test_text_values_are_converted_to_numbers_in_the_number_column(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "42", "15.5")

    converted, removed = definition_type_change(definition=age, new_type="number", actor=TESTS)

    assert (converted, removed) == (2, 0)
    age.refresh_from_db()
    assert age.type == "number"
    rows = PropertyValue.objects.filter(definition=age).order_by("customer_id")
    assert [(r.value_number, r.value_text) for r in rows] == [(42.0, None), (15.5, None)]


def test_numbers_become_their_text(account):
    score = make_definition(account, "score", "number")
    customers_holding(account, "score", 3, 2.5)

    definition_type_change(definition=score, new_type="text", actor=TESTS)

    assert stored(score) == ["3", "2.5"]


def test_text_dates_become_dates(account):
    signup = make_definition(account, "signup")
    customers_holding(account, "signup", "2024-02-29", "1603885746")

    definition_type_change(definition=signup, new_type="date", actor=TESTS)

    assert stored(signup) == [
        datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC),
        datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC),
    ]


def test_comma_separated_text_becomes_a_collection(account):
    interests = make_definition(account, "interests")
    customers_holding(account, "interests", "golf, chess")

    definition_type_change(definition=interests, new_type="collection", actor=TESTS)

    assert stored(interests) == [["golf", "chess"]]


def test_fractional_numbers_do_not_convert_to_integer(account):
    score = make_definition(account, "score", "number")
    customers_holding(account, "score", 3, 2.5)

    assert definition_type_change_preview(definition=score, new_type="integer")[:2] == (1, 1)


def test_change_with_failing_values_is_refused_and_changes_nothing(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "42", "old")

    with pytest.raises(ValuesWouldBeLost) as refused:
        definition_type_change(definition=age, new_type="number", actor=TESTS)

    assert refused.value.details["not_converted"] == 1
    age.refresh_from_db()
    assert age.type == "text"
    assert stored(age) == ["42", "old"]
    assert not AuditEntry.objects.filter(action=AuditAction.DEFINITION_TYPE_CHANGED).exists()


def test_change_removes_failing_values_when_agreed_and_audits_the_counts(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "42", "old", "7")

    converted, removed = definition_type_change(
        definition=age, new_type="integer", actor=TESTS, allow_removal_of=1
    )

    assert (converted, removed) == (2, 1)
    assert stored(age) == [42.0, 7.0]
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_TYPE_CHANGED)
    assert entry.target == "age"
    assert entry.details == {"from": "text", "to": "integer", "converted": 2, "not_converted": 1}


def test_change_is_refused_when_more_values_fail_than_agreed(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "old", "older")

    with pytest.raises(ValuesWouldBeLost):
        definition_type_change(definition=age, new_type="number", actor=TESTS, allow_removal_of=1)

    assert stored(age) == ["old", "older"]


def test_change_converts_across_batches(account, monkeypatch):
    monkeypatch.setattr(type_changes, "BATCH_SIZE", 2)
    age = make_definition(account, "age")
    customers_holding(account, "age", "1", "2", "x", "4", "5")

    converted, removed = definition_type_change(
        definition=age, new_type="number", actor=TESTS, allow_removal_of=1
    )

    assert (converted, removed) == (4, 1)
    assert stored(age) == [1.0, 2.0, 4.0, 5.0]


def test_change_leaves_other_definitions_values_alone(account):
    age = make_definition(account, "age")
    plan = make_definition(account, "plan")
    customers_holding(account, "age", "42")
    customers_holding(account, "plan", "42")

    definition_type_change(definition=age, new_type="number", actor=TESTS)

    assert stored(plan) == ["42"]


def test_change_to_the_same_type_is_refused(account):
    age = make_definition(account, "age")

    with pytest.raises(InvalidInput, match="already of type text"):
        definition_type_change(definition=age, new_type="string", actor=TESTS)


def test_change_of_an_archived_definition_is_refused(account):
    age = make_definition(account, "age")
    definition_archive(definition=age, actor=TESTS)

    with pytest.raises(DefinitionArchived):
        definition_type_change(definition=age, new_type="number", actor=TESTS)
    with pytest.raises(DefinitionArchived):
        definition_type_change_preview(definition=age, new_type="number")


def test_change_without_values_only_changes_the_type(account):
    age = make_definition(account, "age")

    assert definition_type_change(definition=age, new_type="number", actor=TESTS) == (0, 0)
    age.refresh_from_db()
    assert age.type == "number"
