"""Queue again the background work a stopped worker left unfinished (`make worker` runs it)."""

from django.core.management.base import BaseCommand

from customers.services.bulk_actions import bulk_actions_resume
from customers.services.purges import purges_resume


class Command(BaseCommand):
    help = (
        "Resume the background work a stopped worker left half done: permanent deletes of "
        "properties and bulk changes to customers. Run it before the worker starts."
    )

    def handle(self, *args, **options):
        purges, changes = purges_resume(), bulk_actions_resume()
        if purges:
            self.stdout.write(f"Resumed {len(purges)} permanent delete(s).")
        if changes:
            self.stdout.write(f"Resumed {len(changes)} bulk change(s) to customers.")
        if not (purges or changes) and options["verbosity"] > 1:
            self.stdout.write("Nothing to resume.")
