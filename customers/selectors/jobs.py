"""Background work under way: permanent deletes and CSV imports, as plain data."""

from dataclasses import dataclass

from customers.models import Account, DefinitionPurge, ImportJob


@dataclass(frozen=True)
class PurgeProgress:
    key: str
    label: str
    values_total: int
    values_removed: int
    # False until a worker takes it up and counts its values.
    started: bool

    @property
    def percent(self) -> int:
        if not self.values_total:
            return 0
        return min(100, self.values_removed * 100 // self.values_total)


def purges_in_progress(*, account: Account) -> list[PurgeProgress]:
    """Return the account's permanent deletes under way, oldest first: one query."""
    rows = (
        DefinitionPurge.objects.filter(account=account)
        .order_by("created_at", "pk")
        .values_list(
            "definition__key",
            "definition__label",
            "values_total",
            "values_removed",
            "next_value_id",
        )
    )
    return [PurgeProgress(*row[:4], started=row[4] > 0) for row in rows]


def import_job_get(*, account: Account, job_id: int) -> ImportJob | None:
    """Return the account's import `job_id` without its file, or None."""
    return ImportJob.objects.filter(account=account, pk=job_id).defer("content").first()


def import_jobs_recent(*, account: Account, limit: int = 10) -> list[ImportJob]:
    """Return the account's latest imports, newest first, without their files or reports."""
    return list(
        ImportJob.objects.filter(account=account)
        .defer("content", "report")
        .order_by("-created_at", "-pk")[:limit]
    )
