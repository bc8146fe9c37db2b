"""manage.py export_customers --account NAME [--output FILE] [filters]: customers as CSV."""

import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError

from customers.conditions.syntax import conditions_from_query_string
from customers.errors import DomainError
from customers.exports import customers_csv
from customers.management.progress import ProgressBar
from customers.models import Account
from customers.selectors import customers_filtered


class Command(BaseCommand):
    help = (
        "Export an account's customers as CSV, in the format import_customers reads: "
        "identifiers, contact fields, tags and one `key:type` column per active property."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="Account name.")
        parser.add_argument("--output", help="The CSV file to write (default: standard output).")
        parser.add_argument("--search", default="", help="Identifiers or names containing this.")
        parser.add_argument(
            "--tag", action="append", default=[], help="Only customers with this tag (repeat)."
        )
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            help="A property condition as the API filters, e.g. plan=pro or seats__gte=10 "
            "(repeat: every condition must hold).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, **options):
        account = Account.objects.filter(name=options["account"]).first()
        if account is None:
            raise CommandError(f"No account named {options['account']!r}.")
        conditions, errors = conditions_from_query_string(
            "&".join(options["where"]), reserved=frozenset()
        )
        if errors:
            raise CommandError("Cannot export: " + " ".join(errors))
        try:
            customers = customers_filtered(
                account=account,
                tags=options["tag"],
                search=options["search"],
                conditions=conditions,
            )
            total = None if options["no_progress"] else customers.count()
        except DomainError as error:
            raise CommandError(error.message) from None
        bar = None if options["no_progress"] else ProgressBar("customers", total)
        output = options["output"]
        with _output(output) as out:
            for text in customers_csv(
                account=account, customers=customers, on_progress=bar and bar.update
            ):
                out.write(text)
        if bar:
            seconds = bar.finish()
            if output:
                self.stderr.write(f"Exported {bar.done:,} customers to {output} in {seconds:.1f}s.")


def _output(path: str | None):
    """Return the file to write to, opened; standard output (left open) without a path."""
    if not path:
        return nullcontext(sys.stdout)
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
