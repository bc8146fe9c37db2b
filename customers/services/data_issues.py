"""Values a lenient door accepted but could not store: recorded, never lost silently."""

import json
from collections.abc import Mapping, Sequence

from customers.models import Account, Customer, DataIssue
from customers.services.properties import RefusedProperty

VALUE_CHARS = 500


def data_issues_record(
    *,
    account: Account,
    door: str,
    customer: Customer | None,
    refused: Sequence[RefusedProperty],
    sent: Mapping[str, object],
) -> None:
    """Record one data issue for each refused key, with the value as sent (truncated)."""
    if not refused:
        return
    DataIssue.objects.bulk_create(
        DataIssue(
            account=account,
            door=door,
            key=item.key[:200],
            customer=customer,
            value=_as_sent(sent.get(item.key)),
            reason=item.error.code[:40],
            message=str(item.error),
        )
        for item in refused
    )


def _as_sent(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return text[:VALUE_CHARS]
