"""customers.services.purges: an archived definition deleted with every value, in slices."""

import pytest

from customers.errors import DefinitionNotArchived
from customers.models import AuditAction, AuditEntry, PropertyDefinition, PropertyValue
from customers.services import definition_archive, definition_purge, purges
from tests.factories import TESTS, customers_holding, make_definition
from tests.stored import values_of


def test_purge_removes_the_definition_and_its_values_only_and_audits_the_count(
    account, monkeypatch
):
    monkeypatch.setattr(purges, "PURGE_BATCH_SIZE", 2)
    plan = make_definition(account, "plan")
    customers_holding(account, "plan", "a", "b", "c", "d", "e")
    (kept,) = customers_holding(account, "seats", 3)
    definition_archive(definition=plan, actor=TESTS)

    removed = definition_purge(definition=plan, actor=TESTS)

    assert removed == 5
    assert list(PropertyDefinition.objects.values_list("key", flat=True)) == ["seats"]
    assert PropertyValue.objects.count() == 1
    assert values_of(kept) == {"seats": 3.0}
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert (entry.target, entry.details) == ("plan", {"values_removed": 5})


def test_purge_of_an_active_definition_is_refused_and_removes_nothing(account):
    plan = make_definition(account, "plan")
    customers_holding(account, "plan", "a")

    with pytest.raises(DefinitionNotArchived):
        definition_purge(definition=plan, actor=TESTS)

    assert PropertyValue.objects.filter(definition=plan).count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.DEFINITION_PURGED).exists()
