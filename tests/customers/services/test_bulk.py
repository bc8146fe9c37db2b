"""customers.services.bulk: many customers' profiles in one transaction, each checked alone."""

import pytest

from customers.identifiers import Identifier
from customers.models import Customer, PropertyDefinition, PropertyValue
from customers.services import ProfileWrite, PropertyWrite, customers_properties_save_many
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import make_customer, make_definition

ROUNDS = 3


def item(email, *writes, **fields):
    return ProfileWrite(
        identifier=Identifier("email", email),
        fields=fields,
        writes=[PropertyWrite(k, v, t) for k, v, t in writes],
    )


def test_all_or_nothing_refuses_only_the_item_with_a_refused_property(account):
    outcomes = customers_properties_save_many(
        account=account,
        items=[
            item("a@example.com", ("seats", "many", "integer"), ("plan", "pro", None)),
            item("b@example.com", ("plan", "free", None)),
        ],
        all_or_nothing=True,
    )

    assert [o.saved for o in outcomes] == [False, True]
    assert outcomes[0].error.code == "invalid_value"
    assert set(outcomes[0].error.details["properties"]) == {"seats"}
    assert list(Customer.objects.values_list("email", flat=True)) == ["b@example.com"]
    # The refused item's new key is not created; the saved item's is.
    assert list(PropertyDefinition.objects.values_list("key", flat=True)) == ["plan"]


def test_user_id_items_are_saved_alongside_email_items(account):
    outcomes = customers_properties_save_many(
        account=account,
        items=[
            ProfileWrite(Identifier("user_id", "u1"), writes=[PropertyWrite("plan", "a")]),
            item("a@example.com", ("plan", "b", None)),
        ],
    )

    assert all(o.saved for o in outcomes)
    assert outcomes[0].customer.pk == Customer.objects.get(user_id="u1").pk
    assert PropertyValue.objects.get(customer__user_id="u1").value_text == "a"
    assert PropertyValue.objects.get(customer__email="a@example.com").value_text == "b"


def test_a_key_an_earlier_item_creates_gives_its_type_to_later_items(account):
    outcomes = customers_properties_save_many(
        account=account,
        items=[
            item("a@example.com", ("seats", "3", "integer")),
            item("b@example.com", ("seats", "many", None)),
        ],
    )

    assert [o.saved for o in outcomes] == [True, True]
    assert outcomes[1].result.refused[0].key == "seats"
    assert outcomes[1].result.refused[0].error.code == "invalid_value"
    assert PropertyDefinition.objects.get(key="seats").type == "integer"
    assert list(PropertyValue.objects.values_list("customer__email", "value_number")) == [
        ("a@example.com", 3.0)
    ]


def test_items_of_one_identifier_make_one_customer_the_later_one_winning(account):
    outcomes = customers_properties_save_many(
        account=account,
        items=[
            item("a@example.com", ("plan", "free", None), first_name="Ann"),
            item("a@example.com", ("plan", "pro", None), company="Acme"),
        ],
    )

    assert outcomes[0].customer_id == outcomes[1].customer_id
    customer = Customer.objects.get()
    assert (customer.first_name, customer.company) == ("Ann", "Acme")
    assert PropertyValue.objects.get().value_text == "pro"


def test_an_item_with_an_invalid_tag_is_refused_whole_and_others_are_saved(account):
    outcomes = customers_properties_save_many(
        account=account,
        items=[
            ProfileWrite(Identifier("email", "a@example.com"), tags=["t" * 101]),
            ProfileWrite(Identifier("email", "b@example.com"), tags=["vip"]),
        ],
    )

    assert [o.saved for o in outcomes] == [False, True]
    assert outcomes[0].customer_id is None
    assert list(Customer.objects.values_list("email", flat=True)) == ["b@example.com"]
    assert list(Customer.objects.get().tags.values_list("name", flat=True)) == ["vip"]


def test_existing_customers_and_definitions_are_updated_not_duplicated(account):
    ann = make_customer(account, "a@example.com", {"plan": "free"})
    make_definition(account, "seats", "integer")

    outcomes = customers_properties_save_many(
        account=account,
        items=[item("a@example.com", ("plan", "pro", None), ("seats", "4", None))],
    )

    assert outcomes[0].customer_id == ann.pk
    assert Customer.objects.count() == 1
    assert PropertyDefinition.objects.count() == 2
    plan = PropertyValue.objects.get(customer=ann, definition__key="plan")
    seats = PropertyValue.objects.get(customer=ann, definition__key="seats")
    assert (plan.stored, seats.stored) == ("pro", 4.0)


def test_identifiers_that_never_create_are_refused(account):
    with pytest.raises(ValueError, match="customer_id"):
        customers_properties_save_many(
            account=account, items=[ProfileWrite(Identifier("customer_id", 1))]
        )

    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_the_same_customers_and_new_keys_all_succeed(account):
    def write(n):
        # Each writer sends the customers in another order: none may deadlock another.
        emails = [f"c{(n + i) % WRITERS}@example.com" for i in range(WRITERS)]
        for _ in range(ROUNDS):
            outcomes = customers_properties_save_many(
                account=account,
                items=[
                    item(e, ("shared", n, "integer"), (f"key_{n}", "x", None), first_name=f"W{n}")
                    for e in emails
                ],
            )
            assert all(o.saved and not o.result.refused for o in outcomes)

    errors = run_concurrently(write, WRITERS)

    assert errors == []
    assert Customer.objects.count() == WRITERS
    assert PropertyDefinition.objects.filter(key="shared").count() == 1
    assert PropertyValue.objects.count() == WRITERS * (1 + WRITERS)


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_of_a_key_with_other_types_get_a_refusal_not_an_error(account):
    types = ["integer", "text", "boolean"]

    def write(n):
        type_ = types[n % len(types)]
        value = {"integer": 1, "text": "t", "boolean": True}[type_]
        outcomes = customers_properties_save_many(
            account=account, items=[item(f"c{n}@example.com", ("contested", value, type_))]
        )
        (outcome,) = outcomes
        assert outcome.saved
        written, refused = outcome.result.written, outcome.result.refused
        assert len(written) + len(refused) == 1
        assert all(r.error.code == "type_conflict" for r in refused)

    errors = run_concurrently(write, WRITERS)

    assert errors == []
    definition = PropertyDefinition.objects.get(key="contested")
    stored = PropertyValue.objects.filter(definition=definition)
    assert stored.count() == sum(1 for n in range(WRITERS) if types[n % 3] == definition.type)
    assert Customer.objects.count() == WRITERS
