import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.errors import DefinitionArchived, InvalidInput
from customers.models import AuditAction, AuditEntry, PropertyDefinition, PropertyValue
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


def test_preview_shows_text_as_is_cut_after_80_characters_and_other_values_as_json(account):
    note = make_definition(account, "note")
    tags = make_definition(account, "tags", "collection")
    customers_holding(account, "note", "x" * 81, "y" * 80)
    customers_holding(account, "tags", ["é", "b"])

    _, _, long_texts = definition_type_change_preview(definition=note, new_type="number")
    _, _, lists = definition_type_change_preview(definition=tags, new_type="number")

    assert [shown for _, shown, _ in long_texts] == ["x" * 79 + "…", "y" * 80]
    assert [shown for _, shown, _ in lists] == ['["é", "b"]']


def test_preview_samples_ten_failing_values_by_default(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", *[f"word{i}" for i in range(11)])

    converting, failing, samples = definition_type_change_preview(definition=age, new_type="number")

    assert (converting, failing, len(samples)) == (0, 11, 10)


def test_preview_reads_every_batch(account, monkeypatch):
    monkeypatch.setattr(type_changes, "BATCH_SIZE", 2)
    age = make_definition(account, "age")
    customers_holding(account, "age", "1", "x", "3", "4", "y")

    converting, failing, samples = definition_type_change_preview(definition=age, new_type="number")

    assert (converting, failing) == (3, 2)
    assert [shown for _, shown, _ in samples] == ["x", "y"]


def test_values_convert_under_the_configured_limits(account, settings):
    settings.CONTACTS_MAX_TEXT_LENGTH = 5
    score = make_definition(account, "score", "number")
    customers_holding(account, "score", 12345, 123456)

    converting, failing, samples = definition_type_change_preview(definition=score, new_type="text")

    assert (converting, failing) == (1, 1)
    assert samples[0][1] == "123456"


def test_a_refused_change_says_how_many_values_would_be_lost(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "old", "older", "7")

    with pytest.raises(ValuesWouldBeLost) as refused:
        definition_type_change(definition=age, new_type="number", actor=TESTS)

    assert refused.value.code == "type_change_loses_values"
    assert refused.value.message == (
        '2 values of property "age" cannot be converted to number; '
        "agree to remove them, or fix them first."
    )
    assert refused.value.details == {"key": "age", "not_converted": 2}


def test_same_type_and_archived_refusals_say_what_to_do(account):
    age = make_definition(account, "age")
    url = make_definition(account, "site", "url")
    gone = make_definition(account, "gone", archived=True)

    with pytest.raises(InvalidInput) as same:
        definition_type_change(definition=age, new_type="TEXT", actor=TESTS)
    with pytest.raises(InvalidInput) as same_url:
        definition_type_change_preview(definition=url, new_type="url")
    with pytest.raises(DefinitionArchived) as archived:
        definition_type_change(definition=gone, new_type="number", actor=TESTS)

    assert (same.value.message, same.value.details) == (
        'Property "age" is already of type text.',
        {"field": "new_type"},
    )
    assert same_url.value.message == 'Property "site" is already of type url.'
    assert (archived.value.message, archived.value.details) == (
        'Property "gone" is archived: restore it before changing its type.',
        {"key": "gone"},
    )


def test_a_definition_archived_since_it_was_read_is_not_changed(account):
    age = make_definition(account, "age")
    customers_holding(account, "age", "42")
    definition_archive(definition=PropertyDefinition.objects.get(pk=age.pk), actor=TESTS)

    with pytest.raises(DefinitionArchived):
        definition_type_change(definition=age, new_type="number", actor=TESTS)

    assert PropertyDefinition.objects.get(pk=age.pk).type == "text"
    assert stored(age) == ["42"]


def test_the_definition_given_reads_its_new_type_and_time(account):
    age = make_definition(account, "age")
    before = age.updated_at

    definition_type_change(definition=age, new_type="number", actor=TESTS)

    stored_definition = PropertyDefinition.objects.get(pk=age.pk)
    assert (age.type, stored_definition.type) == ("number", "number")
    assert age.updated_at == stored_definition.updated_at > before


def test_converted_values_are_stamped_and_others_keep_their_time(account):
    age = make_definition(account, "age")
    plan = make_definition(account, "plan")
    customers_holding(account, "age", "42")
    customers_holding(account, "plan", "42")
    before = {v.definition_id: v.updated_at for v in PropertyValue.objects.all()}

    definition_type_change(definition=age, new_type="number", actor=TESTS)

    after = {v.definition_id: v.updated_at for v in PropertyValue.objects.all()}
    assert after[age.pk] > before[age.pk]
    assert after[plan.pk] == before[plan.pk]


def test_every_value_agreed_to_be_removed_is_removed_across_batches(account, monkeypatch):
    monkeypatch.setattr(type_changes, "BATCH_SIZE", 2)
    age = make_definition(account, "age")
    customers_holding(account, "age", "a", "1", "b", "c", "d", "e")

    converted, removed = definition_type_change(
        definition=age, new_type="number", actor=TESTS, allow_removal_of=5
    )

    assert (converted, removed) == (1, 5)
    assert stored(age) == [1.0]


def test_preview_reads_the_values_in_two_queries(account, django_assert_num_queries):
    age = make_definition(account, "age")
    customers_holding(account, "age", "1", "x", "y")

    # One slice of values with what the preview reads of them, then an empty one.
    with django_assert_num_queries(2):
        _, _, samples = definition_type_change_preview(definition=age, new_type="number")

    assert [shown for _, shown, _ in samples] == ["x", "y"]


def test_values_agreed_to_be_removed_are_deleted_a_slice_at_a_time(account, monkeypatch):
    monkeypatch.setattr(type_changes, "BATCH_SIZE", 2)
    age = make_definition(account, "age")
    customers_holding(account, "age", "a", "b", "c", "d", "e")

    with CaptureQueriesContext(connection) as queries:
        definition_type_change(definition=age, new_type="number", actor=TESTS, allow_removal_of=5)

    deletes = [q for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3
    assert stored(age) == []
