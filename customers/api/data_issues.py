"""GET /api/data-issues: what lenient doors accepted but could not store, grouped."""

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from customers.api.schema import data_issues as data_issues_schema
from customers.api.views import NativeAPIView
from customers.selectors.data_issues import (
    DATA_ISSUES_PAGE_SIZE,
    MAX_PAGE_SIZE,
    IssueGroup,
    data_issue_groups,
)

# A page number past any account's groups (the table is bounded), refused rather than read.
MAX_PAGE = 100_000


class DataIssuesView(NativeAPIView):
    @data_issues_schema.data_issues_list
    def get(self, request):
        page = _whole_number(request, "page", default=1, maximum=MAX_PAGE)
        limit = _whole_number(
            request, "limit", default=DATA_ISSUES_PAGE_SIZE, maximum=MAX_PAGE_SIZE
        )
        issues = data_issue_groups(account=self.account, page=page, page_size=limit)
        return Response(
            {
                "status": "ok",
                "groups": [_group_json(group) for group in issues.groups],
                "page": issues.page,
                "pages": issues.pages,
                "total_groups": issues.total_groups,
                "total_issues": issues.total_issues,
            }
        )


def _whole_number(request, name: str, *, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    number = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 6 else 0
    if not 1 <= number <= maximum:
        raise ValidationError(
            {
                name: [
                    f"Use a whole number from 1 to {maximum} (default {default}); got {raw[:20]!r}."
                ]
            }
        )
    return number


def _group_json(group: IssueGroup) -> dict:
    prop = group.definition
    return {
        "key": group.key,
        "reason": group.reason,
        "count": group.count,
        "latest_at": group.latest_at.isoformat(),
        "message": group.message,
        "property": None
        if prop is None
        else {
            "key": prop.key,
            "label": prop.label,
            "type": prop.type.value,
            "archived": prop.archived,
        },
        "samples": [
            {
                "value": sample.value,
                "door": sample.door,
                "customer_id": sample.customer_id,
                "created_at": sample.created_at.isoformat(),
            }
            for sample in group.samples
        ],
    }
