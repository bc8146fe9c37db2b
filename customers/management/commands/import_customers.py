"""manage.py import_customers FILE --account NAME [--report FILE]: customers from CSV."""

import sys

from django.core.management.base import BaseCommand, CommandError

from customers.errors import DomainError
from customers.management.progress import ProgressBar
from customers.services import account_get_or_create
from customers.services.imports import csv_rows, customers_import


class Command(BaseCommand):
    help = (
        "Import customers from a CSV file (the format export_customers writes): one row per "
        "customer, identifier and contact columns, one column per property (`key:type`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8); - reads standard input.")
        parser.add_argument("--account", required=True, help="Account name; created if missing.")
        parser.add_argument(
            "--report", help="Write the refused cells here as CSV (row, column, value, reason)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, **options):
        path = options["file"]
        total = None if path == "-" else _rows_in(path)
        account, _ = account_get_or_create(name=options["account"])
        bar = None if options["no_progress"] else ProgressBar("rows", total)
        try:
            with _opened(path) as text:
                result = customers_import(
                    account=account, rows=csv_rows(text), on_progress=bar and bar.update
                )
        except (DomainError, UnicodeDecodeError) as error:
            raise CommandError(getattr(error, "message", str(error))) from None
        seconds = bar.finish() if bar else None
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8", newline="") as report:
                report.write(result.report_csv())
        self.stdout.write(
            f"Imported {result.rows - result.rows_refused:,} of {result.rows:,} rows into "
            f"{account.name}; {result.issues_count:,} cell(s) refused"
            + (f" (see {options['report']})" if options["report"] else "")
            + (f" in {seconds:.1f} s." if seconds is not None else ".")
        )
        for issue in result.issues[:10] if not options["report"] else []:
            self.stdout.write(f"  row {issue.row}, {issue.column or '-'}: {issue.reason}")


def _opened(path: str):
    if path == "-":
        return open(sys.stdin.fileno(), encoding="utf-8-sig", newline="", closefd=False)
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def _rows_in(path: str) -> int:
    """Count the file's data rows, for the progress bar (a quick first pass)."""
    with _opened(path) as text:
        return max(sum(1 for _ in csv_rows(text)) - 1, 0)
