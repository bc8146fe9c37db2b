"""Building blocks of the documentation-only serializers: closed objects, typed values."""

import re

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.identifiers import E164, MAX_CUSTOMER_ID, MAX_EXTERNAL_ID_LENGTH
from customers.values import KEY_PATTERN, PropertyType


def ecma_pattern(pattern: re.Pattern) -> str:
    """Return a Python regex anchored with \\Z as the ECMA-262 pattern OpenAPI expects."""
    return pattern.pattern.removesuffix(r"\Z") + "$"


KEY = ecma_pattern(KEY_PATTERN)
PHONE = ecma_pattern(E164)
PROPERTY_TYPES = [t.value for t in PropertyType]
IDENTIFIERS_SENTENCE = (
    "Identify the customer with exactly one of customer_id, customer_uuid, visitor_id, "
    "user_id or email, in the query string or the JSON body (the same one in both is fine)."
)


class Documented(serializers.Serializer):
    """Base of the documentation-only serializers (its docstring is never shown)."""


class ClosedObject(OpenApiSerializerExtension):
    """Document every `Documented` serializer as a closed object with its own description.

    The native API refuses unknown fields in a body, and its responses carry exactly
    the documented fields, so `additionalProperties: false` is the truth both ways.
    """

    target_class = Documented
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        for name, field in self.target.fields.items():
            if isinstance(field, Constant):
                schema["properties"][name] = _constant_component(auto_schema, field.values)
        # Only the class's own docstring: drf-spectacular would fall back on the base's.
        own_doc = type(self.target).__dict__.get("__doc__")
        if own_doc:
            schema["description"] = " ".join(own_doc.split())
        else:
            schema.pop("description", None)
        return schema


class Constant(serializers.CharField):
    """A status word that is one of `values`, documented as a named enum component."""

    def __init__(self, *values: str, **kwargs):
        self.values = values
        super().__init__(**kwargs)


def _constant_component(auto_schema, values: tuple[str, ...]) -> dict:
    """Register the enum of `values` as a component (e.g. OkStatus) and return its $ref.

    Inline, drf-spectacular's enum hook would name every status set "StatusEnum" and
    resolve the collisions with hashes; one component per set names them for clients.
    """
    name = "".join(value.capitalize() for value in values) + "Status"
    component = ResolvedComponent(
        name=name,
        type=ResolvedComponent.SCHEMA,
        schema={"type": "string", "enum": list(values)},
        object=name,
    )
    auto_schema.registry.register_on_missing(component)
    return component.ref


def typed(schema: dict, **kwargs) -> serializers.Field:
    """Return a field documented by the raw JSON `schema`."""
    field_class = extend_schema_field(schema)(type("Typed", (serializers.JSONField,), {}))
    return field_class(**kwargs)


STORED_VALUE_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {}},
        {"type": "object"},
    ],
}
STORED_VALUE_HELP = (
    "The value in its type's wire form: text and url as strings, number and integer as "
    "numbers, boolean as true/false, date as an ISO 8601 string in UTC, collection as a "
    "list of strings, json as the object or array stored."
)
# A value as is; where an object means {"value", "type"} (the bulk update), these only.
INPUT_BARE_VALUES = [
    {"type": "string"},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "array", "items": {}},
]
INPUT_VALUE_SCHEMA = {"anyOf": [*INPUT_BARE_VALUES, {"type": "object"}]}
INPUT_VALUE_HELP = (
    "The value: a string, number, boolean, ISO 8601 date string, list, or (for json "
    "properties) an object or array; null unassigns the property from this customer."
)


def stored_value(*, nullable: bool = False, help_text: str = STORED_VALUE_HELP):
    return typed(STORED_VALUE_SCHEMA, allow_null=nullable, help_text=help_text)


def property_type(*, nullable: bool = False, required: bool = True, help_text: str = ""):
    return serializers.ChoiceField(
        choices=PROPERTY_TYPES, allow_null=nullable, required=required, help_text=help_text
    )


def property_key(help_text: str = "The property's key.") -> serializers.Field:
    return serializers.RegexField(KEY, max_length=64, help_text=help_text)


class Identifiers(Documented):
    """The customer identifiers a body may carry (send exactly one, here or in the query)."""

    customer_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_CUSTOMER_ID,
        help_text="The customer's numeric id; the customer must exist (404 otherwise).",
    )
    customer_uuid = serializers.UUIDField(
        required=False, help_text="The customer's UUID; the customer must exist (404 otherwise)."
    )
    visitor_id = serializers.CharField(
        required=False,
        max_length=MAX_EXTERNAL_ID_LENGTH,
        help_text="Your anonymous visitor id; a write creates the customer when none matches.",
    )
    user_id = serializers.CharField(
        required=False,
        max_length=MAX_EXTERNAL_ID_LENGTH,
        help_text="Your user id; a write creates the customer when none matches.",
    )
    email = serializers.EmailField(
        required=False,
        max_length=MAX_EXTERNAL_ID_LENGTH,
        help_text="The customer's email (case-insensitive); a write creates the customer "
        "when none matches.",
    )
