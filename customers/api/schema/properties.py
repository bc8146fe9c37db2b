"""OpenAPI of a customer's properties: GET/PUT /api/customers/properties, PATCH/DELETE one."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from customers.api.schema.errors import error_responses, native_operation
from customers.api.schema.fields import (
    IDENTIFIERS_SENTENCE,
    INPUT_BARE_VALUES,
    INPUT_VALUE_HELP,
    INPUT_VALUE_SCHEMA,
    PROPERTY_TYPES,
    Constant,
    Documented,
    Identifiers,
    property_key,
    property_type,
    stored_value,
    typed,
)
from customers.api.schema.parameters import IDENTIFIER_PARAMETERS, key_parameter

# Seed 000's example customer.
SEED_CUSTOMER_ID = 42
SEED_UUID = "9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c"
SEED_TIME = "2026-06-01T12:00:00+00:00"
_TYPE_HELP = (
    "The property's type: text, number, integer, boolean, date, url, collection or json "
    "(the aliases string, int, long, double, float, decimal, datetime, list, array and "
    "object are read as their type). Once the property exists it must be the property's "
    "type or one that fits it (integer into number, url into text, collection into json; "
    "the value is then stored in the property's type); when absent, a new property's type "
    "is inferred from the value."
)


class StoredProperty(Documented):
    """One property of the customer: its key, value, type and when it was last written."""

    key = property_key()
    value = stored_value()
    type = property_type()
    updated_at = serializers.DateTimeField()


class CustomerPropertiesResponse(Documented):
    """The identified customer's properties (every active property that has a value)."""

    status = Constant("ok")
    customer_id = serializers.IntegerField()
    customer_uuid = serializers.UUIDField()
    properties = StoredProperty(many=True)


class WrittenProperty(Documented):
    """A property as the update left it; value and updated_at are null when it was unassigned."""

    key = property_key()
    value = stored_value(nullable=True)
    type = property_type()
    updated_at = serializers.DateTimeField(allow_null=True)


class PropertiesUpdateRequest(Identifiers):
    """Up to 50 property values for one customer (CONTACTS_MAX_KEYS_PER_REQUEST), all or none."""

    properties = typed(
        {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "anyOf": [
                    *INPUT_BARE_VALUES,
                    {
                        "type": "object",
                        "properties": {
                            "value": {**INPUT_VALUE_SCHEMA, "nullable": True},
                            "type": {"type": "string", "enum": PROPERTY_TYPES, "nullable": True},
                        },
                        "required": ["value"],
                        "additionalProperties": False,
                    },
                ],
                "nullable": True,
            },
        },
        help_text='Property key to value: a value as is, or {"value": v, "type": t} to '
        f"name its type. {INPUT_VALUE_HELP} An object for a json property is sent as "
        '{"value": {...}}. Keys are property keys (lowercase, digits, '
        "underscores); an unknown key creates the property.",
    )


class PropertiesUpdatedResponse(Documented):
    """The customer the update was applied to, and the properties it wrote."""

    status = Constant("updated")
    customer_id = serializers.IntegerField()
    customer_uuid = serializers.UUIDField()
    properties = WrittenProperty(many=True)


class PropertySetRequest(Identifiers):
    """One property value for one customer, with an optional type."""

    value = typed({**INPUT_VALUE_SCHEMA, "nullable": True}, help_text=INPUT_VALUE_HELP)
    type = property_type(nullable=True, required=False, help_text=_TYPE_HELP)


class SetProperty(Documented):
    """The property as written; value and type are null when it was unassigned."""

    key = property_key()
    value = stored_value(nullable=True)
    type = property_type(nullable=True)


class PropertySetResponse(Documented):
    """The customer and the property the request wrote."""

    status = Constant("updated")
    customer_id = serializers.IntegerField()
    property = SetProperty()


class PropertyUnassignedResponse(Documented):
    """The customer and the key unassigned from it (the property stays defined)."""

    status = Constant("deleted")
    customer_id = serializers.IntegerField()
    key = property_key()


customer_properties_list = native_operation(
    summary="List a customer's properties",
    description="Return every property value of one customer, with each property's type "
    f"and when it was last written. {IDENTIFIERS_SENTENCE} An unknown customer is a 404.",
    operation_id="customer_properties_list",
    parameters=IDENTIFIER_PARAMETERS,
    responses={
        200: OpenApiResponse(
            CustomerPropertiesResponse,
            description="The customer's properties.",
            examples=[
                OpenApiExample(
                    "Seed 000",
                    value={
                        "status": "ok",
                        "customer_id": SEED_CUSTOMER_ID,
                        "customer_uuid": SEED_UUID,
                        "properties": [
                            {
                                "key": "company_name",
                                "value": "Acme Inc",
                                "type": "text",
                                "updated_at": SEED_TIME,
                            }
                        ],
                    },
                    response_only=True,
                )
            ],
        ),
        **error_responses(400, 404),
    },
)

customer_properties_update = native_operation(
    summary="Bulk update up to 50 properties (all or nothing)",
    description="Write up to 50 properties of one customer in one transaction: if any value "
    "is refused (wrong type, archived property, invalid key or value) nothing is written "
    "and the error names every refused key in details.properties. Unknown keys create the "
    "property with the type given or inferred; null unassigns. A visitor_id, user_id or "
    f"email that matches no customer creates one. {IDENTIFIERS_SENTENCE}",
    operation_id="customer_properties_update",
    request=PropertiesUpdateRequest,
    parameters=IDENTIFIER_PARAMETERS,
    examples=[
        OpenApiExample(
            "Seed 000",
            value={
                "customer_uuid": SEED_UUID,
                "properties": {"company_name": "Acme Inc", "plan_tier": "enterprise"},
            },
            request_only=True,
        ),
    ],
    responses={
        200: OpenApiResponse(
            PropertiesUpdatedResponse,
            description="Every property was written.",
            examples=[
                OpenApiExample(
                    "Seed 000",
                    value={
                        "status": "updated",
                        "customer_id": SEED_CUSTOMER_ID,
                        "customer_uuid": SEED_UUID,
                        "properties": [
                            {
                                "key": "company_name",
                                "value": "Acme Inc",
                                "type": "text",
                                "updated_at": SEED_TIME,
                            },
                            {
                                "key": "plan_tier",
                                "value": "enterprise",
                                "type": "text",
                                "updated_at": SEED_TIME,
                            },
                        ],
                    },
                    response_only=True,
                )
            ],
        ),
        **error_responses(400, 404, 409, body=True),
    },
)

customer_property_set = native_operation(
    summary="Set one property",
    description="Write one property of one customer. The optional type must match the "
    "property's type once it exists (409 otherwise); null unassigns. A visitor_id, user_id "
    f"or email that matches no customer creates one. {IDENTIFIERS_SENTENCE}",
    operation_id="customer_property_set",
    request=PropertySetRequest,
    parameters=[*IDENTIFIER_PARAMETERS, key_parameter("The key of the property to set.")],
    examples=[
        OpenApiExample(
            "Seed 000",
            value={"customer_uuid": SEED_UUID, "value": "Acme Inc", "type": "text"},
            request_only=True,
        ),
    ],
    responses={
        200: OpenApiResponse(
            PropertySetResponse,
            description="The property was written.",
            examples=[
                OpenApiExample(
                    "Seed 000",
                    value={
                        "status": "updated",
                        "customer_id": SEED_CUSTOMER_ID,
                        "property": {"key": "company_name", "value": "Acme Inc", "type": "text"},
                    },
                    response_only=True,
                )
            ],
        ),
        **error_responses(400, 404, 409, body=True),
    },
)

customer_property_unassign = native_operation(
    summary="Unassign a property from this customer only",
    description="Remove one property's value from one customer; the property stays defined "
    "and other customers keep their values. Answers the same whether or not the customer "
    "had a value. The identifier may also come in a JSON body such as "
    f'{{"customer_uuid": "..."}}. {IDENTIFIERS_SENTENCE} An unknown customer or property '
    "is a 404, an archived property a 409.",
    operation_id="customer_property_unassign",
    parameters=[*IDENTIFIER_PARAMETERS, key_parameter("The key of the property to unassign.")],
    responses={
        200: OpenApiResponse(
            PropertyUnassignedResponse,
            description="The customer no longer has a value for the property.",
            examples=[
                OpenApiExample(
                    "Seed 000",
                    value={
                        "status": "deleted",
                        "customer_id": SEED_CUSTOMER_ID,
                        "key": "company_name",
                    },
                    response_only=True,
                )
            ],
        ),
        **error_responses(400, 404, 409, body=True),
    },
)
