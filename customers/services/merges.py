"""Merging two customers into one (Customer.io's merge_customers, anonymous visitors)."""

from django.db import transaction
from django.utils import timezone

from customers.models import (
    Account,
    AuditAction,
    Customer,
    DataIssue,
    Device,
    PropertyValue,
)
from customers.services.audit import Actor, audit_record

# Filled on the primary from the secondary only where the primary has none.
MERGED_FIELDS = (
    "visitor_id",
    "user_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "company",
    "suppressed_at",
)


def customer_profile_merge(
    *, account: Account, primary: Customer, secondary: Customer, actor: Actor
) -> Customer:
    """Move the secondary's values, tags, devices and data issues to the primary, fill the
    primary's empty identifiers and contact fields from it, delete it, and audit the merge.

    The primary wins every conflict: a value both hold keeps the primary's. Events are
    moved by events.services.customer_merge, which calls this.
    """
    if primary.pk == secondary.pk:
        return primary
    with transaction.atomic():
        held = PropertyValue.objects.filter(customer=primary).values("definition_id")
        moved_values = (
            PropertyValue.objects.filter(customer=secondary)
            .exclude(definition_id__in=held)
            .update(customer=primary)
        )
        primary.tags.add(*secondary.tags.all())
        moved_devices = Device.objects.filter(customer=secondary).update(customer=primary)
        DataIssue.objects.filter(customer=secondary).update(customer=primary)
        filled = {
            name: getattr(secondary, name)
            for name in MERGED_FIELDS
            if getattr(primary, name) in (None, "") and getattr(secondary, name) not in (None, "")
        }
        gone = {
            "customer_id": secondary.pk,
            **{
                name: getattr(secondary, name)
                for name in ("user_id", "email", "visitor_id")
                if getattr(secondary, name)
            },
        }
        # Deleted before its identifiers are copied: they are unique in the account.
        secondary.delete()
        now = timezone.now()
        Customer.objects.filter(pk=primary.pk).update(**filled, updated_at=now)
        for name, value in filled.items():
            setattr(primary, name, value)
        primary.updated_at = now
        audit_record(
            account=account,
            actor=actor,
            action=AuditAction.CUSTOMER_MERGED,
            target=str(primary),
            details={
                "primary_id": primary.pk,
                "secondary": gone,
                "values_moved": moved_values,
                "devices_moved": moved_devices,
            },
        )
    return primary
