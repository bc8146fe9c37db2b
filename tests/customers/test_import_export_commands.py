"""manage.py export_customers and import_customers: files, filters, progress, report."""

import csv

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer
from tests.factories import make_account, make_customer
from tests.stored import values_of


def test_an_exported_file_imports_into_another_account_with_progress(account, tmp_path, capsys):
    make_customer(account, "ann@example.com", {"plan": "pro", "seats": 3}, ["vip"])
    make_customer(account, "bob@example.com", {"plan": "free"})
    exported = tmp_path / "customers.csv"

    call_command("export_customers", "--account", account.name, "--output", str(exported))
    err = capsys.readouterr().err
    assert "2 of 2 customers" in err
    assert f"Exported 2 customers to {exported}" in err

    call_command(
        "import_customers", str(exported), "--account", "Copy", "--report", str(tmp_path / "r.csv")
    )
    out, err = capsys.readouterr()
    assert "Imported 2 of 2 rows into Copy; 0 cell(s) refused" in out
    assert "2 of 2 rows" in err
    copy = make_account("Copy")
    ann = Customer.objects.get(account=copy, email="ann@example.com")
    assert values_of(ann) == {"plan": "pro", "seats": 3.0}
    assert list(csv.reader((tmp_path / "r.csv").open())) == [["row", "column", "value", "reason"]]


def test_export_filters_by_condition_tag_and_search(account, tmp_path):
    make_customer(account, "ann@example.com", {"plan": "pro"}, ["vip"])
    make_customer(account, "bob@example.com", {"plan": "free"}, ["vip"])
    make_customer(account, "cat@example.com", {"plan": "pro"})
    out = tmp_path / "e.csv"

    call_command(
        "export_customers",
        "--account",
        account.name,
        "--output",
        str(out),
        "--where",
        "plan=pro",
        "--tag",
        "vip",
        "--no-progress",
    )

    rows = list(csv.DictReader(out.open()))
    assert [row["email"] for row in rows] == ["ann@example.com"]


def test_refused_cells_are_listed_and_written_to_the_report(account, tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("email,seats:integer\nann@example.com,lots\n")

    call_command("import_customers", str(source), "--account", account.name, "--no-progress")

    out = capsys.readouterr().out
    assert "1 cell(s) refused" in out
    assert "row 2, seats:integer: Expected a whole number" in out


def test_unknown_accounts_files_and_bad_filters_are_refused(account, tmp_path):
    with pytest.raises(CommandError, match="No account named 'Nope'"):
        call_command("export_customers", "--account", "Nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_customers", str(tmp_path / "missing.csv"), "--account", account.name)
    (tmp_path / "x.csv").write_text("plan\npro\n")
    with pytest.raises(CommandError, match="No column identifies"):
        call_command("import_customers", str(tmp_path / "x.csv"), "--account", account.name)
