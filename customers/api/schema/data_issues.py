"""OpenAPI of GET /api/data-issues: values lenient doors accepted but could not store."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from customers.api.schema.errors import error_responses, native_operation
from customers.api.schema.fields import PROPERTY_TYPES, Constant, Documented
from customers.api.schema.properties import SEED_CUSTOMER_ID, SEED_TIME
from customers.selectors.data_issues import DATA_ISSUES_PAGE_SIZE, MAX_PAGE_SIZE


class IssueSample(Documented):
    """One recorded issue: the value as sent (JSON text, truncated), its customer and door."""

    value = serializers.CharField(
        allow_blank=True,
        help_text="The value as sent: a string as is, anything else as JSON; at most 500 "
        "characters.",
    )
    door = serializers.CharField(help_text="The door that accepted it: customerio, …")
    customer_id = serializers.IntegerField(
        allow_null=True, help_text="The customer it was sent for; null once deleted."
    )
    created_at = serializers.DateTimeField()


class IssueProperty(Documented):
    """The property the key names, when there is one (change its type to store such values)."""

    key = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=PROPERTY_TYPES)
    archived = serializers.BooleanField()


class IssueGroup(Documented):
    """The issues of one key refused for one reason."""

    key = serializers.CharField(help_text="The key as sent (a property key, or email).")
    reason = serializers.CharField(
        help_text="The refusal's error code: invalid_value, type_conflict, property_archived, "
        "too_many_definitions, invalid_key, conflict, …"
    )
    count = serializers.IntegerField(min_value=1, help_text="How many issues are kept.")
    latest_at = serializers.DateTimeField(help_text="When the newest was recorded.")
    message = serializers.CharField(help_text="The newest issue's message: what to send.")
    property = IssueProperty(allow_null=True)
    samples = IssueSample(many=True, help_text="The newest issues, at most 3.")


class DataIssuesResponse(Documented):
    """One page of the account's data issues, grouped by key and reason, newest first."""

    status = Constant("ok")
    groups = IssueGroup(many=True)
    page = serializers.IntegerField(min_value=1)
    pages = serializers.IntegerField(min_value=1)
    total_groups = serializers.IntegerField(min_value=0)
    total_issues = serializers.IntegerField(min_value=0)


_EXAMPLE = {
    "status": "ok",
    "groups": [
        {
            "key": "seats",
            "reason": "invalid_value",
            "count": 12,
            "latest_at": SEED_TIME,
            "message": 'Expected a number for a number property, got "unlimited": send a '
            'JSON number or a numeric string such as "15.99".',
            "property": {"key": "seats", "label": "Seats", "type": "number", "archived": False},
            "samples": [
                {
                    "value": "unlimited",
                    "door": "customerio",
                    "customer_id": SEED_CUSTOMER_ID,
                    "created_at": SEED_TIME,
                }
            ],
        }
    ],
    "page": 1,
    "pages": 1,
    "total_groups": 1,
    "total_issues": 12,
}

data_issues_list = native_operation(
    summary="List data issues grouped by property and reason",
    description="Return the values that lenient doors (Customer.io) accepted but could not "
    "store — a type mismatch, an unparseable date, a value over a limit, an email another "
    "customer holds — grouped by key and reason, the group with the newest issue first, "
    "each with its count, newest time and samples. Each account keeps its newest "
    "issues only (DATA_ISSUES_KEEP, 1,000 by default).",
    operation_id="data_issues_list",
    parameters=[
        OpenApiParameter(
            "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Groups per page, 1 to {MAX_PAGE_SIZE} (default {DATA_ISSUES_PAGE_SIZE}).",
        ),
    ],
    responses={
        200: OpenApiResponse(
            DataIssuesResponse,
            description="A page of data issue groups.",
            examples=[OpenApiExample("Type mismatch", value=_EXAMPLE, response_only=True)],
        ),
        **error_responses(400),
    },
)
