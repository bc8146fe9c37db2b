"""Audit log entries as sentences a person reads."""

from customers.models import AuditEntry, MemberRole
from web.presenters.plurals import counted


def _role_label(role) -> str:
    return MemberRole(role).label if role in MemberRole.values else str(role)


def audit_details_text(entry: AuditEntry) -> str:
    """Return the entry's details as a phrase a person reads, e.g. "removed 1,234 values"."""
    details = dict(entry.details or {})
    parts = []
    if details.pop("removed", False) is True:
        parts.append("removed from the account")
    if "values_removed" in details:
        parts.append(f"removed {counted(int(details.pop('values_removed')), 'value')}")
    role, previous = details.pop("role", None), details.pop("previous_role", None)
    if role and previous:
        parts.append(f"{_role_label(previous)} → {_role_label(role)}")
    elif role:
        parts.append(f"role {_role_label(role)}")
    if "scope" in details:
        parts.append(f"scope {str(details.pop('scope')).capitalize()}")
    if "type" in details:
        parts.append(f"type {details.pop('type')}")
    if "fields" in details and isinstance(details["fields"], list):
        parts.append(f"changed {', '.join(map(str, details.pop('fields')))}")
    for key, value in details.items():
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:,}"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        parts.append(f"{key.replace('_', ' ')} {value}")
    return "; ".join(parts)
