"""Enqueue again the permanent deletes a stopped worker left unfinished (`make worker` runs it)."""

from django.core.management.base import BaseCommand

from customers.services.purges import purges_resume


class Command(BaseCommand):
    help = "Resume permanent deletes of properties that a stopped worker left half done."

    def handle(self, *args, **options):
        resumed = purges_resume()
        if resumed:
            self.stdout.write(f"Resumed {len(resumed)} permanent delete(s).")
        elif options["verbosity"] > 1:
            self.stdout.write("No permanent delete to resume.")
