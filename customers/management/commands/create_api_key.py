"""manage.py create_api_key --account NAME [--scope write|admin] [--name N] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from customers.errors import DomainError
from customers.models import ApiKeyScope
from customers.services import Actor, account_get_or_create, api_key_create


class Command(BaseCommand):
    help = "Create an API key (and the account if needed); the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="Account name; created if missing.")
        parser.add_argument("--scope", choices=ApiKeyScope.values, default=ApiKeyScope.WRITE)
        parser.add_argument("--name", default="", help="A name to recognise the key by.")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"account","site_id","key","scope"} on one line.',
        )

    def handle(self, *args, **options):
        try:
            account, _ = account_get_or_create(name=options["account"])
            api_key, raw_key = api_key_create(
                account=account,
                scope=options["scope"],
                name=options["name"],
                actor=Actor(system="create_api_key"),
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            payload = {
                "account": account.name,
                "site_id": account.site_id,
                "key": raw_key,
                "scope": api_key.scope,
            }
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"Account:  {account.name}")
        self.stdout.write(f"Site id:  {account.site_id}")
        self.stdout.write(f"Scope:    {api_key.scope}")
        self.stdout.write(f"API key:  {raw_key}")
        self.stdout.write("Store the key now: it is not shown again.")
