"""Accounts: the tenants."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from customers.errors import InvalidInput
from customers.models import Account


def account_get_or_create(*, name: str) -> tuple[Account, bool]:
    """Return the account called `name`, creating it (with a new site id) when missing."""
    name = name.strip()
    if not name or "\x00" in name or len(name) > 200:
        raise InvalidInput("An account name is 1 to 200 characters.")
    account = Account.objects.filter(name=name).first()
    if account is not None:
        return account, False
    base_slug = slugify(name)[:180] or "account"
    slug = base_slug
    suffix = 1
    while Account.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base_slug}-{suffix}"
    try:
        with transaction.atomic():
            account = Account.objects.create(name=name, slug=slug, site_id=Account.new_site_id())
    except IntegrityError:
        # Another process created it between our look-up and insert.
        return Account.objects.get(name=name), False
    return account, True
