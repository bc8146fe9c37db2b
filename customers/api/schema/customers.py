"""OpenAPI of GET /api/customers: customers filtered by identifiers, tags and conditions."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from customers.api.schema.errors import error_responses, native_operation
from customers.api.schema.fields import (
    STORED_VALUE_HELP,
    STORED_VALUE_SCHEMA,
    Constant,
    Documented,
    typed,
)
from customers.api.schema.parameters import CURSOR, LIMIT, identifier_parameters
from customers.api.schema.properties import SEED_CUSTOMER_ID, SEED_TIME, SEED_UUID


class CustomerSummary(Documented):
    """A customer: identifiers, contact fields, tags and every property value."""

    customer_id = serializers.IntegerField()
    customer_uuid = serializers.UUIDField()
    visitor_id = serializers.CharField(allow_null=True)
    user_id = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True, help_text="E.164, such as +14155550123.")
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    company = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())
    properties = typed(
        {"type": "object", "additionalProperties": STORED_VALUE_SCHEMA},
        help_text=f"Property key to value. {STORED_VALUE_HELP}",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CustomerListResponse(Documented):
    """One page of customers, newest first, with links to the next and previous pages."""

    status = Constant("ok")
    customers = CustomerSummary(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null.")


_FILTER = "Only customers with this identifier."
customers_list = native_operation(
    summary="List customers, filtered by identifiers, tags and property conditions",
    description="Return customers newest first, 50 a page by default, with cursor links. "
    "Besides the parameters below, any other query parameter is a property condition "
    "`key<op>value`: `plan_tier=enterprise`, `number_of_payments>=10`, "
    "`trial_ends__lt=2026-01-01`, `nickname__set=false`, `interests__contains=golf`. "
    "A malformed condition or identifier is a 400.",
    operation_id="customers_list",
    parameters=[
        *identifier_parameters(_FILTER, filters=True),
        OpenApiParameter("phone", str, description=f"{_FILTER} E.164, such as +14155550123."),
        OpenApiParameter(
            "tag",
            {"type": "array", "items": {"type": "string"}},
            explode=True,
            description="A tag name; repeat for customers that have every tag.",
        ),
        OpenApiParameter("q", str, description="Search identifiers, names and company."),
        OpenApiParameter(
            "suppressed",
            str,
            enum=["true", "false"],
            description="true: only customers suppressed through Customer.io; false: the others.",
        ),
        OpenApiParameter(
            "unsubscribed",
            str,
            enum=["true", "false"],
            description="true: only customers unsubscribed through Retently; false: the others.",
        ),
        CURSOR,
        LIMIT,
    ],
    responses={
        200: OpenApiResponse(
            CustomerListResponse,
            description="A page of customers.",
            examples=[
                OpenApiExample(
                    "Seed 000",
                    value={
                        "status": "ok",
                        "customers": [
                            {
                                "customer_id": SEED_CUSTOMER_ID,
                                "customer_uuid": SEED_UUID,
                                "visitor_id": "vis_abc123",
                                "user_id": "usr_789",
                                "email": "jane@example.com",
                                "phone": None,
                                "first_name": "Jane",
                                "last_name": "",
                                "company": "Acme Inc",
                                "tags": ["vip"],
                                "properties": {
                                    "company_name": "Acme Inc",
                                    "plan_tier": "enterprise",
                                },
                                "created_at": SEED_TIME,
                                "updated_at": SEED_TIME,
                            }
                        ],
                        "next": None,
                        "previous": None,
                    },
                    response_only=True,
                )
            ],
        ),
        **error_responses(400),
    },
)
