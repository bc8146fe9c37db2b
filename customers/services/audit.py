"""The audit log: who did what to which definition or key."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from customers.models import Account, ApiKey, AuditAction, AuditEntry


@dataclass(frozen=True)
class Actor:
    """The user or API key on whose behalf a service runs."""

    user: AbstractBaseUser | None = None
    api_key: ApiKey | None = None
    system: str = ""

    @property
    def label(self) -> str:
        if self.user is not None:
            return str(self.user)
        if self.api_key is not None:
            return f"API key {self.api_key.prefix}"
        return self.system or "system"

    def to_ref(self) -> dict:
        """Return the actor as ids a task's arguments can carry (JSON)."""
        ref: dict = {}
        if self.user is not None:
            ref["user_id"] = self.user.pk
        if self.api_key is not None:
            ref["api_key_id"] = self.api_key.pk
        if self.system:
            ref["system"] = self.system
        return ref

    @classmethod
    def from_ref(cls, ref: dict, *, system: str = "") -> "Actor":
        """Return the actor of `to_ref()`, read back (a user or key since deleted is None).

        `system` names the actor when the reference names no system.
        """
        user_id, api_key_id = ref.get("user_id"), ref.get("api_key_id")
        return cls(
            user=get_user_model().objects.filter(pk=user_id).first() if user_id else None,
            api_key=ApiKey.objects.filter(pk=api_key_id).first() if api_key_id else None,
            system=ref.get("system") or system,
        )


SYSTEM = Actor(system="system")


def audit_record(
    *,
    account: Account,
    actor: Actor,
    action: AuditAction,
    target: str,
    details: dict | None = None,
) -> AuditEntry:
    """Record one audit entry."""
    return AuditEntry.objects.create(
        account=account,
        actor_user=actor.user,
        actor_api_key=actor.api_key,
        actor_label=actor.label[:200],
        action=action,
        target=target[:200],
        details=details or {},
    )
