"""customers.services.data_issues: refused values recorded as sent, the table kept bounded."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.errors import InvalidValue, TypeConflict
from customers.models import DataIssue
from customers.services import PropertyWrite, customer_properties_set
from customers.services import data_issues as service
from customers.services.data_issues import data_issues_prune, data_issues_record
from customers.services.properties import RefusedProperty
from tests.factories import make_account, make_customer, make_definition


def refusal(key: str, message: str = "Expected a number.", code: str = "invalid_value"):
    error = InvalidValue(message)
    error.code = code
    return RefusedProperty(key, error)


def record(account, customer, refused, sent, door="customerio"):
    data_issues_record(account=account, door=door, customer=customer, refused=refused, sent=sent)


@pytest.fixture
def never_prune(monkeypatch):
    monkeypatch.setattr(service._chance, "randrange", lambda n: 1)


@pytest.fixture
def always_prune(monkeypatch):
    monkeypatch.setattr(service._chance, "randrange", lambda n: 0)


def test_each_refused_key_is_recorded_with_the_value_as_sent(account, never_prune):
    ann = make_customer(account)
    sent = {"seats": "unlimited", "address": {"city": "Berlin"}, "ok": 1}

    record(account, ann, [refusal("seats"), refusal("address", "No.", "type_conflict")], sent)

    rows = DataIssue.objects.order_by("id").values_list(
        "account_id", "door", "key", "customer_id", "value", "reason", "message"
    )
    assert list(rows) == [
        (
            account.pk,
            "customerio",
            "seats",
            ann.pk,
            "unlimited",
            "invalid_value",
            "Expected a number.",
        ),
        (account.pk, "customerio", "address", ann.pk, '{"city": "Berlin"}', "type_conflict", "No."),
    ]


def test_nothing_refused_records_nothing_and_runs_no_query(account):
    with CaptureQueriesContext(connection) as queries:
        record(account, None, [], {"a": 1})

    assert len(queries) == 0
    assert not DataIssue.objects.exists()


def test_recording_is_one_insert_whatever_the_number_of_refusals(account, never_prune):
    ann = make_customer(account)
    refused = [refusal(f"k{i}") for i in range(20)]

    with CaptureQueriesContext(connection) as queries:
        record(account, ann, refused, {f"k{i}": i for i in range(20)})

    assert len(queries) == 1
    assert DataIssue.objects.count() == 20


def test_values_are_truncated_and_made_storable(account, never_prune):
    sent = {
        "long": "x" * 600,
        "nul": "a\x00b",
        "lone": "a\ud800b",
        "huge": [10**5000],
        "absent_key_is_null": None,
    }
    refused = [refusal(key) for key in [*sent, "never_sent"]]

    record(account, None, refused, sent)

    stored = dict(DataIssue.objects.values_list("key", "value"))
    assert stored["long"] == "x" * 500
    assert stored["nul"] == "a\\u0000b"
    assert stored["lone"] == "a\\ud800b"
    assert stored["huge"] == "[a very large integer]"
    assert stored["absent_key_is_null"] == "null"
    assert stored["never_sent"] == "null"


def test_keys_and_messages_are_made_storable_and_cut_to_their_columns(account, never_prune):
    refused = [refusal("k\x00" + "y" * 300, "bad \ud800 value", "c" * 50)]

    record(account, None, refused, {})

    issue = DataIssue.objects.get()
    assert issue.key == ("k\\u0000" + "y" * 300)[:200]
    assert issue.message == "bad \\ud800 value"
    assert issue.reason == "c" * 40


def test_pruning_keeps_the_newest_issues_of_the_account_only(account, other_account, never_prune):
    ann = make_customer(account)
    for i in range(5):
        record(account, ann, [refusal(f"k{i}")], {})
    record(other_account, None, [refusal("theirs")], {})

    removed = data_issues_prune(account=account, keep=2)

    assert removed == 3
    assert sorted(DataIssue.objects.filter(account=account).values_list("key", flat=True)) == [
        "k3",
        "k4",
    ]
    assert DataIssue.objects.filter(account=other_account).count() == 1


def test_pruning_within_the_limit_removes_nothing(account, never_prune):
    record(account, None, [refusal("a"), refusal("b")], {})

    assert data_issues_prune(account=account, keep=2) == 0
    assert data_issues_prune(account=account, keep=5) == 0
    assert DataIssue.objects.count() == 2


def test_pruning_keeps_the_setting_s_number_by_default(account, settings, never_prune):
    settings.DATA_ISSUES_KEEP = 3
    record(account, None, [refusal(f"k{i}") for i in range(5)], {})

    assert data_issues_prune(account=account) == 2
    assert sorted(DataIssue.objects.values_list("key", flat=True)) == ["k2", "k3", "k4"]


def test_issues_recorded_in_the_same_instant_are_pruned_by_id(account, never_prune):
    record(account, None, [refusal(f"k{i}") for i in range(4)], {})
    moment = DataIssue.objects.first().created_at
    DataIssue.objects.update(created_at=moment)

    data_issues_prune(account=account, keep=1)

    assert list(DataIssue.objects.values_list("key", flat=True)) == ["k3"]


def test_recording_prunes_when_the_draw_says_so(account, settings, always_prune):
    settings.DATA_ISSUES_KEEP = 2
    for i in range(4):
        record(account, None, [refusal(f"k{i}")], {})

    assert sorted(DataIssue.objects.values_list("key", flat=True)) == ["k2", "k3"]


def test_recording_prunes_about_once_in_prune_every_calls(account, settings):
    settings.DATA_ISSUES_KEEP = 1
    draws = []
    service._chance.seed(7)
    for i in range(200):
        record(account, None, [refusal(f"k{i}")], {})
        draws.append(DataIssue.objects.count())
    prunes = sum(1 for before, after in itertools.pairwise(draws) if after <= before)
    assert service.PRUNE_EVERY == 20
    assert 2 <= prunes <= 30
    assert max(draws) < 200


def test_the_table_stays_bounded_under_a_stream_of_refusals(account, settings):
    settings.DATA_ISSUES_KEEP = 10
    service._chance.seed(1)
    for i in range(300):
        record(account, None, [refusal(f"k{i}")], {})

    assert DataIssue.objects.count() <= 10 + 5 * service.PRUNE_EVERY


def test_a_lenient_write_records_what_it_refused(account, never_prune):
    make_definition(account, "seats", "number")
    ann = make_customer(account)
    writes = [PropertyWrite("seats", "unlimited"), PropertyWrite("plan", "pro")]
    result = customer_properties_set(
        account=account, customer=ann, writes=writes, all_or_nothing=False
    )

    record(account, ann, result.refused, {w.key: w.value for w in writes})

    issue = DataIssue.objects.get()
    assert (issue.key, issue.value, issue.reason) == ("seats", "unlimited", "invalid_value")
    assert issue.message.startswith('Expected a number for a number property, got "unlimited"')


def test_issues_go_with_their_account_and_outlive_their_customer(db, never_prune):
    gone = make_account("Gone")
    kept = make_account("Kept")
    ann = make_customer(kept)
    record(gone, None, [refusal("a")], {})
    record(kept, ann, [refusal("b")], {})

    gone.delete()
    ann.delete()

    assert list(DataIssue.objects.values_list("key", "customer_id")) == [("b", None)]


def test_type_conflicts_are_recorded_with_their_code(account, never_prune):
    record(account, None, [RefusedProperty("seats", TypeConflict("Conflict."))], {"seats": 1})

    assert DataIssue.objects.get().reason == "type_conflict"


def _age(account, key: str, minutes: int) -> None:
    DataIssue.objects.filter(account=account, key=key).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_pruning_goes_by_time_before_id(account, other_account, never_prune):
    # Recorded in this order, but "late" was sent long after "early" by its time.
    record(account, None, [refusal("late"), refusal("early"), refusal("middle")], {})
    _age(account, "late", 1)
    _age(account, "early", 30)
    _age(account, "middle", 10)
    record(other_account, None, [refusal("theirs")], {})
    _age(other_account, "theirs", 60)  # older than all: still not this account's

    data_issues_prune(account=account, keep=2)

    assert sorted(DataIssue.objects.filter(account=account).values_list("key", flat=True)) == [
        "late",
        "middle",
    ]
    assert DataIssue.objects.filter(account=other_account).count() == 1


def test_values_that_json_cannot_write_are_kept_as_text_and_unicode_as_sent(account, never_prune):
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)

    record(
        account, None, [refusal("when"), refusal("city")], {"when": [moment], "city": ["Zürich"]}
    )

    values = dict(DataIssue.objects.values_list("key", "value"))
    assert values == {"when": '["2026-01-02 03:04:05+00:00"]', "city": '["Zürich"]'}
