"""customers.services.properties: set many properties of one customer, unassign one."""

import datetime

import pytest
from django.test import override_settings

from customers import statements
from customers.errors import (
    CustomerNotFound,
    DefinitionArchived,
    DefinitionNotFound,
    InvalidKey,
    InvalidValue,
    LimitExceeded,
    TypeConflict,
)
from customers.identifiers import Identifier
from customers.models import Customer, DefinitionSource, PropertyDefinition, PropertyValue
from customers.services import (
    PropertyWrite,
    customer_identify,
    customer_properties_save,
    customer_properties_set,
    property_unassign,
    writes_check_count,
)
from customers.services.properties import label_for
from customers.values import PropertyType
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import make_customer, make_definition
from tests.stored import value_of, values_of


def types_of(account) -> dict[str, str]:
    return dict(PropertyDefinition.objects.filter(account=account).values_list("key", "type"))


def test_new_keys_get_a_type_inferred_from_the_value_and_a_label_from_the_key(account):
    ann = make_customer(account)

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[
            PropertyWrite("plan_tier", "15"),
            PropertyWrite("payments", 15),
            PropertyWrite("vip", True),
            PropertyWrite("interests", ["golf"]),
        ],
    )

    assert [(w.key, w.type) for w in result.written] == [
        ("plan_tier", PropertyType.TEXT),
        ("payments", PropertyType.NUMBER),
        ("vip", PropertyType.BOOLEAN),
        ("interests", PropertyType.COLLECTION),
    ]
    assert types_of(account) == {
        "plan_tier": "text",
        "payments": "number",
        "vip": "boolean",
        "interests": "collection",
    }
    assert PropertyDefinition.objects.get(key="plan_tier").label == "Plan tier"
    assert values_of(ann) == {
        "plan_tier": "15",
        "payments": 15.0,
        "vip": True,
        "interests": ["golf"],
    }


def test_a_given_type_or_the_default_type_decides_a_new_keys_type(account):
    ann = make_customer(account)

    customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("trial_ends", "2026-06-01", "date"), PropertyWrite("seats", "4")],
        default_type=PropertyType.INTEGER,
    )

    assert types_of(account) == {"trial_ends": "date", "seats": "integer"}
    assert values_of(ann) == {
        "trial_ends": datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        "seats": 4.0,
    }


def test_an_existing_definitions_type_coerces_the_value(account):
    make_definition(account, "payments", "integer")
    ann = make_customer(account)

    customer_properties_set(
        account=account, customer=ann, writes=[PropertyWrite("payments", "100")]
    )

    assert value_of(ann, "payments") == 100.0


def test_a_type_other_than_the_definitions_is_refused_and_nothing_stored(account):
    make_definition(account, "payments", "integer")
    ann = make_customer(account)

    with pytest.raises(TypeConflict) as refused:
        customer_properties_set(
            account=account,
            customer=ann,
            writes=[PropertyWrite("plan", "pro"), PropertyWrite("payments", "x", "text")],
        )

    assert refused.value.details["properties"] == {
        "payments": {"code": "type_conflict", "message": refused.value.message}
    }
    assert values_of(ann) == {}
    assert "plan" not in types_of(account)


def test_without_all_or_nothing_refused_keys_are_reported_and_the_rest_stored(account):
    make_definition(account, "payments", "integer")
    ann = make_customer(account)

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[
            PropertyWrite("plan", "pro"),
            PropertyWrite("payments", "many"),
            PropertyWrite("Bad Key!", "x"),
        ],
        all_or_nothing=False,
    )

    assert [w.key for w in result.written] == ["plan"]
    assert {r.key: r.error.code for r in result.refused} == {
        "payments": "invalid_value",
        "Bad Key!": "invalid_key",
    }
    assert values_of(ann) == {"plan": "pro"}


def test_a_write_to_an_archived_definition_is_refused(account):
    make_definition(account, "plan", archived=True)
    ann = make_customer(account)

    with pytest.raises(DefinitionArchived):
        customer_properties_set(account=account, customer=ann, writes=[PropertyWrite("plan", "x")])

    assert values_of(ann) == {}


@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_value_unassigns_the_key_from_this_customer_only(account, empty):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3})
    bob = make_customer(account, properties={"plan": "free"})

    result = customer_properties_set(
        account=account, customer=ann, writes=[PropertyWrite("plan", empty)]
    )

    assert [(w.key, w.unassigned) for w in result.written] == [("plan", True)]
    assert values_of(ann) == {"seats": 3.0}
    assert values_of(bob) == {"plan": "free"}
    assert PropertyDefinition.objects.filter(key="plan").exists()


def test_unassigning_a_key_never_defined_changes_nothing(account):
    ann = make_customer(account)

    result = customer_properties_set(
        account=account, customer=ann, writes=[PropertyWrite("never", None)]
    )

    assert result.written == []
    assert not PropertyDefinition.objects.exists()


def test_the_last_write_of_a_key_wins(account):
    ann = make_customer(account)

    customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("plan", "free"), PropertyWrite("plan", "pro")],
    )

    assert values_of(ann) == {"plan": "pro"}


def test_a_write_moves_the_customers_updated_at(account):
    ann = make_customer(account)
    Customer.objects.filter(pk=ann.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )

    customer_properties_set(account=account, customer=ann, writes=[PropertyWrite("plan", "pro")])

    ann.refresh_from_db()
    assert ann.updated_at.year > 2020


def test_more_keys_than_allowed_are_refused_before_anything_is_stored(account):
    ann = make_customer(account)
    writes = [PropertyWrite(f"k{n}", n) for n in range(3)]

    with pytest.raises(LimitExceeded) as refused:
        customer_properties_set(account=account, customer=ann, writes=writes, max_keys=2)

    assert refused.value.details == {"max": 2, "got": 3}
    assert not PropertyValue.objects.exists()
    writes_check_count(writes, max_keys=3)  # exactly at the limit passes


@override_settings(CONTACTS_MAX_DEFINITIONS=2)
def test_new_keys_past_the_definition_limit_are_refused_alone_without_all_or_nothing(account):
    make_definition(account, "plan")
    ann = make_customer(account)

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("plan", "pro"), PropertyWrite("a", 1), PropertyWrite("b", 2)],
        all_or_nothing=False,
    )

    assert {r.key: r.error.code for r in result.refused} == {
        "a": "too_many_definitions",
        "b": "too_many_definitions",
    }
    assert values_of(ann) == {"plan": "pro"}
    assert set(types_of(account)) == {"plan"}


def test_save_creates_the_customer_of_a_creating_identifier(account):
    customer, result = customer_properties_save(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        writes=[PropertyWrite("plan", "pro")],
    )

    assert Customer.objects.get(email="ann@example.com").pk == customer.pk
    assert [w.key for w in result.written] == ["plan"]
    assert values_of(customer) == {"plan": "pro"}


def test_save_with_a_refused_value_creates_no_customer(account):
    make_definition(account, "seats", "integer")

    with pytest.raises(InvalidValue):
        customer_properties_save(
            account=account,
            identifier=Identifier("email", "ann@example.com"),
            writes=[PropertyWrite("seats", "many")],
        )

    assert not Customer.objects.exists()


def test_save_for_an_unknown_customer_id_is_refused(account):
    with pytest.raises(CustomerNotFound):
        customer_properties_save(
            account=account,
            identifier=Identifier("customer_id", 999_999),
            writes=[PropertyWrite("plan", "pro")],
        )

    assert not PropertyValue.objects.exists()


def test_save_refuses_an_invalid_key_with_the_key_named(account):
    with pytest.raises(InvalidKey) as refused:
        customer_properties_save(
            account=account,
            identifier=Identifier("email", "ann@example.com"),
            writes=[PropertyWrite("Plan Tier", "pro")],
        )

    assert list(refused.value.details["properties"]) == ["Plan Tier"]
    assert not Customer.objects.exists()


def test_unassign_removes_one_customers_value_and_says_whether_it_had_one(account):
    ann = make_customer(account, properties={"plan": "pro"})
    bob = make_customer(account, properties={"plan": "free"})

    had = property_unassign(account=account, customer=ann, key="plan")
    again = property_unassign(account=account, customer=ann, key="plan")

    assert (had, again) == (True, False)
    assert values_of(ann) == {}
    assert values_of(bob) == {"plan": "free"}


def test_unassign_refuses_an_unknown_or_archived_key(account):
    ann = make_customer(account, properties={"plan": "pro"})
    make_definition(account, "old", archived=True)

    with pytest.raises(DefinitionNotFound):
        property_unassign(account=account, customer=ann, key="nope")
    with pytest.raises(DefinitionArchived):
        property_unassign(account=account, customer=ann, key="old")

    assert values_of(ann) == {"plan": "pro"}


@pytest.mark.parametrize(
    ("key", "label"), [("plan_tier", "Plan tier"), ("nps", "Nps"), ("a_b_c", "A b c")]
)
def test_label_for_makes_a_readable_label_of_a_key(key, label):
    assert label_for(key) == label


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_of_a_new_key_all_succeed(account):
    def write(n):
        customer = customer_identify(
            account=account, identifier=Identifier("email", f"c{n}@example.com"), create=True
        )
        customer_properties_set(
            account=account, customer=customer, writes=[PropertyWrite("brand_new_key", n)]
        )

    errors = run_concurrently(write)

    assert errors == []
    assert PropertyDefinition.objects.filter(key="brand_new_key").count() == 1
    assert PropertyValue.objects.filter(definition__key="brand_new_key").count() == WRITERS


OLD = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize("kind", ["customer_id", "customer_uuid", "user_id", "email"])
def test_save_writes_to_the_existing_customer_of_an_identifier_and_moves_updated_at(account, kind):
    ann = make_customer(account, "ann@example.com", user_id="ann-1")
    Customer.objects.filter(pk=ann.pk).update(updated_at=OLD)
    value = {"customer_id": ann.pk, "customer_uuid": ann.uuid}.get(kind) or getattr(ann, kind)

    customer, result = customer_properties_save(
        account=account, identifier=Identifier(kind, value), writes=[PropertyWrite("plan", "pro")]
    )

    stored = Customer.objects.get(pk=ann.pk)
    assert Customer.objects.count() == 1
    assert (customer.pk, customer.uuid, customer.account) == (ann.pk, ann.uuid, account)
    assert customer.updated_at == stored.updated_at > OLD
    assert result.written[0].updated_at == customer.updated_at
    assert values_of(stored) == {"plan": "pro"}


def test_a_written_property_reads_back_as_json_or_null_when_unassigned(account):
    make_definition(account, "seats", "integer")
    ann = make_customer(account, properties={"seats": 3})

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("seats", None), PropertyWrite("payments", "7", type="integer")],
    )

    ann.refresh_from_db()
    by_key = {w.key: (w.type, w.unassigned, w.to_json(), w.updated_at) for w in result.written}
    assert by_key == {
        "seats": (PropertyType.INTEGER, True, None, None),
        "payments": (PropertyType.INTEGER, False, 7, ann.updated_at),
    }
    assert values_of(ann) == {"payments": 7.0}


def test_too_many_keys_are_refused_with_the_limit_and_the_count_in_the_message(account):
    writes = [PropertyWrite(f"k{n}", n) for n in range(3)]

    with pytest.raises(LimitExceeded) as refused:
        writes_check_count(writes, max_keys=2)

    assert refused.value.code == "too_many_properties"
    assert refused.value.message == (
        "At most 2 properties per request; got 3. Split the update into several requests."
    )
    assert not PropertyValue.objects.exists()


@override_settings(CONTACTS_MAX_DEFINITIONS=2)
@pytest.mark.parametrize("save", [True, False])
def test_new_keys_past_the_definition_limit_refuse_the_whole_write(account, save):
    make_definition(account, "plan")
    ann = make_customer(account, "ann@example.com")
    writes = [PropertyWrite("plan", "pro"), PropertyWrite("a", 1), PropertyWrite("b", 2)]

    if save:
        identifier = Identifier("email", "ann@example.com")
        with pytest.raises(LimitExceeded) as refused:
            customer_properties_save(account=account, identifier=identifier, writes=writes)
    else:
        with pytest.raises(LimitExceeded) as refused:
            customer_properties_set(account=account, customer=ann, writes=writes)

    assert refused.value.code == "too_many_definitions"
    assert refused.value.details == {"max": 2, "existing": 1}
    assert refused.value.message == (
        "This account may hold at most 2 properties; it has 1. "
        "Archive and delete unused properties on the Contact attributes page."
    )
    assert values_of(ann) == {}
    assert set(types_of(account)) == {"plan"}


def test_unassign_moves_updated_at_only_when_a_value_was_removed(account):
    ann = make_customer(account, properties={"plan": "pro"})
    bob = make_customer(account)
    Customer.objects.filter(pk__in=[ann.pk, bob.pk]).update(updated_at=OLD)

    property_unassign(account=account, customer=ann, key="plan")
    property_unassign(account=account, customer=bob, key="plan")

    assert Customer.objects.get(pk=ann.pk).updated_at > OLD
    assert Customer.objects.get(pk=bob.pk).updated_at == OLD
    assert values_of(ann) == {}


def test_unassign_refusals_name_the_key(account, other_account):
    ann = make_customer(account, properties={"plan": "pro"})
    make_definition(account, "old", archived=True)
    make_definition(other_account, "theirs")

    with pytest.raises(DefinitionNotFound) as unknown:
        property_unassign(account=account, customer=ann, key="theirs")
    with pytest.raises(DefinitionArchived) as archived:
        property_unassign(account=account, customer=ann, key="old")

    assert unknown.value.details == {"key": "theirs"}
    assert unknown.value.message == 'No property "theirs" in this account.'
    assert archived.value.details == {"key": "old"}
    assert archived.value.message == (
        'Property "old" is archived. Restore it on the Contact attributes page to write to it.'
    )
    assert values_of(ann) == {"plan": "pro"}


def test_unassign_removes_only_the_named_keys_value(account):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3})

    property_unassign(account=account, customer=ann, key="plan")

    assert values_of(ann) == {"seats": 3.0}


@override_settings(CONTACTS_MAX_DEFINITIONS=2)
def test_new_keys_up_to_the_definition_limit_are_created(account):
    make_definition(account, "plan")
    ann = make_customer(account)

    customer_properties_set(account=account, customer=ann, writes=[PropertyWrite("seats", 2)])

    assert values_of(ann) == {"seats": 2.0}
    assert set(types_of(account)) == {"plan", "seats"}


def test_a_new_definition_keeps_the_writes_source_and_a_label_cut_to_200(account):
    ann = make_customer(account)

    customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("plan", "pro", label="L" * 250)],
        source=DefinitionSource.IMPORT,
    )

    definition = PropertyDefinition.objects.get(account=account, key="plan")
    assert (definition.source, definition.label) == (DefinitionSource.IMPORT, "L" * 200)
    assert values_of(ann) == {"plan": "pro"}


def test_an_empty_type_is_read_as_no_type(account):
    make_definition(account, "seats", "integer")
    ann = make_customer(account)

    customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("seats", "4", type=""), PropertyWrite("plan", "pro", type="")],
    )

    assert values_of(ann) == {"seats": 4.0, "plan": "pro"}
    assert types_of(account) == {"seats": "integer", "plan": "text"}


@override_settings(CONTACTS_MAX_TEXT_LENGTH=5)
def test_values_are_checked_against_the_configured_limits(account):
    ann = make_customer(account)

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("a", "abcdef"), PropertyWrite("b", "abcde")],
        all_or_nothing=False,
    )

    assert [r.key for r in result.refused] == ["a"]
    assert values_of(ann) == {"b": "abcde"}


def test_a_refused_key_does_not_stop_the_keys_after_it(account):
    make_definition(account, "seats", "integer")
    ann = make_customer(account)

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("seats", "many"), PropertyWrite("plan", "pro")],
        all_or_nothing=False,
    )

    assert [r.key for r in result.refused] == ["seats"]
    assert values_of(ann) == {"plan": "pro"}


def test_a_type_conflict_names_the_key_and_both_types(account):
    make_definition(account, "seats", "integer")
    ann = make_customer(account)

    with pytest.raises(TypeConflict) as refused:
        customer_properties_set(
            account=account, customer=ann, writes=[PropertyWrite("seats", "4", type="text")]
        )

    assert refused.value.details["key"] == "seats"
    assert (refused.value.details["type"], refused.value.details["requested"]) == (
        "integer",
        "text",
    )
    assert refused.value.message == (
        'Property "seats" is of type integer, not text. '
        "Send a value of its type, or change the type on the Contact attributes page."
    )
    assert values_of(ann) == {}


def test_a_write_to_an_archived_definition_names_the_key(account):
    make_definition(account, "old", archived=True)
    ann = make_customer(account)

    with pytest.raises(DefinitionArchived) as refused:
        customer_properties_set(account=account, customer=ann, writes=[PropertyWrite("old", "x")])

    assert refused.value.details["key"] == "old"
    assert values_of(ann) == {}


def test_set_gives_the_customer_the_stored_updated_at(account):
    ann = make_customer(account)

    customer_properties_set(account=account, customer=ann, writes=[PropertyWrite("plan", "pro")])

    assert ann.updated_at == Customer.objects.get(pk=ann.pk).updated_at


def _hide_from_planning(monkeypatch, keys):
    """Make planning miss `keys`, as if a concurrent writer created them just after."""
    real = statements.definitions_by_key
    calls = []

    def definitions_by_key(account_id, wanted):
        calls.append(wanted)
        found = real(account_id, wanted)
        return {k: v for k, v in found.items() if k not in keys} if len(calls) == 1 else found

    monkeypatch.setattr(statements, "definitions_by_key", definitions_by_key)


def test_keys_a_concurrent_writer_created_otherwise_are_refused_alone(account, monkeypatch):
    make_definition(account, "plan", "integer")
    make_definition(account, "old", archived=True)
    ann = make_customer(account)
    _hide_from_planning(monkeypatch, {"plan", "old"})

    result = customer_properties_set(
        account=account,
        customer=ann,
        writes=[PropertyWrite("plan", "pro"), PropertyWrite("old", "x"), PropertyWrite("new", "y")],
        all_or_nothing=False,
    )

    refused = {r.key: r.error for r in result.refused}
    assert {key: type(error) for key, error in refused.items()} == {
        "plan": TypeConflict,
        "old": TypeConflict,
    }
    assert refused["plan"].details == {"key": "plan", "type": "integer", "requested": "text"}
    assert refused["plan"].message == (
        'Property "plan" was just created as integer; this write needs text.'
    )
    assert values_of(ann) == {"new": "y"}


def test_a_key_a_concurrent_writer_created_otherwise_refuses_the_whole_write(account, monkeypatch):
    make_definition(account, "plan", "integer")
    ann = make_customer(account)
    _hide_from_planning(monkeypatch, {"plan"})

    with pytest.raises(TypeConflict):
        customer_properties_set(
            account=account,
            customer=ann,
            writes=[PropertyWrite("new", "y"), PropertyWrite("plan", "pro")],
        )

    assert values_of(ann) == {}
