"""customers.services.purges: batches by ranges of primary keys, progress kept, resumable."""

import pytest
from django.tasks import default_task_backend

from customers.errors import Conflict, DefinitionNotArchived
from customers.models import (
    AuditAction,
    AuditEntry,
    DefinitionPurge,
    PropertyDefinition,
    PropertyValue,
)
from customers.selectors.jobs import purges_in_progress
from customers.services import purges
from customers.services.audit import Actor
from customers.services.definitions import definition_archive, definition_restore
from tests.factories import TESTS, customers_holding, make_customer, make_definition
from tests.stored import values_of


def _archived(definition):
    return definition_archive(definition=definition, actor=TESTS)


@pytest.fixture
def interleaved(account):
    """Customers holding `plan` and `seats`, their values' keys interleaved in the table."""
    for n in range(23):
        make_customer(account, f"c{n}@example.com", {"plan": f"p{n}", "seats": n})
    return _archived(PropertyDefinition.objects.get(account=account, key="plan"))


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(purges, "PURGE_BATCH_SIZE", 3)


def _values_of(key):
    return PropertyValue.objects.filter(definition__key=key).count()


def test_a_purge_deletes_every_value_then_the_definition_and_audits_the_count(
    account, interleaved, small_batches
):
    removed = purges.definition_purge(definition=interleaved, actor=TESTS)

    assert removed == 23
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    assert _values_of("seats") == 23
    assert not DefinitionPurge.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert (entry.target, entry.details, entry.actor_label) == (
        "plan",
        {"values_removed": 23},
        "tests",
    )


def test_purge_removes_the_definition_and_its_values_only_and_audits_the_count(
    account, monkeypatch
):
    monkeypatch.setattr(purges, "PURGE_BATCH_SIZE", 2)
    plan = make_definition(account, "plan")
    customers_holding(account, "plan", "a", "b", "c", "d", "e")
    (kept,) = customers_holding(account, "seats", 3)
    _archived(plan)

    removed = purges.definition_purge(definition=plan, actor=TESTS)

    assert removed == 5
    assert list(PropertyDefinition.objects.values_list("key", flat=True)) == ["seats"]
    assert PropertyValue.objects.count() == 1
    assert values_of(kept) == {"seats": 3.0}


def test_purge_of_an_active_definition_is_refused_and_removes_nothing(account):
    plan = make_definition(account, "plan")
    customers_holding(account, "plan", "a")

    with pytest.raises(DefinitionNotArchived, match='Archive property "plan"'):
        purges.definition_purge(definition=plan, actor=TESTS)

    assert PropertyValue.objects.filter(definition=plan).count() == 1
    assert not DefinitionPurge.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DEFINITION_PURGED).exists()


def test_a_purge_of_a_definition_without_values_removes_it(account):
    definition = make_definition(account, "empty", archived=True)

    assert purges.definition_purge(definition=definition, actor=TESTS) == 0
    assert not PropertyDefinition.objects.filter(key="empty").exists()


def test_each_batch_deletes_one_range_of_primary_keys_and_records_it(
    account, interleaved, small_batches
):
    ids = sorted(PropertyValue.objects.filter(definition=interleaved).values_list("pk", flat=True))
    purge = purges.definition_purge_start(definition=interleaved, actor=TESTS)
    purges._measure(purge)
    purge.refresh_from_db()
    assert (purge.values_total, purge.next_value_id, purge.last_value_id) == (23, ids[0], ids[-1])

    assert purges._purge_batch(purge.pk)

    purge.refresh_from_db()
    # The values of `plan` are every other key: a range twice the batch holds a batch.
    width = purges._range_width_of(total=23, removed=0, first=ids[0], last=ids[-1])
    assert purge.next_value_id == ids[0] + width
    left = set(PropertyValue.objects.filter(definition=interleaved).values_list("pk", flat=True))
    assert left == {pk for pk in ids if pk >= ids[0] + width}
    assert purge.values_removed == 23 - len(left)
    assert _values_of("seats") == 23


def test_the_range_widens_with_the_values_sparseness():
    assert purges._range_width_of(total=10_000, removed=0, first=1, last=10_000) == 5_000
    assert purges._range_width_of(total=10_000, removed=0, first=1, last=100_000) == 50_000
    assert purges._range_width_of(total=10_000, removed=5_000, first=1, last=100_000) == 100_000
    # Never narrower than a batch, nor divided by nothing left.
    assert purges._range_width_of(total=10, removed=10, first=1, last=3) == 15_000
    assert purges._range_width_of(total=10, removed=0, first=7, last=7) == 5_000
    assert purges._range_width_of(total=3, removed=0, first=1, last=5_002) == 8_336_667


def test_a_stopped_purge_goes_on_where_it_stopped_and_counts_the_whole(
    account, interleaved, small_batches, monkeypatch
):
    purge = purges.definition_purge_start(definition=interleaved, actor=TESTS)
    purges._measure(purge)
    purges._purge_batch(purge.pk)
    purges._purge_batch(purge.pk)
    done = DefinitionPurge.objects.get(pk=purge.pk)
    assert 0 < done.values_removed < 23
    assert purges_in_progress(account=account)[0].values_removed == done.values_removed

    # A second measure (the resumed run) keeps the progress.
    assert purges.definition_purge(definition=interleaved, actor=TESTS) == 23
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.details == {"values_removed": 23}


def test_asking_twice_keeps_one_purge_with_the_first_actor(account, interleaved):
    first = purges.definition_purge_start(definition=interleaved, actor=Actor(system="first"))
    again = purges.definition_purge_start(definition=interleaved, actor=Actor(system="second"))

    assert again.pk == first.pk
    assert DefinitionPurge.objects.get().actor == {"system": "first"}


def test_a_batch_or_finish_of_a_purge_already_finished_does_nothing(account, interleaved):
    purge = purges.definition_purge_start(definition=interleaved, actor=TESTS)
    purges.definition_purge(definition=interleaved, actor=TESTS)

    assert purges._purge_batch(purge.pk) is False
    assert purges._purge_finish(purge.pk, TESTS) == 0
    assert AuditEntry.objects.filter(action=AuditAction.DEFINITION_PURGED).count() == 1


def test_values_written_after_the_range_was_measured_go_with_the_definition(
    account, interleaved, small_batches
):
    purge = purges.definition_purge_start(definition=interleaved, actor=TESTS)
    purges._measure(purge)
    # A value beyond the measured range (as if written by a restore in between).
    customer = make_customer(account, "late@example.com", {"seats": 1})
    PropertyValue.objects.create(
        customer=customer, definition=interleaved, value_text="late", updated_at=customer.updated_at
    )

    assert purges.definition_purge(definition=interleaved, actor=TESTS) == 24
    assert _values_of("plan") == 0


def test_resume_enqueues_every_unfinished_purge_with_its_actor(account, interleaved, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    other = _archived(make_definition(account, "old"))
    purges.definition_purge_start(definition=interleaved, actor=Actor(system="asker"))
    purges.definition_purge_start(definition=other, actor=TESTS)

    assert purges.purges_resume() == [interleaved.pk, other.pk]

    queued = default_task_backend.results
    assert [(r.kwargs["definition_id"], r.kwargs["actor"]) for r in queued] == [
        (interleaved.pk, {"system": "asker"}),
        (other.pk, {"system": "tests"}),
    ]


def test_the_refusal_names_the_key(account):
    plan = make_definition(account, "plan")

    with pytest.raises(DefinitionNotArchived) as refused:
        purges.definition_purge_start(definition=plan, actor=TESTS)

    assert refused.value.details == {"key": "plan"}
    assert refused.value.message == 'Archive property "plan" before deleting it permanently.'
    assert refused.value.code == DefinitionNotArchived("").code


def test_measuring_one_purge_leaves_the_others_alone(account, interleaved):
    other = _archived(make_definition(account, "old"))
    first = purges.definition_purge_start(definition=interleaved, actor=TESTS)
    second = purges.definition_purge_start(definition=other, actor=TESTS)

    purges._measure(first)

    second.refresh_from_db()
    assert (second.values_total, second.next_value_id, second.last_value_id) == (0, 0, 0)


def test_a_definition_without_values_measures_an_empty_range(account):
    empty = make_definition(account, "empty", archived=True)
    purge = purges.definition_purge_start(definition=empty, actor=TESTS)

    purges._measure(purge)

    purge.refresh_from_db()
    assert (purge.values_total, purge.next_value_id, purge.last_value_id) == (0, 1, 0)
    assert purges._purge_batch(purge.pk) is False


def test_the_last_value_of_the_range_is_deleted_by_a_batch(account):
    (holder,) = customers_holding(account, "only", "x")
    only = _archived(PropertyDefinition.objects.get(key="only"))
    purge = purges.definition_purge_start(definition=only, actor=TESTS)
    purges._measure(purge)

    assert purges._purge_batch(purge.pk) is True

    purge.refresh_from_db()
    assert purge.values_removed == 1
    assert values_of(holder) == {}


def test_a_definition_being_purged_cannot_be_restored(account, interleaved):
    purges.check_not_purging(interleaved)
    purges.definition_purge_start(definition=interleaved, actor=TESTS)

    with pytest.raises(Conflict) as refused:
        purges.check_not_purging(interleaved)

    assert refused.value.message == (
        'Property "plan" is being deleted permanently and cannot be restored; '
        "create it again once the delete has finished."
    )
    assert (refused.value.code, refused.value.details) == ("purge_in_progress", {"key": "plan"})


def test_restore_is_refused_once_the_purge_has_begun(account, interleaved):
    purges.definition_purge_start(definition=interleaved, actor=TESTS)

    with pytest.raises(Conflict, match="being deleted permanently"):
        definition_restore(definition=interleaved, actor=TESTS)

    assert PropertyDefinition.objects.get(key="plan").is_archived
