"""Values a lenient door accepted but could not store: recorded, never lost silently.

The table stays bounded: each account keeps its newest ``DATA_ISSUES_KEEP`` issues.
Pruning is not paid on every write: one recording call in ``PRUNE_EVERY`` (drawn at
random, so no account can dodge it) deletes what lies beyond that many, so an account
holds about ``DATA_ISSUES_KEEP`` plus what ``PRUNE_EVERY`` calls add. A write with no
refusal pays nothing; one with refusals pays one multi-row insert.
"""

import json
import random
import re
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db.models import Q

from customers.models import Account, Customer, DataIssue
from customers.services.properties import RefusedProperty
from customers.values.messages import SURROGATE_RE, show

VALUE_CHARS = 500
KEY_CHARS = DataIssue._meta.get_field("key").max_length
REASON_CHARS = DataIssue._meta.get_field("reason").max_length
PRUNE_EVERY = 20
_chance = random.Random()


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
            key=_storable(item.key)[:KEY_CHARS],
            customer=customer,
            value=_as_sent(sent.get(item.key)),
            reason=item.error.code[:REASON_CHARS],
            message=_storable(str(item.error)),
        )
        for item in refused
    )
    if _chance.randrange(PRUNE_EVERY) == 0:
        data_issues_prune(account=account)


def data_issues_prune(*, account: Account, keep: int | None = None) -> int:
    """Delete the account's issues beyond its newest `keep` (``DATA_ISSUES_KEEP``); return
    how many went. Two statements, each bounded by the index on (account, time)."""
    keep = settings.DATA_ISSUES_KEEP if keep is None else keep
    beyond = (
        DataIssue.objects.filter(account=account)
        .order_by("-created_at", "-id")
        .values_list("created_at", "id")[keep : keep + 1]
    )
    first_gone = next(iter(beyond), None)
    if first_gone is None:
        return 0
    created_at, pk = first_gone
    older = Q(created_at__lt=created_at) | Q(created_at=created_at, id__lte=pk)
    deleted, _ = DataIssue.objects.filter(older, account=account).delete()
    return deleted


def _as_sent(value: object) -> str:
    """Return the value as sent, as JSON text (a string as is), storable and truncated."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (ValueError, RecursionError):  # an integer too long to write, deep nesting
            text = show(value)
    return _storable(text)[:VALUE_CHARS]


def _storable(text: str) -> str:
    """Return `text` with what a database refuses (NUL, lone surrogates) escaped: the
    refused value is often exactly such text."""
    return SURROGATE_RE.sub(_escaped, text.replace("\x00", "\\u0000"))


def _escaped(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"
