import datetime
import itertools

import pytest

from customers.errors import DefinitionArchived, InvalidInput
from customers.models import AuditAction, AuditEntry, Customer, PropertyValue
from customers.services import Actor, PropertyWrite, customer_properties_set, type_changes
from customers.services.definitions import definition_archive, definition_create
from customers.services.type_changes import (
    ValuesWouldBeLost,
    definition_type_change,
    definition_type_change_preview,
)

ACTOR = Actor(system="tests")
_emails = itertools.count()


def define(account, key, type="text"):
    return definition_create(account=account, key=key, type=type, actor=ACTOR)


def give(account, key, *values) -> list[Customer]:
    customers = []
    for value in values:
        customer = Customer.objects.create(account=account, email=f"c{next(_emails)}@example.com")
        customer_properties_set(
            account=account, customer=customer, writes=[PropertyWrite(key, value)]
        )
        customers.append(customer)
    return customers


def stored(definition) -> list:
    return [
        value.stored
        for value in PropertyValue.objects.filter(definition=definition).order_by("customer_id")
    ]


def test_preview_counts_converting_and_failing_values(account):
    age = define(account, "age")
    customers = give(account, "age", "42", "15.5", "old", "n/a")

    converting, failing, samples = definition_type_change_preview(definition=age, new_type="number")

    assert (converting, failing) == (2, 2)
    assert [(customer_id, shown) for customer_id, shown, _ in samples] == [
        (customers[2].pk, "old"),
        (customers[3].pk, "n/a"),
    ]
    assert "Expected a number" in samples[0][2]


def test_preview_sample_is_limited_to_sample_size(account):
    age = define(account, "age")
    give(account, "age", *[f"word{i}" for i in range(5)])

    converting, failing, samples = definition_type_change_preview(
        definition=age, new_type="integer", sample_size=3
    )

    assert (converting, failing, len(samples)) == (0, 5, 3)


def test_preview_changes_nothing(account):
    age = define(account, "age")
    give(account, "age", "42")

    definition_type_change_preview(definition=age, new_type="number")

    age.refresh_from_db()
    assert age.type == "text"
    assert stored(age) == ["42"]


def test_text_values_are_converted_to_numbers_in_the_number_column(account):
    age = define(account, "age")
    give(account, "age", "42", "15.5")

    converted, removed = definition_type_change(definition=age, new_type="number", actor=ACTOR)

    assert (converted, removed) == (2, 0)
    age.refresh_from_db()
    assert age.type == "number"
    rows = PropertyValue.objects.filter(definition=age).order_by("customer_id")
    assert [(r.value_number, r.value_text) for r in rows] == [(42.0, None), (15.5, None)]


def test_numbers_become_their_text(account):
    score = define(account, "score", "number")
    give(account, "score", 3, 2.5)

    definition_type_change(definition=score, new_type="text", actor=ACTOR)

    assert stored(score) == ["3", "2.5"]


def test_text_dates_become_dates(account):
    signup = define(account, "signup")
    give(account, "signup", "2024-02-29", "1603885746")

    definition_type_change(definition=signup, new_type="date", actor=ACTOR)

    assert stored(signup) == [
        datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC),
        datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC),
    ]


def test_comma_separated_text_becomes_a_collection(account):
    interests = define(account, "interests")
    give(account, "interests", "golf, chess")

    definition_type_change(definition=interests, new_type="collection", actor=ACTOR)

    assert stored(interests) == [["golf", "chess"]]


def test_fractional_numbers_do_not_convert_to_integer(account):
    score = define(account, "score", "number")
    give(account, "score", 3, 2.5)

    assert definition_type_change_preview(definition=score, new_type="integer")[:2] == (1, 1)


def test_change_with_failing_values_is_refused_and_changes_nothing(account):
    age = define(account, "age")
    give(account, "age", "42", "old")

    with pytest.raises(ValuesWouldBeLost) as refused:
        definition_type_change(definition=age, new_type="number", actor=ACTOR)

    assert refused.value.details["not_converted"] == 1
    age.refresh_from_db()
    assert age.type == "text"
    assert stored(age) == ["42", "old"]
    assert not AuditEntry.objects.filter(action=AuditAction.DEFINITION_TYPE_CHANGED).exists()


def test_change_removes_failing_values_when_agreed_and_audits_the_counts(account):
    age = define(account, "age")
    give(account, "age", "42", "old", "7")

    converted, removed = definition_type_change(
        definition=age, new_type="integer", actor=ACTOR, allow_removal_of=1
    )

    assert (converted, removed) == (2, 1)
    assert stored(age) == [42.0, 7.0]
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_TYPE_CHANGED)
    assert entry.target == "age"
    assert entry.details == {"from": "text", "to": "integer", "converted": 2, "not_converted": 1}


def test_change_is_refused_when_more_values_fail_than_agreed(account):
    age = define(account, "age")
    give(account, "age", "old", "older")

    with pytest.raises(ValuesWouldBeLost):
        definition_type_change(definition=age, new_type="number", actor=ACTOR, allow_removal_of=1)

    assert stored(age) == ["old", "older"]


def test_change_converts_across_batches(account, monkeypatch):
    monkeypatch.setattr(type_changes, "BATCH_SIZE", 2)
    age = define(account, "age")
    give(account, "age", "1", "2", "x", "4", "5")

    converted, removed = definition_type_change(
        definition=age, new_type="number", actor=ACTOR, allow_removal_of=1
    )

    assert (converted, removed) == (4, 1)
    assert stored(age) == [1.0, 2.0, 4.0, 5.0]


def test_change_leaves_other_definitions_values_alone(account):
    age = define(account, "age")
    plan = define(account, "plan")
    give(account, "age", "42")
    give(account, "plan", "42")

    definition_type_change(definition=age, new_type="number", actor=ACTOR)

    assert stored(plan) == ["42"]


def test_change_to_the_same_type_is_refused(account):
    age = define(account, "age")

    with pytest.raises(InvalidInput, match="already of type text"):
        definition_type_change(definition=age, new_type="string", actor=ACTOR)


def test_change_of_an_archived_definition_is_refused(account):
    age = define(account, "age")
    definition_archive(definition=age, actor=ACTOR)

    with pytest.raises(DefinitionArchived):
        definition_type_change(definition=age, new_type="number", actor=ACTOR)
    with pytest.raises(DefinitionArchived):
        definition_type_change_preview(definition=age, new_type="number")


def test_change_without_values_only_changes_the_type(account):
    age = define(account, "age")

    assert definition_type_change(definition=age, new_type="number", actor=ACTOR) == (0, 0)
    age.refresh_from_db()
    assert age.type == "number"
