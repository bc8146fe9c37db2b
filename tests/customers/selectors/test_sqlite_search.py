"""The indexed search (`q`) and collection items (`contains`): the customers found equal a
brute-force reading of the stored rows, after every kind of write; on SQLite the side tables
of migration 0009 (FTS5 trigrams, items) stay exactly what the rows say, and the plans read
them instead of every customer."""

import importlib
import io
import json
import random
import re

import pytest
from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import Upper

from customers.conditions import Condition, Operator
from customers.models import Customer, PropertyValue, customer_search_text
from customers.selectors import customers_filtered, sqlite_search
from customers.services import (
    PropertyWrite,
    customer_delete,
    customer_profile_merge,
    customer_update,
    definition_archive,
    definition_purge,
    property_unassign,
)
from customers.services.imports import csv_rows, customers_import
from customers.services.type_changes import definition_type_change
from tests.factories import TESTS, make_customer

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's side tables (migration 0009)"
)
SEARCHED = ("email", "user_id", "visitor_id", "phone", "first_name", "last_name", "company")
# No letter whose upper case differs between SQLite (ASCII only) and PostgreSQL (Unicode):
# the same brute force holds on both. "é" appears, but never "É".
LETTERS = 'abcdeABCDE xyzXYZ01é.@_-%"\\'
ITEMS = ["golf", "Golf", "CHESS", "chess", "yoga", "dé", "50%", "a_b", 'say "hi"', "x\\y"]
TERMS_OF_LENGTH = (1, 2, 3, 3, 4, 5, 8)


def _ascii_upper(text: str) -> str:
    return "".join(c.upper() if c.isascii() else c for c in text)


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def _word(rng: random.Random, least: int = 2, most: int = 9) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(least, most))).strip()


def _populate(account, rng: random.Random, n: int, prefix: str) -> None:
    for i in range(n):
        writes = []
        if rng.random() < 0.8:
            writes.append(
                PropertyWrite("interests", rng.sample(ITEMS, rng.randint(1, 3)), "collection")
            )
        if rng.random() < 0.5:
            writes.append(PropertyWrite("devices", rng.sample(ITEMS, 2), "collection"))
        if rng.random() < 0.3:
            writes.append(PropertyWrite("motto", rng.choice(ITEMS), "text"))
        make_customer(
            account,
            f"{prefix}{i}.{rng.choice(['ann', 'bob', 'zed'])}@x{i % 3}.example",
            writes,
            first_name=_word(rng),
            last_name=_word(rng),
            company=_word(rng, 0, 12),
        )


@pytest.fixture
def world(account, other_account):
    """Thirty customers of random contact fields and lists, and twelve in another account
    (the same words), so that every search also tests that accounts stay apart."""
    rng = random.Random(20_11)
    _populate(account, rng, 30, "c")
    _populate(other_account, random.Random(20_11), 12, "o")
    return rng


def _terms(account, rng: random.Random, count: int = 25) -> list[str]:
    """Substrings of the account's texts in random case, and random words."""
    texts = [_text(c) for c in Customer.objects.filter(account=account)]
    terms = ['"', 'e "', "%", "_b", "\\", "é", "xample", "EXAMPLE", "zzz"]
    for _ in range(count):
        text = rng.choice(texts)
        length = rng.choice(TERMS_OF_LENGTH)
        start = rng.randint(0, max(0, len(text) - length))
        term = "".join(
            c.swapcase() if c.isascii() and rng.random() < 0.4 else c
            for c in text[start : start + length]
        )
        terms.append(term.strip() or "a")
    terms += [_word(rng, 3, 5) for _ in range(5)]
    return terms


def _text(customer: Customer) -> str:
    return " ".join(getattr(customer, name) or "" for name in SEARCHED)


def _found(account, **filters) -> set[int]:
    return set(customers_filtered(account=account, **filters).values_list("pk", flat=True))


def _searched(account, term: str) -> set[int]:
    return {
        c.pk
        for c in Customer.objects.filter(account=account)
        if _ascii_upper(term) in _ascii_upper(_text(c))
    }


def _holding(account, key: str, item: str) -> set[int]:
    wanted = _ascii_lower(item.strip())
    return {
        customer_id
        for customer_id, items in PropertyValue.objects.filter(
            customer__account=account, definition__key=key, value_list__isnull=False
        ).values_list("customer_id", "value_list")
        if any(_ascii_lower(i) == wanted for i in items)
    }


def _assert_searches_and_items_match(account, rng: random.Random) -> None:
    everyone = set(Customer.objects.filter(account=account).values_list("pk", flat=True))
    for term in _terms(account, rng):
        assert _found(account, search=term) == _searched(account, term), term
    for item in [*ITEMS, " GOLF ", "absent"]:
        holding = _holding(account, "interests", item)
        for operator, expected in (
            (Operator.CONTAINS, holding),
            (Operator.EQUALS, holding),
            (Operator.NOT_CONTAINS, everyone - holding),
            (Operator.NOT_EQUALS, everyone - holding),
        ):
            condition = Condition("interests", operator, item)
            assert _found(account, conditions=[condition]) == expected, (operator, item)


def _assert_side_tables_exact() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, text FROM customers_customer_search")
        indexed = dict(cursor.fetchall())
        cursor.execute(
            "SELECT value_id, customer_id, definition_id, item FROM customers_collection_item"
        )
        items = set(cursor.fetchall())
    assert indexed == {c.pk: _text(c) for c in Customer.objects.all()}
    assert items == {
        (pk, customer_id, definition_id, _ascii_lower(item))
        for pk, customer_id, definition_id, stored in PropertyValue.objects.filter(
            value_list__isnull=False
        ).values_list("pk", "customer_id", "definition_id", "value_list")
        if isinstance(stored, list)
        for item in stored
        if isinstance(item, str)
    }


def test_search_and_items_find_exactly_what_the_rows_hold(account, world):
    _assert_side_tables_exact()
    _assert_searches_and_items_match(account, world)


def test_another_accounts_customers_are_never_found(account, other_account, world):
    theirs = set(Customer.objects.filter(account=other_account).values_list("pk", flat=True))
    for term in ["example", "xampl", "@x1", *_terms(other_account, world)]:
        assert not _found(account, search=term) & theirs
        assert _found(other_account, search=term) == _searched(other_account, term)
    for item in ITEMS:
        condition = Condition("interests", Operator.CONTAINS, item)
        assert not _found(account, conditions=[condition]) & theirs
        not_condition = Condition("interests", Operator.NOT_CONTAINS, item)
        assert not _found(account, conditions=[not_condition]) & theirs


def test_every_kind_of_write_keeps_them_exact(account, world):
    rng = world
    customers = list(Customer.objects.filter(account=account).order_by("pk"))

    for customer in customers[:6]:
        customer_update(
            customer=customer, fields={"first_name": _word(rng), "company": _word(rng, 0, 6)}
        )
    customer_update(customer=customers[6], fields={"email": "renamed.zeta@x9.example"})
    make_customer(account, customers[7].email, {"interests": ["Origami", "golf"]})
    make_customer(account, customers[8].email, [PropertyWrite("interests", [], "collection")])
    property_unassign(account=account, customer=customers[9], key="interests")
    _assert_side_tables_exact()
    _assert_searches_and_items_match(account, rng)

    customer_profile_merge(
        account=account, primary=customers[10], secondary=customers[11], actor=TESTS
    )
    customer_profile_merge(
        account=account, primary=customers[12], secondary=customers[13], actor=TESTS
    )
    customer_delete(customer=customers[14])
    _assert_side_tables_exact()
    _assert_searches_and_items_match(account, rng)

    devices = customers[0].values.get(definition__key="devices").definition
    definition_archive(definition=devices, actor=TESTS)
    definition_purge(definition=devices, actor=TESTS)
    csv = (
        "email,first_name,company,interests:collection\n"
        f'{customers[15].email},Quentin,Imported Co,"Knitting,GOLF"\n'
        'new.one@x1.example,Uma,Zebra Works,"yoga,dé"\n'
    )
    result = customers_import(account=account, rows=csv_rows(io.StringIO(csv)))
    assert (result.rows, result.issues_count) == (2, 0)
    _assert_side_tables_exact()
    _assert_searches_and_items_match(account, rng)
    assert _found(account, search="zebra wo") == _searched(account, "zebra wo") != set()
    knitting = Condition("interests", Operator.CONTAINS, "KNITTING")
    assert _found(account, conditions=[knitting]) == {customers[15].pk}


@sqlite_only
def test_results_equal_the_scan_they_replace_in_any_alphabet(account):
    """SQLite's UPPER and LIKE fold ASCII letters only; FTS5 folds every alphabet, so the
    index keeps candidates and the scan's own test decides, as before."""
    for n, name in enumerate(["Émile", "émile", "ÉMILE", "Zoë", "ZOË", 'Quo"te', "50% off"]):
        make_customer(account, f"u{n}@example.com", {"tags2": [name, "Café"]}, first_name=name)
    make_customer(account, "u9@example.com", {"tags2": ["CAFÉ"]})
    for term in ["émi", "ÉMI", "Émile", "mile", "zoë", "ZOË", 'o"t', "% o", "0% "]:
        scanned = Customer.objects.filter(account=account).alias(search_text=customer_search_text())
        scanned = scanned.filter(search_text__contains=Upper(Value(term)))
        assert _found(account, search=term) == set(scanned.values_list("pk", flat=True)), term
    for item in ["café", "CAFÉ", "Café", "émile", "ÉMILE", 'quo"te', "50% OFF"]:
        liked = PropertyValue.objects.filter(definition__key="tags2").filter(
            Q(value_list__icontains=json.dumps(item))
            | Q(value_list__icontains=json.dumps(item, ensure_ascii=False))
        )
        condition = Condition("tags2", Operator.CONTAINS, item)
        assert _found(account, conditions=[condition]) == set(
            liked.values_list("customer_id", flat=True)
        ), item


@sqlite_only
def test_a_rare_search_or_item_is_read_from_the_side_tables_not_every_customer(account, world):
    searched = customers_filtered(account=account, search="xampl")
    holding = customers_filtered(
        account=account, conditions=[Condition("interests", Operator.CONTAINS, "golf")]
    )

    search_plan, items_plan = searched.explain(), holding.explain()

    assert "customers_customer_search VIRTUAL TABLE" in search_plan
    assert "collection_item_lookup (definition_id=? AND item=?)" in items_plan
    for plan in (search_plan, items_plan):
        assert not re.search(r"SCAN customers_customer\b(?!_search)", plan), plan


@sqlite_only
def test_short_terms_read_the_customers_as_before(account, world):
    plan = customers_filtered(account=account, search="xa").explain()

    assert "VIRTUAL TABLE" not in plan
    assert _found(account, search="xa") == _searched(account, "xa")


@sqlite_only
def test_the_migration_fills_the_side_tables_from_existing_rows(account, world):
    migration = importlib.import_module("customers.migrations.0009_sqlite_search")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_UNINSTALL:
            cursor.execute(statement)
        make_customer(account, "unindexed@example.com", {"interests": ["Unindexed"]})
        for statement in migration.SQLITE_INSTALL:
            cursor.execute(statement)

    _assert_side_tables_exact()
    _assert_searches_and_items_match(account, world)


@sqlite_only
def test_the_triggers_that_keep_them_exact_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())

    assert {
        ("customer_search_inserted", "customers_customer"),
        ("customer_search_updated", "customers_customer"),
        ("customer_search_deleted", "customers_customer"),
        ("collection_items_inserted", "customers_propertyvalue"),
        ("collection_items_updated", "customers_propertyvalue"),
        ("collection_items_deleted", "customers_propertyvalue"),
    } <= triggers


def test_a_search_is_one_query_and_on_sqlite_one_probe(account, world, django_assert_num_queries):
    with django_assert_num_queries(2 if connection.vendor == "sqlite" else 1):
        list(customers_filtered(account=account, search="xample"))


@sqlite_only
def test_a_term_most_customers_hold_is_scanned_for_and_a_rare_one_read_from_the_index(
    account, world, monkeypatch
):
    # Thirty-odd customers: as common, relative to their number, as a term every one of
    # 100,000 customers holds is to theirs.
    monkeypatch.setattr(sqlite_search, "COMMON_SCORE", 20)
    rare = Customer.objects.filter(account=account).order_by("pk").first().email.split("@")[0]

    common_plan = customers_filtered(account=account, search="xample").explain()
    rare_plan = customers_filtered(account=account, search=rare).explain()

    assert "VIRTUAL TABLE" not in common_plan
    assert "customers_customer_search VIRTUAL TABLE" in rare_plan
    for term in ("xample", "EXAMPLE", ".example", rare):
        assert _found(account, search=term) == _searched(account, term) != set(), term


def test_a_type_change_to_or_from_a_collection_keeps_items_exact(account, world):
    motto = PropertyValue.objects.filter(definition__key="motto").first().definition
    interests = PropertyValue.objects.filter(definition__key="interests").first().definition

    definition_type_change(
        definition=motto, new_type="collection", actor=TESTS, allow_removal_of=10**6
    )
    _assert_side_tables_exact()
    definition_type_change(
        definition=interests, new_type="json", actor=TESTS, allow_removal_of=10**6
    )
    _assert_side_tables_exact()
    holding = _holding(account, "motto", "golf")
    assert holding
    assert _found(account, conditions=[Condition("motto", Operator.CONTAINS, "GOLF")]) == holding
