"""Reads of an account's data issues, grouped by property key and reason.

One page of groups takes four queries whatever the number of issues, groups or
samples: the groups of the page, the totals, the newest samples of those groups (one
windowed query), and the definitions of their keys.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Max, Sum, Window
from django.db.models.functions import RowNumber

from customers.models import Account, DataIssue, PropertyDefinition
from customers.values import PropertyType

DATA_ISSUES_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SAMPLES_PER_GROUP = 3


@dataclass(frozen=True)
class IssueSample:
    """One recorded issue: the value as sent, who it was for, which door sent it, when."""

    value: str
    door: str
    customer_id: int | None
    customer_label: str
    created_at: datetime


@dataclass(frozen=True)
class IssueProperty:
    """The definition a group's key names, when it has one."""

    key: str
    label: str
    type: PropertyType
    archived: bool


@dataclass
class IssueGroup:
    """The issues of one key refused for one reason: how many, the newest, a few samples."""

    key: str
    reason: str
    count: int
    latest_at: datetime
    message: str = ""  # the newest issue's message
    samples: list[IssueSample] = field(default_factory=list)
    definition: IssueProperty | None = None


@dataclass(frozen=True)
class IssuePage:
    groups: list[IssueGroup]
    page: int
    page_size: int
    total_groups: int
    total_issues: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total_groups / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def data_issue_groups(
    *,
    account: Account,
    page: int = 1,
    page_size: int = DATA_ISSUES_PAGE_SIZE,
    samples: int = SAMPLES_PER_GROUP,
) -> IssuePage:
    """Return one page of the account's issues grouped by (key, reason), the group with the
    newest issue first, each with its count, newest time and newest `samples` issues.

    A page beyond the last is empty (its totals still say how many there are).
    """
    issues = DataIssue.objects.filter(account=account)
    grouped = issues.values("key", "reason").annotate(
        count=Count("id"), latest_at=Max("created_at")
    )
    totals = grouped.aggregate(total_groups=Count("key"), total_issues=Sum("count"))
    start = (page - 1) * page_size
    rows = list(grouped.order_by("-latest_at", "key", "reason")[start : start + page_size])
    groups = [IssueGroup(row["key"], row["reason"], row["count"], row["latest_at"]) for row in rows]
    if groups:
        _add_samples(issues, groups, samples)
        _add_properties(account, groups)
    return IssuePage(
        groups=groups,
        page=page,
        page_size=page_size,
        total_groups=totals["total_groups"] or 0,
        total_issues=totals["total_issues"] or 0,
    )


def _add_samples(issues, groups: list[IssueGroup], samples: int) -> None:
    """Fill each group's newest issues and message, in one windowed query."""
    by_pair = {(g.key, g.reason): g for g in groups}
    newest = (
        issues.filter(key__in={g.key for g in groups}, reason__in={g.reason for g in groups})
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("key"), F("reason")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=samples)
        .select_related("customer")
        .order_by("key", "reason", "rank")
    )
    for issue in newest:
        group = by_pair.get((issue.key, issue.reason))
        if group is None:  # a pair of another page, matched by key and reason separately
            continue
        if not group.samples:
            group.message = issue.message
        group.samples.append(
            IssueSample(
                value=issue.value,
                door=issue.door,
                customer_id=issue.customer_id,
                customer_label=str(issue.customer) if issue.customer else "",
                created_at=issue.created_at,
            )
        )


def _add_properties(account: Account, groups: list[IssueGroup]) -> None:
    """Attach the definition each group's key names (one query)."""
    found = {
        key: IssueProperty(key, label, PropertyType(type_), archived_at is not None)
        for key, label, type_, archived_at in PropertyDefinition.objects.filter(
            account=account, key__in={g.key for g in groups}
        ).values_list("key", "label", "type", "archived_at")
    }
    for group in groups:
        group.definition = found.get(group.key)
