"""customers.services.profiles: a customer's whole profile written in one transaction."""

import pytest

from customers.errors import Conflict, InvalidValue
from customers.identifiers import Identifier
from customers.models import Customer, DefinitionSource, PropertyDefinition, Tag
from customers.services import (
    PropertyWrite,
    customer_profile_change,
    customer_profile_save,
    definition_archive,
)
from customers.values import PropertyType
from tests.factories import TESTS, make_customer, make_definition
from tests.stored import values_of


def tag_names(customer) -> list[str]:
    return sorted(customer.tags.values_list("name", flat=True))


def test_save_creates_the_customer_with_fields_tags_and_properties(account):
    customer, result = customer_profile_save(
        account=account,
        identifier=Identifier("user_id", "usr_1"),
        fields={"first_name": "Ann", "email": "ann@example.com"},
        writes=[PropertyWrite("plan", "pro")],
        tags_added=[("vip", "#ff0000")],
    )

    stored = Customer.objects.get()
    assert (stored.pk, stored.user_id, stored.email, stored.first_name) == (
        customer.pk,
        "usr_1",
        "ann@example.com",
        "Ann",
    )
    assert [w.key for w in result.written] == ["plan"]
    assert values_of(stored) == {"plan": "pro"}
    assert tag_names(stored) == ["vip"]
    assert Tag.objects.get().color == "#ff0000"


def test_save_without_create_returns_none_for_an_unknown_customer_and_writes_nothing(account):
    customer, result = customer_profile_save(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        writes=[PropertyWrite("plan", "pro")],
        create=False,
    )

    assert customer is None
    assert (result.written, result.refused) == ([], [])
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_save_with_a_refused_property_keeps_nothing_of_the_profile(account):
    make_definition(account, "seats", "integer")

    with pytest.raises(InvalidValue):
        customer_profile_save(
            account=account,
            identifier=Identifier("email", "ann@example.com"),
            fields={"first_name": "Ann"},
            writes=[PropertyWrite("seats", "many")],
            tags_added=[("vip", None)],
        )

    assert not Customer.objects.exists()
    assert not Tag.objects.exists()


def test_save_with_a_default_type_and_without_all_or_nothing(account):
    customer, result = customer_profile_save(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        writes=[PropertyWrite("seats", "4"), PropertyWrite("Bad Key", "x")],
        all_or_nothing=False,
        default_type=PropertyType.INTEGER,
    )

    assert [r.key for r in result.refused] == ["Bad Key"]
    assert PropertyDefinition.objects.get().type == "integer"
    assert values_of(customer) == {"seats": 4.0}


def test_change_updates_fields_and_replaces_tags(account):
    ann = make_customer(account, "ann@example.com", tags=["vip", "lead"])

    customer_profile_change(
        account=account, customer=ann, fields={"company": "Acme"}, tags=[("paid", None)]
    )

    ann.refresh_from_db()
    assert ann.company == "Acme"
    assert tag_names(ann) == ["paid"]


def test_change_with_unassign_unnamed_replaces_the_properties_but_keeps_kept_keys(account):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3, "source": "ads"})
    bob = make_customer(account, properties={"seats": 9})

    customer_profile_change(
        account=account,
        customer=ann,
        writes=[PropertyWrite("plan", "enterprise"), PropertyWrite("nickname", "")],
        unassign_unnamed=True,
        keep_keys=frozenset({"source"}),
    )

    assert values_of(ann) == {"plan": "enterprise", "source": "ads"}
    assert values_of(bob) == {"seats": 9.0}
    assert set(PropertyDefinition.objects.values_list("key", flat=True)) == {
        "plan",
        "seats",
        "source",
    }


def test_a_replacing_change_leaves_values_of_archived_definitions_alone(account):
    archived = make_definition(account, "old")
    ann = make_customer(account, properties={"old": "x", "plan": "pro"})
    definition_archive(definition=archived, actor=TESTS)

    customer_profile_change(
        account=account,
        customer=ann,
        writes=[PropertyWrite("old", None)],
        unassign_unnamed=True,
    )

    assert values_of(ann) == {"old": "x"}


def test_change_refusing_a_field_keeps_every_part_unchanged(account):
    make_customer(account, "taken@example.com")
    ann = make_customer(account, "ann@example.com", {"plan": "pro"}, ["vip"])

    with pytest.raises(Conflict):
        customer_profile_change(
            account=account,
            customer=ann,
            fields={"email": "taken@example.com"},
            writes=[PropertyWrite("plan", "free")],
            tags=[],
        )

    assert values_of(ann) == {"plan": "pro"}
    assert tag_names(ann) == ["vip"]


def test_save_without_property_writes_returns_an_empty_result(account):
    customer, result = customer_profile_save(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        fields={"first_name": "Ann"},
    )

    assert (result.written, result.refused) == ([], [])
    assert Customer.objects.get(pk=customer.pk).first_name == "Ann"


def test_save_creates_new_definitions_with_the_given_source(account):
    customer, _ = customer_profile_save(
        account=account,
        identifier=Identifier("email", "ann@example.com"),
        writes=[PropertyWrite("plan", "pro")],
        source=DefinitionSource.IMPORT,
    )

    assert PropertyDefinition.objects.get(account=account, key="plan").source == "import"
    assert values_of(customer) == {"plan": "pro"}


def test_change_without_unassign_unnamed_keeps_the_unnamed_values(account):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3})

    customer_profile_change(account=account, customer=ann, writes=[PropertyWrite("plan", "x")])

    assert values_of(ann) == {"plan": "x", "seats": 3.0}


def test_a_replacing_change_stores_new_keys_and_clears_held_ones_it_names(account):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3})

    customer_profile_change(
        account=account,
        customer=ann,
        writes=[PropertyWrite("fresh", "y"), PropertyWrite("plan", None)],
        unassign_unnamed=True,
        keep_keys=frozenset({"seats"}),
    )

    assert values_of(ann) == {"fresh": "y", "seats": 3.0}
