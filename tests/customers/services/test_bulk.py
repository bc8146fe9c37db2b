"""customers.services.bulk: many customers' profiles in one transaction, each checked alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.identifiers import Identifier
from customers.models import Customer, PropertyDefinition, PropertyValue, Tag
from customers.services import (
    ProfileWrite,
    PropertyWrite,
    bulk,
    customers_properties_save_many,
)
from customers.values import PropertyType
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import make_customer, make_definition, make_tags

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


def saved(account, *items, **options):
    return customers_properties_save_many(account=account, items=list(items), **options)


def test_an_item_reports_what_it_wrote_in_the_order_sent(account):
    make_customer(account, "a@example.com", {"old": "x"})

    (outcome,) = saved(
        account,
        item("a@example.com", ("zeta", "1", "integer"), ("old", None, None), ("alpha", "a", None)),
    )

    written = [(w.key, w.type, w.value, w.updated_at is not None) for w in outcome.result.written]
    assert written == [
        ("zeta", "integer", 1.0, True),
        ("old", "text", None, False),
        ("alpha", "text", "a", True),
    ]
    stored = PropertyValue.objects.filter(customer__email="a@example.com")
    assert sorted(stored.values_list("definition__key", flat=True)) == ["alpha", "zeta"]
    customer = Customer.objects.get()
    assert outcome.result.written[0].updated_at == customer.updated_at


def test_the_saved_customer_reads_as_stored(account):
    (outcome,) = saved(account, item("a@example.com", ("plan", "pro", None)))

    stored = Customer.objects.get()
    customer = outcome.customer
    assert (customer.pk, customer.uuid, customer.email, customer.account) == (
        stored.pk,
        stored.uuid,
        "a@example.com",
        account,
    )
    assert customer.updated_at == stored.updated_at
    assert outcome.customer is customer


def test_a_refused_item_has_no_customer(account):
    (outcome,) = saved(account, item("a@example.com", first_name="x" * 300))

    assert (outcome.customer_id, outcome.customer, outcome.saved) == (None, None, False)
    assert outcome.error.message == "first_name is at most 150 characters, without NUL characters."
    assert not Customer.objects.exists()


def test_unassigning_a_key_never_defined_writes_nothing(account):
    (outcome,) = saved(account, item("a@example.com", ("ghost", None, None)))

    assert outcome.saved
    assert (outcome.result.written, outcome.result.refused) == ([], [])
    assert not PropertyDefinition.objects.exists()
    assert Customer.objects.get().email == "a@example.com"


def test_nothing_to_save_makes_no_query(account, django_assert_num_queries):
    with django_assert_num_queries(0):
        outcomes = saved(account, item("a@example.com", first_name="x" * 300))

    assert [o.saved for o in outcomes] == [False]


def test_new_definitions_are_labelled_from_the_key_or_the_write_and_sourced(account):
    saved(
        account,
        ProfileWrite(
            Identifier("email", "a@example.com"),
            writes=[
                PropertyWrite("plan_tier", "pro"),
                PropertyWrite("seats", 3, label="Seats bought"),
                PropertyWrite("long", "x", label="L" * 250),
            ],
        ),
        source="import",
    )

    stored = PropertyDefinition.objects.order_by("key").values_list("key", "label", "source")
    assert list(stored) == [
        ("long", "L" * 200, "import"),
        ("plan_tier", "Plan tier", "import"),
        ("seats", "Seats bought", "import"),
    ]


def test_a_default_type_applies_to_keys_created_without_one(account):
    saved(
        account,
        item("a@example.com", ("code", 42, None), ("count", "7", "integer")),
        item("b@example.com", ("zip", 1234, None)),
        default_type=PropertyType.TEXT,
    )

    types = dict(PropertyDefinition.objects.values_list("key", "type"))
    assert types == {"code": "text", "count": "integer", "zip": "text"}
    assert PropertyValue.objects.get(definition__key="zip").value_text == "1234"


def test_an_invalid_key_is_refused_in_each_item_that_sends_it(account):
    outcomes = saved(
        account,
        item("a@example.com", ("Bad Key", "x", None), ("plan", "a", None)),
        item("b@example.com", ("Bad Key", "y", None)),
    )

    assert [[r.key for r in o.result.refused] for o in outcomes] == [["Bad Key"], ["Bad Key"]]
    assert [r.error.code for o in outcomes for r in o.result.refused] == ["invalid_key"] * 2
    assert outcomes[0].result.refused[0].error is not outcomes[1].result.refused[0].error
    assert [w.key for w in outcomes[0].result.written] == ["plan"]
    assert list(PropertyDefinition.objects.values_list("key", flat=True)) == ["plan"]


def test_a_valid_key_shared_by_items_is_written_for_each(account):
    outcomes = saved(
        account,
        item("a@example.com", ("plan", "a", None), ("Bad", "x", None)),
        item("b@example.com", ("plan", "b", None), ("Bad", "y", None)),
    )

    assert [[w.key for w in o.result.written] for o in outcomes] == [["plan"], ["plan"]]
    assert sorted(PropertyValue.objects.values_list("value_text", flat=True)) == ["a", "b"]


def test_all_or_nothing_names_every_refused_property_of_the_item(account):
    make_definition(account, "seats", "integer")

    (outcome,) = saved(
        account,
        item("a@example.com", ("seats", "many", None), ("Bad Key", "x", None), ("ok", "y", None)),
        all_or_nothing=True,
    )

    assert outcome.error.code == "invalid_key"
    refused = outcome.error.details["properties"]
    assert {key: r["code"] for key, r in refused.items()} == {
        "Bad Key": "invalid_key",
        "seats": "invalid_value",
    }
    assert refused["seats"]["message"] == (
        'Expected a whole number for an integer property, got "many".'
    )
    assert outcome.error.message == refused["Bad Key"]["message"]
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.filter(key="ok").exists()


def test_without_all_or_nothing_the_other_properties_are_saved(account):
    (outcome,) = saved(
        account, item("a@example.com", ("s2", "x", "integer"), ("seats", "3", "integer"))
    )

    assert outcome.saved
    assert [r.key for r in outcome.result.refused] == ["s2"]
    assert PropertyValue.objects.get().value_number == 3.0


def test_definitions_beyond_the_limit_are_refused_counting_earlier_items(account, settings):
    settings.CONTACTS_MAX_DEFINITIONS = 3
    make_definition(account, "plan")

    outcomes = saved(
        account,
        item("a@example.com", ("one", "x", None), ("plan", "p", None)),
        item("b@example.com", ("two", "x", None)),
        item("c@example.com", ("three", "x", None), ("plan", "q", None), ("Bad", "x", None)),
    )

    assert [o.saved for o in outcomes] == [True, True, True]
    refused = outcomes[2].result.refused
    assert [(r.key, r.error.code) for r in refused] == [
        ("Bad", "invalid_key"),
        ("three", "too_many_definitions"),
    ]
    assert refused[1].error.message == (
        "This account may hold at most 3 properties; it has 3. "
        "Archive and delete unused properties on the Contact attributes page."
    )
    assert refused[1].error.details == {"max": 3, "existing": 3}
    assert [w.key for w in outcomes[2].result.written] == ["plan"]
    assert sorted(PropertyDefinition.objects.values_list("key", flat=True)) == [
        "one",
        "plan",
        "two",
    ]


def test_all_or_nothing_items_refused_for_the_limit_do_not_count(account, settings):
    settings.CONTACTS_MAX_DEFINITIONS = 1

    outcomes = saved(
        account,
        item("a@example.com", ("one", "x", None), ("two", "x", None)),
        item("b@example.com", ("three", "x", None)),
        all_or_nothing=True,
    )

    assert [o.saved for o in outcomes] == [False, True]
    assert outcomes[0].error.code == "too_many_definitions"
    assert outcomes[0].error.details["existing"] == 0
    assert list(PropertyDefinition.objects.values_list("key", flat=True)) == ["three"]


def test_items_writing_known_keys_never_count_the_definitions(account):
    make_definition(account, "plan")
    make_customer(account, "a@example.com")

    with CaptureQueriesContext(connection) as queries:
        saved(account, item("a@example.com", ("plan", "x", None)))

    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_a_customer_is_stamped_only_when_a_property_is_written_or_a_field_changes(account):
    for email in ("same@example.com", "field@example.com", "prop@example.com"):
        make_customer(account, email, first_name="Ann", company="Acme")
    before = dict(Customer.objects.values_list("email", "updated_at"))

    saved(
        account,
        item("same@example.com", first_name="Ann"),
        item("field@example.com", first_name="Bea"),
        item("prop@example.com", ("plan", "x", None)),
    )

    after = {c.email: c for c in Customer.objects.all()}
    assert after["same@example.com"].updated_at == before["same@example.com"]
    assert after["field@example.com"].updated_at > before["field@example.com"]
    assert after["prop@example.com"].updated_at > before["prop@example.com"]
    assert (after["field@example.com"].first_name, after["field@example.com"].company) == (
        "Bea",
        "Acme",
    )
    assert (after["prop@example.com"].first_name, after["prop@example.com"].company) == (
        "Ann",
        "Acme",
    )


def test_fields_not_sent_keep_their_values_and_a_null_field_is_emptied(account):
    make_customer(account, "a@example.com", first_name="Ann", last_name="Lee", company="Acme")

    saved(account, item("a@example.com", last_name=None, company="Initech"))

    customer = Customer.objects.get()
    assert (customer.first_name, customer.last_name, customer.company) == ("Ann", "", "Initech")


def test_a_new_customer_gets_the_fields_sent_and_empty_others(account):
    (outcome,) = saved(account, item("a@example.com", company="Acme"))

    customer = Customer.objects.get()
    assert (customer.first_name, customer.last_name, customer.company) == ("", "", "Acme")
    assert customer.pk == outcome.customer_id


def test_only_contact_text_fields_are_set_in_bulk(account):
    with pytest.raises(ValueError, match="email is not a contact field"):
        saved(account, ProfileWrite(Identifier("email", "a@example.com"), {"email": "b@x.com"}))

    assert not Customer.objects.exists()


def test_tags_are_made_once_with_the_default_color_and_added_to_each_customer(account):
    make_tags(account, "vip", color="#ff0000")

    saved(
        account,
        ProfileWrite(Identifier("email", "a@example.com"), tags=[" vip", "new", "vip"]),
        ProfileWrite(Identifier("email", "b@example.com"), tags=["new"]),
        ProfileWrite(Identifier("email", "c@example.com")),
    )

    assert dict(Tag.objects.values_list("name", "color")) == {
        "vip": "#ff0000",
        "new": Tag.DEFAULT_COLOR,
    }
    tags = {c.email: sorted(c.tags.values_list("name", flat=True)) for c in Customer.objects.all()}
    assert tags == {"a@example.com": ["new", "vip"], "b@example.com": ["new"], "c@example.com": []}


def test_another_accounts_tag_of_the_same_name_is_not_added(account, other_account):
    make_tags(other_account, "vip")

    saved(account, ProfileWrite(Identifier("email", "a@example.com"), tags=["vip"]))

    (tag,) = Customer.objects.get().tags.all()
    assert tag.account_id == account.pk
    assert Tag.objects.count() == 2


def test_the_last_item_of_a_customer_wins_for_each_key(account):
    make_customer(account, "a@example.com", {"gone": "x"})

    saved(
        account,
        item("a@example.com", ("plan", "free", None), ("gone", None, None), ("seat", "1", None)),
        item("a@example.com", ("plan", "pro", None), ("gone", "back", None), ("seat", None, None)),
    )

    stored = dict(PropertyValue.objects.values_list("definition__key", "value_text"))
    assert stored == {"plan": "pro", "gone": "back"}


def test_writes_larger_than_a_statement_are_sent_in_several(account, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 2)
    emails = [f"c{n}@example.com" for n in range(5)]
    for email in emails:
        make_customer(account, email, {"gone": "x"})

    outcomes = saved(
        account,
        *[
            ProfileWrite(
                Identifier("email", email),
                writes=[
                    PropertyWrite(f"k{n}", n),
                    PropertyWrite("plan", "p"),
                    PropertyWrite("gone", None),
                ],
                tags=[f"t{n}", "all"],
            )
            for n, email in enumerate(emails)
        ],
        ProfileWrite(Identifier("user_id", "u1"), fields={"company": "Acme"}),
    )

    assert all(o.saved and not o.result.refused for o in outcomes)
    assert Customer.objects.count() == 6
    assert PropertyDefinition.objects.count() == 7
    assert not PropertyValue.objects.filter(definition__key="gone").exists()
    assert PropertyValue.objects.filter(definition__key="plan").count() == 5
    assert sorted(
        PropertyValue.objects.filter(definition__key__startswith="k").values_list(
            "value_number", flat=True
        )
    ) == [0, 1, 2, 3, 4]
    for n, email in enumerate(emails):
        names = Customer.objects.get(email=email).tags.values_list("name", flat=True)
        assert sorted(names) == ["all", f"t{n}"]


def test_a_key_created_meanwhile_with_another_type_is_refused_to_its_writers(account, monkeypatch):
    plan_items = bulk._plan_items

    def planned_then_created_elsewhere(*args):
        planned = plan_items(*args)
        # Another request creates the key after this one planned, before it writes.
        make_definition(account, "seats", "text")
        make_definition(account, "gone", "integer", archived=True)
        return planned

    monkeypatch.setattr(bulk, "_plan_items", planned_then_created_elsewhere)

    outcomes = saved(
        account,
        item("a@example.com", ("seats", 3, "integer"), ("plan", "x", None)),
        item("b@example.com", ("gone", 2, "integer")),
        item("c@example.com", ("plan", "y", None)),
    )

    assert [o.saved for o in outcomes] == [True, True, True]
    (seats,) = outcomes[0].result.refused
    assert (seats.key, seats.error.code) == ("seats", "type_conflict")
    assert seats.error.message == (
        'Property "seats" was just created as text; this write needs integer.'
    )
    assert seats.error.details == {"key": "seats", "type": "text", "requested": "integer"}
    assert [r.key for r in outcomes[1].result.refused] == ["gone"]
    assert sorted(PropertyValue.objects.values_list("value_text", flat=True)) == ["x", "y"]


def test_all_or_nothing_refuses_items_whose_key_was_created_meanwhile(account, monkeypatch):
    plan_items = bulk._plan_items

    def planned_then_created_elsewhere(*args):
        planned = plan_items(*args)
        make_definition(account, "seats", "text")
        return planned

    monkeypatch.setattr(bulk, "_plan_items", planned_then_created_elsewhere)

    outcomes = saved(
        account,
        item("a@example.com", ("seats", 3, "integer"), ("plan", "x", None)),
        item("b@example.com", ("plan", "y", None)),
        all_or_nothing=True,
    )

    assert [o.saved for o in outcomes] == [False, True]
    assert outcomes[0].error.code == "type_conflict"
    assert set(outcomes[0].error.details["properties"]) == {"seats"}
    assert list(Customer.objects.values_list("email", flat=True)) == ["b@example.com"]
    assert list(PropertyValue.objects.values_list("value_text", flat=True)) == ["y"]


def test_the_number_of_statements_does_not_grow_with_the_number_of_customers(account):
    make_definition(account, "plan")
    make_tags(account, "vip")

    def statements_for(count, start):
        items = [
            ProfileWrite(
                Identifier("email", f"c{n}@example.com"),
                fields={"company": "Acme"},
                writes=[PropertyWrite("plan", "pro"), PropertyWrite("gone", None)],
                tags=["vip"],
            )
            for n in range(start, start + count)
        ]
        with CaptureQueriesContext(connection) as queries:
            outcomes = saved(account, *items)
        assert all(o.saved for o in outcomes)
        return len(queries.captured_queries)

    assert statements_for(1, 0) == statements_for(5, 100)
    assert Customer.objects.count() == 6


def test_a_customer_row_missing_from_the_upsert_fails_the_whole_save(account, monkeypatch):
    upsert_rows = bulk._customers_upsert_rows
    monkeypatch.setattr(bulk, "_customers_upsert_rows", lambda *args: upsert_rows(*args)[1:])

    with pytest.raises(RuntimeError, match=r"^the customers upsert returned fewer rows than"):
        saved(account, item("a@example.com", ("plan", "a", None)), item("b@example.com"))

    assert not PropertyValue.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_a_value_planned_once_is_not_taken_for_an_equal_value_of_another_kind(account):
    make_definition(account, "seats", "integer")
    make_definition(account, "vip", "boolean")

    outcomes = customers_properties_save_many(
        account=account,
        items=[
            item("a@example.com", ("seats", 1, None), ("vip", 1, None)),
            item("b@example.com", ("seats", True, None), ("vip", True, None)),
            item("c@example.com", ("seats", 1.0, None), ("vip", "1", None)),
        ],
    )

    refused = [[r.key for r in o.result.refused] for o in outcomes]
    assert refused == [[], ["seats"], []]
    stored = {
        (v.customer.email, v.definition.key): v.value_number
        if v.value_boolean is None
        else v.value_boolean
        for v in PropertyValue.objects.select_related("customer", "definition")
    }
    assert stored == {
        ("a@example.com", "seats"): 1.0,
        ("a@example.com", "vip"): True,
        ("b@example.com", "vip"): True,
        ("c@example.com", "seats"): 1.0,
        ("c@example.com", "vip"): True,
    }
