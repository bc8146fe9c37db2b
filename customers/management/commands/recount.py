"""manage.py recount [--account NAME]: rebuild the summary counts from the rows they count."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers import statements
from customers.models import Account
from customers.selectors import customer_total, definitions_with_counts


class Command(BaseCommand):
    help = (
        "Recount every property's customers and every account's customers (or one account's), "
        "replacing the summary counts; writers of the account wait meanwhile on PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", help="Only this account (by name).")

    def handle(self, *args, **options):
        accounts = Account.objects.order_by("pk")
        if options["account"]:
            accounts = accounts.filter(name=options["account"])
            if not accounts.exists():
                raise CommandError(f'No account named "{options["account"]}".')
        for account in accounts:
            with transaction.atomic():
                statements.summary_recount(account.pk)
            definitions = definitions_with_counts(account=account, status="all")
            self.stdout.write(
                f"{account.name}: {customer_total(account=account):,} customers, "
                f"{len(definitions)} properties, "
                f"{sum(d.customer_count for d in definitions):,} values"
            )
