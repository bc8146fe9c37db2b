"""customers.services.imports: the rules at the edges of an import (columns, rows, report)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import statements, values
from customers.errors import DomainError, InvalidInput
from customers.models import Customer, PropertyDefinition
from customers.services.imports import columns_plan, csv_rows, customers_import, detected_type
from customers.values import PropertyType
from tests.factories import make_customer, make_definition
from tests.stored import values_of


def imported(account, text: str, **options):
    return customers_import(account=account, rows=csv_rows(io.StringIO(text)), **options)


def issues(result) -> list[tuple]:
    return [(i.row, i.column, i.value, i.reason) for i in result.issues]


def report(result) -> list[list[str]]:
    return list(csv.reader(io.StringIO(result.report_csv())))


def key_error(name: str) -> str:
    with pytest.raises(DomainError) as raised:
        values.normalize_key(name)
    return raised.value.message


# --- The report.


def test_the_report_keeps_its_first_lines_and_counts_the_rest(account, monkeypatch):
    monkeypatch.setattr("customers.services.imports.REPORT_MAX_LINES", 2)

    result = imported(
        account, "email,n:integer\na@example.com,x\nb@example.com,y\nc@example.com,z\n"
    )

    assert result.issues_count == 3
    assert [issue[:3] for issue in issues(result)] == [(2, "n:integer", "x"), (3, "n:integer", "y")]
    assert report(result)[3:] == [["", "", "", "1 more not shown"]]


def test_a_report_within_its_lines_has_no_count_line(account):
    result = imported(account, "email,n:integer\na@example.com,x\nb@example.com,y\n")

    assert result.issues_count == 2
    assert [row[:3] for row in report(result)] == [
        ["row", "column", "value"],
        ["2", "n:integer", "x"],
        ["3", "n:integer", "y"],
    ]


# --- Columns.


def test_a_whole_number_of_sixteen_characters_or_more_is_a_number():
    assert detected_type(["123456789012345"]) == PropertyType.INTEGER
    assert detected_type(["1234567890123456"]) == PropertyType.NUMBER
    assert detected_type(["-12345678901234"]) == PropertyType.INTEGER
    assert detected_type(["-123456789012345"]) == PropertyType.NUMBER


def test_columns_plan_reads_definitions_five_hundred_keys_a_query(
    account, django_assert_num_queries
):
    make_definition(account, "p1000", "integer")
    headers = [f"p{n:04}" for n in range(1001)]

    with django_assert_num_queries(3):
        columns = columns_plan(account=account, headers=headers)

    assert columns[1000].mapping == "p1000:integer"
    assert columns[1000].definition is not None
    assert columns[999].definition is None


def test_columns_plan_reads_labels_only_for_columns_named_by_a_label(
    account, django_assert_num_queries
):
    with django_assert_num_queries(1):
        columns = columns_plan(account=account, headers=["email", "plan_tier", "seats"])
    assert [c.mapping for c in columns] == ["email", "plan_tier:text", "seats:text"]

    with django_assert_num_queries(2):
        columns_plan(account=account, headers=["email", "Plan tier"])


def test_a_new_property_named_by_its_key_gets_the_key_as_its_label(account):
    imported(account, "email,plan_tier,Seats Bought\na@example.com,pro,3\n")

    labels = dict(PropertyDefinition.objects.values_list("key", "label"))
    assert labels == {"plan_tier": "Plan tier", "seats_bought": "Seats Bought"}


def test_sample_rows_shorter_than_the_header_still_type_the_columns(account):
    result = imported(account, "email,n,note\na@example.com,1\nb@example.com,2,\n")

    assert result.issues == []
    assert values_of(Customer.objects.get(email="a@example.com")) == {"n": 1.0}
    assert [
        c.mapping
        for c in columns_plan(
            account=account, headers=["email", "n", "m"], sample=[["a@example.com", "7"]]
        )
    ] == [
        "email",
        "n:integer",
        "m:text",
    ]


def test_columns_mapped_to_nothing_are_skipped_however_many(account):
    result = imported(
        account,
        "Mail,A,B,C\na@example.com,x,y,z\n",
        mapping={"Mail": "email", "A": "", "B": "", "C": "customer_uuid"},
    )

    assert result.issues == []
    assert values_of(Customer.objects.get(email="a@example.com")) == {}


def test_a_key_set_by_two_columns_is_taken_from_the_first_and_the_second_reported(account):
    result = imported(account, "email,plan,plan:text\na@example.com,pro,free\n")

    assert issues(result) == [
        (1, "plan:text", "plan:text", "plan is set by an earlier column too; this one is skipped.")
    ]
    assert values_of(Customer.objects.get(email="a@example.com")) == {"plan": "pro"}


def test_an_identifier_set_by_two_columns_is_taken_from_the_first(account):
    result = imported(account, "email,Email\na@example.com,b@example.com\n")

    assert issues(result) == [
        (1, "Email", "Email", "email is set by an earlier column too; this one is skipped.")
    ]
    assert list(Customer.objects.values_list("email", flat=True)) == ["a@example.com"]


def test_a_type_declared_after_the_last_colon_of_a_header(account):
    (column,) = columns_plan(account=account, headers=["a:b:integer"])

    assert (column.key, column.declared, column.label) == ("a_b", PropertyType.INTEGER, "a:b")
    assert column.mapping == "a_b:integer"


def test_a_header_without_a_usable_key_is_skipped_and_reported(account):
    (column,) = columns_plan(account=account, headers=["!!!"])
    assert (column.header, column.mapping, column.error) == ("!!!", "", key_error("!!!"))

    result = imported(account, "email,!!!\na@example.com,x\n")

    assert issues(result) == [(1, "!!!", "!!!", key_error("!!!"))]
    assert values_of(Customer.objects.get(email="a@example.com")) == {}


def test_an_archived_property_named_by_its_label_is_refused_as_a_column(account):
    make_definition(account, "legacy", label="Old plan", archived=True)

    result = imported(account, "email,Old plan,seats\na@example.com,x,3\n")

    assert issues(result) == [
        (
            1,
            "Old plan",
            "Old plan",
            'Property "legacy" is archived: restore it on the Contact attributes page to '
            "import its values.",
        )
    ]
    assert not PropertyDefinition.objects.filter(key="old_plan").exists()
    assert values_of(Customer.objects.get(email="a@example.com")) == {"seats": 3.0}


# --- The file.


def test_an_empty_file_or_one_without_identifier_columns_is_refused_with_its_reason(account):
    with pytest.raises(InvalidInput) as empty:
        imported(account, "")
    assert empty.value.message == "The file is empty: its first line names the columns."

    with pytest.raises(InvalidInput) as unidentified:
        imported(account, "plan,seats\npro,3\n")
    assert unidentified.value.message == (
        "No column identifies the customers: name one customer_id, user_id, email, visitor_id, "
        "phone."
    )


def test_the_first_thousand_rows_type_a_new_column(account):
    rows = ",1\n" * 999 + "a@example.com,2\nb@example.com,x\n"

    result = imported(account, "email,n\n" + rows)

    assert result.rows == 1001
    assert PropertyDefinition.objects.get(key="n").type == "integer"
    assert issues(result)[-1][:3] == (1002, "n", "x")
    assert values_of(Customer.objects.get(email="a@example.com")) == {"n": 2.0}


def test_a_smaller_sample_types_columns_from_fewer_rows(account):
    result = imported(account, "email,n\na@example.com,1\nb@example.com,x\n", sample_size=1)

    assert result.rows == 2
    assert PropertyDefinition.objects.get(key="n").type == "integer"
    assert [issue[:3] for issue in issues(result)] == [(3, "n", "x")]


# --- Rows.


def test_cells_past_the_last_column_are_reported_on_the_row(account):
    result = imported(account, "email,plan\na@example.com,pro,extra\n")

    assert issues(result) == [
        (2, "", "", "3 cells for 2 columns: the cells past the last column are ignored.")
    ]
    assert values_of(Customer.objects.get(email="a@example.com")) == {"plan": "pro"}


def test_a_row_matched_after_an_unmatched_one_updates_its_customer(account):
    ann = make_customer(account, "ann@example.com")

    result = imported(account, f"customer_id,email,plan\n,new@example.com,pro\n{ann.pk},,free\n")

    assert result.issues == []
    assert values_of(ann) == {"plan": "free"}
    assert values_of(Customer.objects.get(email="new@example.com")) == {"plan": "pro"}


def test_a_customer_without_an_identifier_an_import_saves_by_is_refused(account):
    phoned = make_customer(account, "p@example.com", phone="+14155550123")
    Customer.objects.filter(pk=phoned.pk).update(email=None)
    ann = make_customer(account, "ann@example.com")

    result = imported(account, f"customer_id,plan\n{phoned.pk},pro\n{ann.pk},free\n")

    assert issues(result) == [
        (
            2,
            "",
            "",
            f"Customer #{phoned.pk} has no user_id, email or visitor_id, which an import saves "
            "customers by; add one to the row to set one.",
        )
    ]
    assert values_of(phoned) == {}
    assert values_of(ann) == {"plan": "free"}


def test_rows_without_a_creating_identifier_are_refused_with_their_reason(account):
    result = imported(account, "email,phone,plan\n,+14155550123,pro\n,,free\n")

    assert issues(result) == [
        (
            2,
            "phone",
            "+14155550123",
            "A customer is not created from a phone number alone: add a user_id, email or "
            "visitor_id.",
        ),
        (3, "", "", "No identifier: give the row a user_id, email, visitor_id or customer_id."),
    ]
    assert result.rows_refused == 2
    assert not Customer.objects.exists()


def test_rows_of_stored_customers_without_properties_read_no_definitions_or_values(account):
    ann = make_customer(account, "ann@example.com", {"plan": "pro"}, first_name="Ann")

    with CaptureQueriesContext(connection) as queries:
        result = imported(account, "email,first_name\nann@example.com,Anna\n")

    assert result.issues == []
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert statements.DEFINITIONS not in read
    assert statements.VALUES not in read
    ann.refresh_from_db()
    assert ann.first_name == "Anna"
    assert values_of(ann) == {"plan": "pro"}


def test_a_stored_customer_gets_the_tags_of_its_row(account):
    ann = make_customer(account, "ann@example.com", tags=["old"])

    result = imported(account, 'email,tags\nann@example.com,"new, vip"\n')

    assert result.issues == []
    assert sorted(ann.tags.values_list("name", flat=True)) == ["new", "old", "vip"]


def test_a_bad_cell_of_a_stored_customer_is_reported_and_the_next_cells_stored(account):
    ann = make_customer(account, "ann@example.com")

    result = imported(account, "email,seats:integer,plan\nann@example.com,lots,pro\n")

    ((row, column, value, reason),) = issues(result)
    assert (row, column, value) == (2, "seats:integer", "lots")
    assert "whole number" in reason
    assert values_of(ann) == {"plan": "pro"}


def test_a_cell_equal_to_the_stored_value_does_not_stop_the_next_cells(account):
    ann = make_customer(account, "ann@example.com", {"plan": "pro"})

    result = imported(account, "email,plan,seats\nann@example.com,pro,5\n")

    assert result.issues == []
    assert values_of(ann) == {"plan": "pro", "seats": 5.0}


def test_rows_of_one_customer_apply_in_order_within_a_chunk(account):
    ann = make_customer(account, "ann@example.com", {"plan": "free"})

    result = imported(account, "email,plan\nann@example.com,pro\nann@example.com,free\n")

    assert result.issues == []
    assert values_of(ann) == {"plan": "free"}


def test_a_cell_read_as_json_only_for_a_collection(account):
    imported(
        account,
        'email,note,tags_list:collection\na@example.com,"[""a"", ""b""]"," [""x, y""]"\n',
    )

    assert values_of(Customer.objects.get(email="a@example.com")) == {
        "note": '["a", "b"]',
        "tags_list": ["x, y"],
    }


# --- Identifiers a row adds.


def test_an_identifier_two_rows_add_goes_to_the_first_customer(account):
    ann = make_customer(account, user_id="u1")
    bob = make_customer(account, user_id="u2")

    result = imported(account, "user_id,email\nu2,x@example.com\nu1,x@example.com\n")

    assert issues(result) == [
        (
            2,
            "email",
            "x@example.com",
            "Another customer in this account already has email x@example.com.",
        )
    ]
    ann.refresh_from_db()
    bob.refresh_from_db()
    assert (ann.email, bob.email) == ("x@example.com", None)


def test_a_row_repeated_for_a_new_customer_adds_its_identifier_once(account):
    result = imported(account, "user_id,email\nu1,x@example.com\nu1,x@example.com\n")

    assert result.issues == []
    assert list(Customer.objects.values_list("user_id", "email")) == [("u1", "x@example.com")]


def test_a_later_row_of_a_customer_does_not_change_the_identifier_an_earlier_one_adds(account):
    ann = make_customer(account, user_id="u1")

    result = imported(account, "user_id,email\nu1,y@example.com\nu1,x@example.com\n")

    assert issues(result) == [
        (
            3,
            "email",
            "x@example.com",
            f"Customer #{ann.pk} gets email y@example.com from an earlier row; an import does "
            "not change identifiers.",
        )
    ]
    ann.refresh_from_db()
    assert ann.email == "y@example.com"


def test_each_kind_of_identifier_rows_add_is_set(account):
    ann = make_customer(account, user_id="u1")
    bob = make_customer(account, user_id="u2")

    result = imported(account, "user_id,email,phone\nu1,,+14155550123\nu2,bob@example.com,\n")

    assert result.issues == []
    ann.refresh_from_db()
    bob.refresh_from_db()
    assert (ann.email, ann.phone) == (None, "+14155550123")
    assert (bob.email, bob.phone) == ("bob@example.com", None)
