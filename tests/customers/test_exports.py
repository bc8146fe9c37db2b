"""customers.exports: a filtered customers list as CSV, in wire form, safe in spreadsheets."""

import csv
import io

import pytest
from django.db import connection

from customers.exports import CUSTOMER_COLUMNS, _Layout, _RenderedLayout, customers_csv
from customers.selectors import customers_filtered, definitions_active
from customers.services import PropertyWrite, definition_archive
from tests.factories import TESTS, make_customer, make_definition


def exported(account, **filters) -> list[dict]:
    """Return the exported rows by column, a property's column named by its key alone."""
    lines = customers_csv(account=account, customers=customers_filtered(account=account, **filters))
    reader = csv.reader(io.StringIO("".join(lines)))
    header = [name.partition(":")[0] for name in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]


def test_the_header_names_the_customer_columns_then_each_active_key(account, other_account):
    make_definition(account, "plan")
    make_definition(account, "age", "integer")
    make_definition(account, "old", archived=True)
    make_definition(other_account, "secret")

    header = next(customers_csv(account=account, customers=customers_filtered(account=account)))

    assert next(csv.reader([header])) == [*CUSTOMER_COLUMNS, "age:integer", "plan:text"]


def test_each_customer_is_a_row_of_wire_values_newest_first(account):
    ann = make_customer(
        account,
        "ann@example.com",
        [
            PropertyWrite("vip", True, "boolean"),
            PropertyWrite("seats", 12, "integer"),
            PropertyWrite("ltv", 15.5, "number"),
            PropertyWrite("trial_ends", "2026-06-01", "date"),
            PropertyWrite("interests", ["golf", "chess"], "collection"),
        ],
        ["vip", "lead"],
        user_id="usr_1",
        phone="+14155550123",
        first_name="Ann",
        company="Acme",
    )
    make_customer(account, "bob@example.com", {"vip": False})

    rows = exported(account)

    assert [row["email"] for row in rows] == ["bob@example.com", "ann@example.com"]
    assert rows[1] == {
        "customer_id": str(ann.pk),
        "customer_uuid": str(ann.uuid),
        "email": "ann@example.com",
        "user_id": "usr_1",
        "visitor_id": "",
        "phone": "+14155550123",
        "first_name": "Ann",
        "last_name": "",
        "company": "Acme",
        "tags": "lead, vip",
        "interests": "golf, chess",
        "ltv": "15.5",
        "seats": "12",
        "trial_ends": "2026-06-01T00:00:00+00:00",
        "vip": "true",
    }
    assert (rows[0]["vip"], rows[0]["seats"], rows[0]["tags"]) == ("false", "", "")


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(account):
    make_customer(
        account,
        "ann@example.com",
        {"note": '=HYPERLINK("http://x")', "tagline": "+1 idea", "score": -5},
        ["@home"],
        company="-Acme",
    )

    (row,) = exported(account)

    assert row["note"] == '\'=HYPERLINK("http://x")'
    assert row["tagline"] == "'+1 idea"
    assert (row["company"], row["tags"]) == ("'-Acme", "'@home")
    assert row["score"] == "-5"  # a number stays a number


def test_only_the_filtered_customers_are_exported_and_archived_values_left_out(account):
    old = make_definition(account, "old")
    make_customer(account, "ann@example.com", {"plan": "pro", "old": "x"})
    make_customer(account, "bob@example.com", {"plan": "free"})
    definition_archive(definition=old, actor=TESTS)

    rows = exported(account, search="ann")

    assert [(row["email"], row["plan"]) for row in rows] == [("ann@example.com", "pro")]
    assert "old" not in rows[0]


def _rendered_by_python_and_by_the_database(account) -> tuple[str, str]:
    definitions = definitions_active(account=account)
    customers = customers_filtered(account=account).order_by("-id")
    by_python = _Layout(definitions).csv(list(customers.values_list(*_Layout.fields)))
    by_database = _RenderedLayout(definitions).csv(list(customers.values_list("id")))
    return by_python, by_database


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL renders the cells")
def test_the_database_renders_every_cell_as_python_does(account):
    make_customer(
        account,
        "ann@example.com",
        [
            PropertyWrite("note", "=SUM(A1), 'q', \"d\"\nnext\ttab \\ é", "text"),
            PropertyWrite("quote", "'quoted", "text"),
            PropertyWrite("tab", "\tx", "text"),
            PropertyWrite("site", "https://example.com/a?b=c,d", "url"),
            PropertyWrite("zero", -0.0, "number"),
            PropertyWrite("small", 1e-7, "number"),
            PropertyWrite("tenth", 0.1, "number"),
            PropertyWrite("big", 1e20, "number"),
            PropertyWrite("safe", 2**53, "number"),
            PropertyWrite("negative", -123456.789, "number"),
            PropertyWrite("seats", 12, "integer"),
            PropertyWrite("vip", False, "boolean"),
            PropertyWrite("joined", "2026-06-01T10:11:12.345678Z", "date"),
            PropertyWrite("renewed", "1999-12-31T23:59:59+02:00", "date"),
            PropertyWrite("interests", ["golf, indoor", "chess"], "collection"),
            PropertyWrite("drafts", ["[draft]", "x"], "collection"),
            PropertyWrite("formula", ["=x", "y é"], "collection"),
            PropertyWrite("escapes", ['a "q"', "b\\c", "new\nline", "\u0001"], "collection"),
            PropertyWrite("empty", [], "collection"),
            PropertyWrite("meta", {"b": [1, 2.5, "x"], "a": {"k": None}, "é": "ü"}, "json"),
        ],
        ["vip", "=danger", "Beta", "alpha"],
        user_id="-u1",
        phone="+14155550123",
        first_name="@Ann",
        last_name="Ünïcode",
        company="+Acme, Inc",
    )
    make_customer(account, "bob@example.com", {"plan": "free", "seats": 3})
    make_customer(account, user_id="only-user")

    by_python, by_database = _rendered_by_python_and_by_the_database(account)

    assert by_database == by_python
