"""Customer events (seed 002, Customer.io track): one row per external event id."""

from django.db import models

from customers.models import Account, Customer


class Event(models.Model):
    """Something a customer did; posting the same `event_id` again replaces it."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events")
    # None: an anonymous event no person is known for (Customer.io's events without an
    # anonymous_id, such as invitations sent to an address).
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    event_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    source = models.CharField(max_length=255, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "event_id"], name="event_unique_id"),
        ]
        indexes = [
            models.Index(fields=["customer", "-occurred_at"], name="event_customer_time"),
            models.Index(fields=["account", "-occurred_at"], name="event_account_time"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_id})"
