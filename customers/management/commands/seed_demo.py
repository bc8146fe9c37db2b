"""manage.py seed_demo [--account NAME] [--customers N]: demo data and a fresh demo key."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from customers.demo import DEMO_ADMIN, demo_admin_add, demo_data_create
from customers.models import ApiKey, Customer
from customers.services import Actor, account_get_or_create, api_key_create

DEMO_KEY_NAME = "demo key (seed_demo)"


class Command(BaseCommand):
    help = "Create a demo account with realistic customers, and print a new API key for it."

    def add_arguments(self, parser):
        parser.add_argument("--account", default="Demo")
        parser.add_argument(
            "--customers",
            type=int,
            default=None,
            help="Customers to add (default: 200 when the account has none, else 0).",
        )
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="where the service will be served, for the printed curl example",
        )

    def handle(self, *args, **options):
        account, _ = account_get_or_create(name=options["account"])
        wanted = options["customers"]
        if wanted is None:
            wanted = 0 if Customer.objects.filter(account=account).exists() else 200
        if wanted:
            self._seed(account, wanted, options["batch_size"])
        # Only the newest demo key stays valid, so repeated runs don't pile up live keys.
        ApiKey.objects.filter(account=account, name=DEMO_KEY_NAME, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _, raw_key = api_key_create(
            account=account, scope="admin", name=DEMO_KEY_NAME, actor=Actor(system="seed_demo")
        )
        self.stdout.write(self.style.SUCCESS(f"Demo account: {account.name}"))
        self.stdout.write(f"  site id:  {account.site_id}")
        self.stdout.write(f"  API key:  {raw_key}  (admin scope; shown once)")
        _, password = demo_admin_add(account=account)
        if password:
            self.stdout.write(
                f"  login:    {DEMO_ADMIN} / {password}  (admin, and staff in /admin/; shown once)"
            )
        else:
            self.stdout.write(
                f"  login:    {DEMO_ADMIN}  (admin, and staff in /admin/; password unchanged: "
                f"manage.py changepassword {DEMO_ADMIN} sets a new one)"
            )
        self.stdout.write(
            f"  try:      curl -H 'X-API-Key: {raw_key}' {options['base_url']}/api/properties"
        )

    def _seed(self, account, wanted: int, batch_size: int) -> None:
        started = timezone.now()
        width = 30

        def progress(done: int) -> None:
            filled = width * done // wanted
            elapsed = max((timezone.now() - started).total_seconds(), 1e-6)
            sys.stderr.write(
                f"\r  customers [{'#' * filled}{'.' * (width - filled)}] {done:,}/{wanted:,}"
                f" ({done / elapsed:,.0f}/s, {elapsed:,.0f} s)"
            )
            sys.stderr.flush()

        demo_data_create(
            account=account, customers=wanted, batch_size=batch_size, progress=progress
        )
        sys.stderr.write("\n")
