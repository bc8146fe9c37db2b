"""What a member chose to see, remembered per membership (the customers list's columns)."""

from customers.models import Membership


def member_preference_set(*, membership: Membership, name: str, value) -> None:
    """Remember one choice of the member (JSON-serializable `value`) under `name`."""
    membership.preferences = {**(membership.preferences or {}), name: value}
    Membership.objects.filter(pk=membership.pk).update(preferences=membership.preferences)
