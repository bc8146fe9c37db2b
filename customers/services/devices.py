"""Customers' push-notification devices: one row per token in an account."""

from datetime import datetime

from django.utils import timezone

from customers import statements
from customers.errors import InvalidInput
from customers.models import Account, Customer, Device, DevicePlatform

MAX_TOKEN_LENGTH = 255


def device_token(token: object) -> str:
    """Return a device token as stored; refuse what cannot be one."""
    if isinstance(token, int) and not isinstance(token, bool):
        token = str(token)
    if not isinstance(token, str) or not token.strip() or "\x00" in token:
        raise InvalidInput("A device's token (id) is a non-empty string.", details={"field": "id"})
    token = token.strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidInput(
            f"A device's token is at most {MAX_TOKEN_LENGTH} characters.", details={"field": "id"}
        )
    return token


def customer_device_set(
    *,
    account: Account,
    customer: Customer,
    token: object,
    platform: object,
    last_used_at: datetime | None = None,
    attributes: dict | None = None,
) -> Device:
    """Add the device to the customer, or update it; a token another customer held moves here.

    One statement: the (account, token) unique constraint decides between concurrent writers.
    """
    token = device_token(token)
    if not isinstance(platform, str) or platform.strip().lower() not in DevicePlatform.values:
        raise InvalidInput(
            f"A device's platform is one of {', '.join(DevicePlatform.values)}.",
            details={"field": "platform"},
        )
    if attributes is not None and not isinstance(attributes, dict):
        raise InvalidInput(
            "A device's attributes are a JSON object.", details={"field": "attributes"}
        )
    now = timezone.now()
    device = Device(
        account=account,
        customer=customer,
        token=token,
        platform=platform.strip().lower(),
        last_used_at=last_used_at,
        attributes=attributes or {},
        created_at=now,
        updated_at=now,
    )
    statements.row_upsert(
        device,
        unique=("account", "token"),
        update=("customer", "platform", "last_used_at", "attributes", "updated_at"),
    )
    return device


def customer_device_delete(*, account: Account, customer: Customer, token: object) -> bool:
    """Remove the customer's device with this token; return whether it had it."""
    deleted, _ = Device.objects.filter(
        account=account, customer=customer, token=device_token(token)
    ).delete()
    return bool(deleted)
