"""OpenAPI of property definitions: /api/properties, /api/properties/{key}, archive, restore."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from customers.api.schema.errors import error_responses, native_operation
from customers.api.schema.fields import PROPERTY_TYPES, Constant, Documented, property_key
from customers.api.schema.parameters import key_parameter
from customers.api.schema.properties import SEED_TIME
from customers.models import DefinitionSource
from customers.services.definitions import MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH


class PropertyDefinition(Documented):
    """An account-wide property: its key never changes, its type only on purpose."""

    key = property_key()
    label = serializers.CharField(help_text="The name shown to people.")
    type = serializers.ChoiceField(choices=PROPERTY_TYPES)
    description = serializers.CharField(allow_blank=True)
    source = serializers.ChoiceField(
        choices=DefinitionSource.values,
        help_text="Where the property was created: api, ui (the browser) or import.",
    )
    archived = serializers.BooleanField(
        help_text="Archived properties are hidden and refuse writes; their values are kept."
    )
    archived_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CountedPropertyDefinition(PropertyDefinition):
    """An account-wide property with the number of customers that have a value for it."""

    customer_count = serializers.IntegerField(min_value=0)


class DefinitionListResponse(Documented):
    """The account's property definitions, each with its customer count."""

    status = Constant("ok")
    properties = CountedPropertyDefinition(many=True)


class DefinitionReadResponse(Documented):
    """One property definition with its customer count."""

    status = Constant("ok")
    property = CountedPropertyDefinition()


class DefinitionCreatedResponse(Documented):
    """The new property definition (no customer has a value yet)."""

    status = Constant("created")
    property = CountedPropertyDefinition()


class DefinitionUpdatedResponse(Documented):
    """The property definition with its new label or description."""

    status = Constant("updated")
    property = PropertyDefinition()


class DefinitionArchivedResponse(Documented):
    """The archived property definition (archiving twice changes nothing)."""

    status = Constant("archived")
    property = PropertyDefinition()


class DefinitionRestoredResponse(Documented):
    """The restored property definition (restoring an active one changes nothing)."""

    status = Constant("restored")
    property = PropertyDefinition()


class DefinitionDeletedResponse(Documented):
    """The key deleted for good, and how many customers' values went with it."""

    status = Constant("deleted")
    key = property_key()
    values_removed = serializers.IntegerField(min_value=0)


class DefinitionDeletingResponse(Documented):
    """The key whose permanent delete a background worker will run."""

    status = Constant("deleting")
    key = property_key()


class DefinitionCreateRequest(Documented):
    """A new property definition; the label defaults to one made from the key."""

    key = property_key(
        "The new property's key: lowercase letters, digits and underscores, starting with "
        "a letter, at most 64 characters."
    )
    type = serializers.ChoiceField(
        choices=PROPERTY_TYPES,
        required=False,
        default="text",
        help_text="The property's type (aliases such as string, int or datetime are read as "
        "their type).",
    )
    label = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LABEL_LENGTH, default=""
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH, default=""
    )


class DefinitionUpdateRequest(Documented):
    """A new label or description; a property's key and type do not change here."""

    label = serializers.CharField(required=False, max_length=MAX_LABEL_LENGTH)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH
    )


_DEFINITION = {
    "key": "company_name",
    "label": "Company name",
    "type": "text",
    "description": "",
    "source": "api",
    "archived": False,
    "archived_at": None,
    "created_at": SEED_TIME,
    "updated_at": SEED_TIME,
}
_ARCHIVED = {**_DEFINITION, "archived": True, "archived_at": SEED_TIME}
_ADMIN = "Needs an API key with the admin scope (403 otherwise)."


def _ok(serializer, description: str, example: dict) -> OpenApiResponse:
    return OpenApiResponse(
        serializer,
        description=description,
        examples=[OpenApiExample("company_name", value=example, response_only=True)],
    )


properties_list = native_operation(
    summary="List property definitions with customer counts",
    description="Return the account's property definitions, active ones by default, each "
    "with the number of customers that have a value for it.",
    operation_id="properties_list",
    parameters=[
        OpenApiParameter(
            "status",
            str,
            enum=["active", "archived", "all"],
            description="Which definitions: active (default), archived or all.",
        )
    ],
    responses={
        200: _ok(
            DefinitionListResponse,
            "The definitions.",
            {"status": "ok", "properties": [{**_DEFINITION, "customer_count": 1}]},
        ),
        **error_responses(400),
    },
)

properties_create = native_operation(
    summary="Create a property definition",
    description="Define a property before any customer has a value for it. The key must "
    "already be normalized; an existing key is a 409 (`property_exists`), and so is a label "
    "another active property has, ignoring case (`label_taken`).",
    operation_id="properties_create",
    request=DefinitionCreateRequest,
    examples=[
        OpenApiExample(
            "company_name",
            value={"key": "company_name", "type": "text", "label": "Company name"},
            request_only=True,
        )
    ],
    responses={
        201: _ok(
            DefinitionCreatedResponse,
            "The definition was created.",
            {"status": "created", "property": {**_DEFINITION, "customer_count": 0}},
        ),
        **error_responses(400, 409, body=True),
    },
)

properties_read = native_operation(
    summary="Read a property definition",
    description="Return one definition, archived or not, with its customer count.",
    operation_id="properties_read",
    parameters=[key_parameter("The property's key.")],
    responses={
        200: _ok(
            DefinitionReadResponse,
            "The definition.",
            {"status": "ok", "property": {**_DEFINITION, "customer_count": 1}},
        ),
        **error_responses(404),
    },
)

properties_update = native_operation(
    summary="Change a definition's label and description",
    description="Change the label or the description of a definition. Its key never "
    "changes, and its type changes only on the Contact attributes page (400 here). A label "
    "another active property has, ignoring case, is a 409 (`label_taken`).",
    operation_id="properties_update",
    parameters=[key_parameter("The property's key.")],
    request=DefinitionUpdateRequest,
    examples=[OpenApiExample("company_name", value={"label": "Company name"}, request_only=True)],
    responses={
        200: _ok(
            DefinitionUpdatedResponse,
            "The definition was changed.",
            {"status": "updated", "property": _DEFINITION},
        ),
        **error_responses(400, 404, 409, body=True),
    },
)

properties_delete = native_operation(
    summary="Delete an archived definition permanently, with every value (admin key)",
    description="Delete an archived definition and every customer's value of it; an active "
    "one is a 409 (archive it first). Without a task worker the delete runs at once (200, "
    f"with the number of values removed); with one it is queued (202). {_ADMIN}",
    operation_id="properties_delete",
    parameters=[key_parameter("The key of the archived property.")],
    responses={
        200: _ok(
            DefinitionDeletedResponse,
            "The definition and its values are deleted.",
            {"status": "deleted", "key": "company_name", "values_removed": 1},
        ),
        202: _ok(
            DefinitionDeletingResponse,
            "A background worker will delete the definition and its values.",
            {"status": "deleting", "key": "company_name"},
        ),
        **error_responses(400, 403, 404, 409),
    },
)

properties_archive = native_operation(
    summary="Archive a definition account-wide (admin key)",
    description="Hide a property everywhere and refuse writes to it, keeping every value; "
    f"restoring brings them back. Archiving an archived property changes nothing. {_ADMIN}",
    operation_id="properties_archive",
    parameters=[key_parameter("The property's key.")],
    request=None,
    responses={
        200: _ok(
            DefinitionArchivedResponse,
            "The definition is archived.",
            {"status": "archived", "property": _ARCHIVED},
        ),
        **error_responses(403, 404),
    },
)

properties_restore = native_operation(
    summary="Restore an archived definition (admin key)",
    description="Make an archived property active again, with every value it had. "
    "Restoring an active property changes nothing; one whose label an active property has "
    f"is a 409 (`label_taken`: rename one of them first). {_ADMIN}",
    operation_id="properties_restore",
    parameters=[key_parameter("The property's key.")],
    request=None,
    responses={
        200: _ok(
            DefinitionRestoredResponse,
            "The definition is active.",
            {"status": "restored", "property": _DEFINITION},
        ),
        **error_responses(403, 404, 409),
    },
)
