"""A customer's subscription state: unsubscribed (never surveyed again) or subscribed."""

from collections.abc import Sequence

from django.utils import timezone

from customers.models import Account, Customer


def customers_unsubscribe(*, account: Account, emails: Sequence[str]) -> list[Customer]:
    """Mark the account's customers with these (normalized) emails unsubscribed.

    Return the customers found; one already unsubscribed keeps the time it first
    unsubscribed. Emails of no customer change nothing.
    """
    return _subscription_set(account=account, emails=emails, unsubscribed=True)


def customers_resubscribe(*, account: Account, emails: Sequence[str]) -> list[Customer]:
    """Clear the unsubscribed state of the account's customers with these emails."""
    return _subscription_set(account=account, emails=emails, unsubscribed=False)


def _subscription_set(
    *, account: Account, emails: Sequence[str], unsubscribed: bool
) -> list[Customer]:
    now = timezone.now()
    found = Customer.objects.filter(account=account, email__in=list(emails))
    if unsubscribed:
        found.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=now, updated_at=now)
    else:
        found.filter(unsubscribed_at__isnull=False).update(unsubscribed_at=None, updated_at=now)
    return list(found.order_by("pk"))
