"""Suppression (Customer.io): the person is kept, but marked as not to be messaged."""

from django.utils import timezone

from customers.models import Customer


def customer_suppress(*, customer: Customer) -> Customer:
    """Mark the customer suppressed (since now, or since it already was)."""
    if customer.suppressed_at is None:
        now = timezone.now()
        Customer.objects.filter(pk=customer.pk).update(suppressed_at=now, updated_at=now)
        customer.suppressed_at = now
    return customer


def customer_unsuppress(*, customer: Customer) -> Customer:
    """Lift the customer's suppression, if any."""
    if customer.suppressed_at is not None:
        Customer.objects.filter(pk=customer.pk).update(
            suppressed_at=None, updated_at=timezone.now()
        )
        customer.suppressed_at = None
    return customer
