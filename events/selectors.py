"""Reads of customer events, newest first, in a fixed number of queries."""

from datetime import datetime

from django.db.models import QuerySet

from customers.models import Account, Customer
from events.models import Event


def events_filtered(
    *,
    account: Account,
    customer: Customer | None = None,
    name: str = "",
    source: str = "",
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[Event]:
    """Return the account's (or one customer's) events matching the filters, newest first."""
    queryset = Event.objects.filter(account=account).select_related("customer")
    if customer is not None:
        queryset = queryset.filter(customer=customer)
    if name:
        queryset = queryset.filter(name=name)
    if source:
        queryset = queryset.filter(source=source)
    if after is not None:
        queryset = queryset.filter(occurred_at__gte=after)
    if before is not None:
        queryset = queryset.filter(occurred_at__lt=before)
    return queryset.order_by("-occurred_at", "-id")
