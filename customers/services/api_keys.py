"""API keys: created shown once, stored hashed, compared in constant time, revocable."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from customers import statements
from customers.errors import InvalidInput
from customers.models import Account, ApiKey, ApiKeyScope, AuditAction
from customers.services.audit import Actor, audit_record

KEY_NAMESPACE = "ca"
PREFIX_LENGTH = 8


def _hash(raw_key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is enough; no password stretching needed.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_create(
    *, account: Account, scope: str = ApiKeyScope.WRITE, name: str = "", actor: Actor
) -> tuple[ApiKey, str]:
    """Create a key and return it with its plain secret, which is never stored."""
    if scope not in ApiKeyScope.values:
        raise InvalidInput(f"Unknown scope {scope!r}: use one of {', '.join(ApiKeyScope.values)}.")
    if "\x00" in name or len(name) > 200:
        raise InvalidInput("A key name is at most 200 characters, without NUL characters.")
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw_key = f"{KEY_NAMESPACE}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            account=account,
            name=name,
            prefix=prefix,
            key_hash=_hash(raw_key),
            scope=scope,
            created_by=actor.user,
        )
        audit_record(
            account=account,
            actor=actor,
            action=AuditAction.API_KEY_CREATED,
            target=f"{prefix} {name}".strip(),
            details={"scope": scope},
        )
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey, actor: Actor) -> ApiKey:
    """Revoke a key; requests with it are refused from now on."""
    if api_key.revoked_at is None:
        with transaction.atomic():
            api_key.revoked_at = timezone.now()
            api_key.save(update_fields=["revoked_at"])
            audit_record(
                account=api_key.account,
                actor=actor,
                action=AuditAction.API_KEY_REVOKED,
                target=f"{api_key.prefix} {api_key.name}".strip(),
            )
    return api_key


def api_key_authenticate(raw_key: str) -> ApiKey | None:
    """Return the live key matching `raw_key`, or None; keep `last_used_at` roughly fresh."""
    parts = raw_key.split("_", 2) if isinstance(raw_key, str) else []
    if len(parts) != 3 or parts[0] != KEY_NAMESPACE or len(parts[1]) != PREFIX_LENGTH:
        return None
    api_key = statements.live_api_key(parts[1])
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(raw_key)):
        return None
    now = timezone.now()
    resolution = timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS)
    if api_key.last_used_at is None or now - api_key.last_used_at >= resolution:
        # One write per key per resolution period, not one per request.
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
