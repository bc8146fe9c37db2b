"""customers.services.imports: CSV rows into customers, bad cells reported, idempotent."""

import csv
import datetime
import io

import pytest

from customers.errors import InvalidInput
from customers.exports import customers_csv
from customers.identifiers import Identifier
from customers.models import Customer, DefinitionSource, PropertyDefinition
from customers.selectors import customers_filtered
from customers.services import customer_identify, definition_archive
from customers.services.imports import (
    ROWS_PER_CHUNK,
    columns_plan,
    csv_rows,
    customers_import,
    detected_type,
)
from customers.values import PropertyType
from tests.factories import TESTS, make_account, make_customer, make_definition, make_value
from tests.stored import values_of


def imported(account, text: str, **options):
    return customers_import(account=account, rows=csv_rows(io.StringIO(text)), **options)


def customer(account, **lookup) -> Customer:
    return Customer.objects.get(account=account, **lookup)


def issues(result) -> list[tuple]:
    return [(i.row, i.column, i.value, i.reason) for i in result.issues]


def test_good_rows_create_customers_with_fields_tags_and_typed_values(account):
    result = imported(
        account,
        "email,user_id,first_name,company,tags,plan,seats:integer,vip:boolean,joined:date,"
        "interests:collection\n"
        'Ann@Example.com,u1,Ann,Acme,"vip, beta",pro,12,yes,2026-06-01,"golf, chess"\n'
        "bob@example.com,,Bob,,,free,3,no,06/02/2026,chess\n",
    )

    assert (result.rows, result.rows_refused, result.issues) == (2, 0, [])
    ann = customer(account, email="ann@example.com")
    assert (ann.user_id, ann.first_name, ann.company) == ("u1", "Ann", "Acme")
    assert sorted(ann.tags.values_list("name", flat=True)) == ["beta", "vip"]
    assert values_of(ann) == {
        "plan": "pro",
        "seats": 12.0,
        "vip": True,
        "joined": datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        "interests": ["golf", "chess"],
    }
    bob = customer(account, email="bob@example.com")
    assert bob.user_id is None
    assert values_of(bob)["joined"] == datetime.datetime(2026, 6, 2, tzinfo=datetime.UTC)
    definitions = dict(PropertyDefinition.objects.values_list("key", "type"))
    assert definitions == {
        "plan": "text",
        "seats": "integer",
        "vip": "boolean",
        "joined": "date",
        "interests": "collection",
    }
    assert set(PropertyDefinition.objects.values_list("source", flat=True)) == {
        DefinitionSource.IMPORT
    }


def test_each_kind_of_bad_cell_is_reported_and_the_rest_of_the_row_stored(account):
    result = imported(
        account,
        "email,phone,first_name,seats:integer,vip:boolean,joined:date,site:url,plan,tags\n"
        "ann@example.com,+1 415,Ann,3.5,maybe,31/12/2019,ftp://x,pro,ok\n"
        "not-an-email,,,,,,,free,\n"
        ",,Nobody,,,,,,\n"
        ",+14155550123,,,,,,x,\n",
    )

    assert [issue[:3] for issue in issues(result)] == [
        (2, "phone", "+1 415"),
        (2, "seats:integer", "3.5"),
        (2, "vip:boolean", "maybe"),
        (2, "joined:date", "31/12/2019"),
        (2, "site:url", "ftp://x"),
        (3, "", ""),
        (3, "email", "not-an-email"),
        (4, "", ""),
        (5, "phone", "+14155550123"),
    ]
    reasons = [issue[3] for issue in issues(result)]
    assert "E.164" in reasons[0]
    assert "whole number" in reasons[1]
    assert '"maybe"' in reasons[2]
    assert "MM/DD/YYYY" in reasons[3]
    assert "http(s) URL" in reasons[4]
    assert "No identifier" in reasons[5]
    assert "No identifier" in reasons[7]
    assert "email address" in reasons[6]
    assert "phone number alone" in reasons[8]
    assert result.rows_refused == 3
    ann = customer(account, email="ann@example.com")
    assert (ann.first_name, ann.phone) == ("Ann", None)
    assert list(ann.tags.values_list("name", flat=True)) == ["ok"]
    assert values_of(ann) == {"plan": "pro"}
    assert Customer.objects.count() == 1


def test_cells_over_a_limit_or_past_the_last_column_are_reported(account, settings):
    settings.CONTACTS_MAX_TEXT_LENGTH = 5
    result = imported(
        account, 'email,note,tags\na@example.com,too long,"ok, ' + "t" * 300 + '",extra\n'
    )

    assert [issue[:2] for issue in issues(result)] == [(2, ""), (2, "note"), (2, "tags")]
    assert "past the last column" in result.issues[0].reason
    assert "at most 5" in result.issues[1].reason
    assert Customer.objects.filter(email="a@example.com").exists()


def test_an_identifier_of_another_customer_than_the_first_is_reported(account):
    ann = make_customer(account, "ann@example.com", user_id="u1")
    make_customer(account, "bob@example.com", user_id="u2")

    result = imported(account, "user_id,email,plan\nu1,bob@example.com,pro\n")

    ((row, column, value, reason),) = issues(result)
    assert (row, column, value) == (2, "email", "bob@example.com")
    assert "another customer's" in reason
    assert values_of(ann) == {"plan": "pro"}


def test_an_identifier_that_would_change_one_stored_is_reported(account):
    make_customer(account, "ann@example.com", user_id="u1")

    result = imported(account, "email,user_id,plan\nann@example.com,u9,pro\n")

    ((row, column, value, reason),) = issues(result)
    assert (row, column, value) == (2, "user_id", "u9")
    assert "does not change identifiers" in reason
    assert customer(account, email="ann@example.com").user_id == "u1"


def test_rows_add_the_identifiers_a_customer_lacks(account):
    make_customer(account, "ann@example.com")

    result = imported(
        account, "customer_id,email,user_id,visitor_id,phone\n,ann@example.com,u1,v1,+14155550123\n"
    )

    assert result.issues == []
    ann = customer(account, email="ann@example.com")
    assert (ann.user_id, ann.visitor_id, ann.phone) == ("u1", "v1", "+14155550123")


def test_a_customer_id_finds_the_customer_and_an_unknown_one_is_reported(account):
    ann = make_customer(account, "ann@example.com")

    result = imported(account, f"customer_id,plan\n{ann.pk},pro\n999999999,free\n")

    assert values_of(ann) == {"plan": "pro"}
    ((row, column, value, reason),) = issues(result)
    assert (row, column, value, reason) == (3, "customer_id", "999999999", reason)
    assert "No customer #999999999" in reason


def test_an_empty_cell_changes_nothing(account):
    ann = make_customer(account, "ann@example.com", {"plan": "pro"}, first_name="Ann")

    result = imported(account, "email,first_name,plan,seats\nann@example.com,,,\n")

    assert result.issues == []
    ann.refresh_from_db()
    assert ann.first_name == "Ann"
    assert values_of(ann) == {"plan": "pro"}


def test_columns_name_existing_definitions_by_key_or_label(account):
    make_definition(account, "plan_tier", "text", label="Plan tier")
    make_definition(account, "seats", "integer", label="Seats bought")

    result = imported(account, "email,Plan tier,Seats bought,New Thing\na@example.com,pro,4,x\n")

    assert result.issues == []
    assert values_of(customer(account, email="a@example.com")) == {
        "plan_tier": "pro",
        "seats": 4.0,
        "new_thing": "x",
    }
    new = PropertyDefinition.objects.get(key="new_thing")
    assert (new.label, new.type) == ("New Thing", "text")


def test_a_typed_header_that_conflicts_with_the_definition_is_refused_as_a_column(account):
    make_definition(account, "seats", "integer")
    make_definition(account, "old", archived=True)

    result = imported(account, "email,seats:boolean,old,plan\na@example.com,true,x,pro\n")

    assert [(i.row, i.column) for i in result.issues] == [(1, "seats:boolean"), (1, "old")]
    assert "integer" in result.issues[0].reason
    assert "archived" in result.issues[1].reason
    assert values_of(customer(account, email="a@example.com")) == {"plan": "pro"}


def test_a_declared_type_that_fits_the_definition_is_stored_in_its_type(account):
    make_definition(account, "score", "number")

    result = imported(account, "email,score:integer\na@example.com,7\n")

    assert result.issues == []
    assert values_of(customer(account, email="a@example.com")) == {"score": 7.0}


def test_new_columns_get_the_type_their_cells_show(account):
    imported(
        account,
        "email,zip,n,ratio,flag,when,site,note\n"
        "a@example.com,02134,1,1.5,true,2026-01-02,https://x.example,hi\n"
        "b@example.com,10001,-2,3,no,2026-01-03T10:00:00Z,http://y.example,5\n",
    )

    assert dict(PropertyDefinition.objects.values_list("key", "type")) == {
        "zip": "text",
        "n": "integer",
        "ratio": "number",
        "flag": "boolean",
        "when": "date",
        "site": "url",
        "note": "text",
    }


def test_detected_type_is_text_unless_every_cell_reads_as_another_type():
    assert detected_type([]) == PropertyType.TEXT
    assert detected_type(["1", "", "22"]) == PropertyType.INTEGER
    assert detected_type(["1", "2.5"]) == PropertyType.NUMBER
    assert detected_type(["1", "x"]) == PropertyType.TEXT
    assert detected_type(["007"]) == PropertyType.TEXT
    assert detected_type(["Yes", "no"]) == PropertyType.BOOLEAN
    assert detected_type(["1", "0"]) == PropertyType.INTEGER


def test_importing_the_same_file_twice_changes_nothing(account):
    text = (
        "email,user_id,first_name,tags,plan,seats:integer,joined:date,interests:collection\n"
        'a@example.com,u1,Ann,vip,pro,3,2026-06-01,"golf, chess"\n'
        "b@example.com,,Bob,,free,,,\n"
    )
    imported(account, text)
    before = {c.pk: (c.updated_at, values_of(c)) for c in Customer.objects.all()}

    result = imported(account, text)

    assert result.issues == []
    after = {c.pk: (c.updated_at, values_of(c)) for c in Customer.objects.all()}
    assert after == before
    assert Customer.objects.count() == 2


def test_a_file_without_identifier_columns_is_refused(account):
    with pytest.raises(InvalidInput, match="No column identifies"):
        imported(account, "plan,seats\npro,3\n")
    with pytest.raises(InvalidInput, match="empty"):
        imported(account, "")


def test_rows_across_chunks_are_all_imported_with_progress(account, monkeypatch):
    monkeypatch.setattr("customers.services.imports.ROWS_PER_CHUNK", 3)
    seen = []
    lines = "".join(f"c{n}@example.com,{n}\n" for n in range(8))

    result = imported(account, "email,n:integer\n" + lines, on_progress=seen.append)

    assert result.rows == 8
    assert seen == [3, 6, 8]
    assert sorted(values_of(c)["n"] for c in Customer.objects.all()) == list(range(8))
    assert ROWS_PER_CHUNK >= 1_000


def test_the_report_lists_each_refused_cell_as_csv(account):
    result = imported(account, "email,seats:integer\na@example.com,lots\n")

    report = list(csv.reader(io.StringIO(result.report_csv())))

    assert report[0] == ["row", "column", "value", "reason"]
    assert report[1][:3] == ["2", "seats:integer", "lots"]


def test_a_mapping_renames_skips_and_types_columns(account):
    result = imported(
        account,
        "Mail,Secret,Level\na@example.com,x,4\n",
        mapping={"Mail": "email", "Secret": "", "Level": "level:number"},
    )

    assert result.issues == []
    assert values_of(customer(account, email="a@example.com")) == {"level": 4.0}
    assert not PropertyDefinition.objects.filter(key="secret").exists()


def test_columns_plan_describes_each_column_for_the_mapping_page(account):
    make_definition(account, "plan")

    columns = columns_plan(
        account=account,
        headers=["Email", "customer_uuid", "plan", "Seats", "seats"],
        sample=[["a@example.com", "", "pro", "3", "4"]],
    )

    assert [(c.header, c.mapping, c.error != "") for c in columns] == [
        ("Email", "email", False),
        ("customer_uuid", "", False),
        ("plan", "plan:text", False),
        ("Seats", "seats:integer", False),
        ("seats", "seats:integer", True),
    ]


def _export(account) -> str:
    return "".join(customers_csv(account=account, customers=customers_filtered(account=account)))


def _profiles(account) -> list[tuple]:
    return sorted(
        (
            c.email or "",
            c.user_id or "",
            c.visitor_id or "",
            c.phone or "",
            c.first_name,
            c.last_name,
            c.company,
            sorted(c.tags.values_list("name", flat=True)),
            values_of(c),
        )
        for c in Customer.objects.filter(account=account)
    )


def test_an_export_imported_into_another_account_is_equal(account):
    make_customer(
        account,
        "ann@example.com",
        {
            "note": "=SUM(A1), 'quoted', \"double\"\nnext line",
            "quote": "'starts with a quote",
            "score": -5,
            "ratio": 0.1,
            "vip": False,
            "joined": "2026-06-01T10:11:12.345678Z",
            "interests": ["golf, indoor", "chess"],
            "brackets": ["[draft]", "x"],
            "empty": [],
            "meta": {"a": [1, 2], "b": "c"},
            "site": "https://example.com/a?b=c",
        },
        ["vip", "=danger"],
        user_id="-u1",
        phone="+14155550123",
        first_name="@Ann",
        last_name="Ünïcode",
        company="+Acme",
    )
    make_customer(account, user_id="only-user", properties={"score": 1e20})
    visitor = customer_identify(
        account=account, identifier=Identifier("visitor_id", "v1"), create=True
    )
    make_value(visitor, "score", 2)
    archived = make_definition(account, "gone")
    definition_archive(definition=archived, actor=TESTS)
    text = _export(account)
    other = make_account("Copy")

    result = imported(other, text)

    assert result.issues == []
    assert _profiles(other) == _profiles(account)
    types = dict(PropertyDefinition.objects.filter(account=other).values_list("key", "type"))
    assert types == dict(
        PropertyDefinition.objects.filter(account=account, archived_at__isnull=True).values_list(
            "key", "type"
        )
    )
    # And back out again, byte for byte but for the customers' own ids.
    assert _without_ids(_export(other)) == _without_ids(text)


def _without_ids(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    return [*sorted(row[2:] for row in rows[1:]), rows[0]]
