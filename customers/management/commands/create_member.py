"""manage.py create_member --account NAME --email E --role admin|marketer [--password P]"""

from django.core.management.base import BaseCommand, CommandError

from customers.errors import DomainError
from customers.models import MemberRole
from customers.services import Actor, account_get_or_create
from customers.services.members import member_add


class Command(BaseCommand):
    help = "Add a member to an account (created if needed); prints a one-time password."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", choices=MemberRole.values, default=MemberRole.MARKETER)
        parser.add_argument("--password", help="Set this password instead of a one-time one.")

    def handle(self, *args, **options):
        try:
            account, _ = account_get_or_create(name=options["account"])
            membership, one_time = member_add(
                account=account,
                email=options["email"],
                role=options["role"],
                password=options["password"],
                actor=Actor(system="create_member"),
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{membership.user.username} is {membership.role} of {account.name}.")
        if one_time:
            self.stdout.write(f"One-time password: {one_time}  (shown once; change it after login)")
