"""The audit log: who did what to which definition or key."""

from dataclasses import dataclass

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
