"""Input and output mapping of the native API (seed 000); no business rules here."""

from rest_framework import serializers

from customers import values
from customers.identifiers import IDENTIFIER_KINDS
from customers.models import Customer, PropertyDefinition
from customers.selectors import HeldValue
from customers.services import PropertyWrite, WrittenProperty


class StrictSerializer(serializers.Serializer):
    """Refuse unknown fields instead of ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [f"Unknown field. Allowed fields: {', '.join(self.fields)}."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class IdentifiedSerializer(StrictSerializer):
    """A body that may carry one customer identifier, checked by the service layer."""

    customer_id = serializers.JSONField(required=False)
    customer_uuid = serializers.JSONField(required=False)
    visitor_id = serializers.JSONField(required=False)
    user_id = serializers.JSONField(required=False)
    email = serializers.JSONField(required=False)

    def identifiers(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k in IDENTIFIER_KINDS}


def property_value_problem(data) -> str | None:
    """Return what is wrong with a property's value as sent, or None: a scalar or an
    array, or {"value": v, "type": t}."""
    if isinstance(data, dict):
        if "value" not in data or set(data) - {"value", "type"}:
            return 'An object value must be {"value": ..., "type": ...} with no other keys.'
        if data.get("type") is not None and not isinstance(data["type"], str):
            return 'type must be a string such as "text".'
    return None


class PropertyValueField(serializers.JSONField):
    """A property's value: a scalar/array, or {"value": v, "type": t}."""

    def to_internal_value(self, data):
        if (problem := property_value_problem(data)) is not None:
            raise serializers.ValidationError(problem)
        return data


class PlainInput:
    """A body checked by hand rather than by a DRF serializer, for the busiest endpoints:
    building a serializer's fields costs a tenth of their time. Errors keep the
    serializers' shape (`details.fields`)."""

    FIELDS: tuple[str, ...] = IDENTIFIER_KINDS

    def __init__(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [f"Send a JSON object, not {type(data).__name__}."]}
            )
        unknown = sorted(set(data) - set(self.FIELDS))
        if unknown:
            allowed = f"Unknown field. Allowed fields: {', '.join(self.FIELDS)}."
            raise serializers.ValidationError({name: [allowed] for name in unknown})
        self.data = data

    def identifiers(self) -> dict:
        return {k: v for k, v in self.data.items() if k in IDENTIFIER_KINDS}

    def text(self, name: str, *, max_length: int, required: bool = False) -> str | None:
        """Return the field `name` as DRF's CharField reads it (numbers as text, whitespace
        trimmed, never blank), or None when it is absent and not required."""
        if name not in self.data:
            if required:
                raise serializers.ValidationError({name: ["This field is required."]})
            return None
        value = self.data[name]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise serializers.ValidationError({name: ["Not a valid string."]})
        value = str(value).strip()
        if not value:
            raise serializers.ValidationError({name: ["This field may not be blank."]})
        if len(value) > max_length:
            raise serializers.ValidationError(
                {name: [f"Ensure this field has no more than {max_length} characters."]}
            )
        return value

    def mapping(self, name: str) -> dict | None:
        """Return the JSON object `name`, or None when it is absent."""
        value = self.data.get(name)
        if name in self.data and not isinstance(value, dict):
            kind = type(value).__name__
            raise serializers.ValidationError(
                {name: [f'Expected a dictionary of items but got type "{kind}".']}
            )
        return value


class PropertiesUpdateInput(PlainInput):
    """The bulk update's body: one identifier and the properties, `{key: value}`."""

    FIELDS = (*IDENTIFIER_KINDS, "properties")

    def __init__(self, data):
        super().__init__(data)
        properties = data.get("properties")
        if not isinstance(properties, dict) or not properties:
            raise serializers.ValidationError(
                {"properties": ['Send an object of at least one {"key": value}.']}
            )
        problems = {
            key: [problem]
            for key, raw in properties.items()
            if (problem := property_value_problem(raw)) is not None
        }
        if problems:
            raise serializers.ValidationError({"properties": problems})

    def writes(self) -> list[PropertyWrite]:
        return [
            PropertyWrite(key, raw["value"], raw.get("type"))
            if isinstance(raw, dict)
            else PropertyWrite(key, raw)
            for key, raw in self.data["properties"].items()
        ]


class PropertyUpdateInput(PlainInput):
    """One property's update: one identifier, `value` and an optional `type`."""

    FIELDS = (*IDENTIFIER_KINDS, "value", "type")

    def __init__(self, data):
        super().__init__(data)
        if "value" not in data:
            raise serializers.ValidationError({"value": ["This field is required."]})
        declared = data.get("type")
        if declared is not None and not isinstance(declared, str):
            raise serializers.ValidationError({"type": ['Send a string such as "text".']})

    def write(self, key: str) -> PropertyWrite:
        declared = self.data.get("type")
        return PropertyWrite(key, self.data["value"], declared.strip() if declared else declared)


class DefinitionCreateSerializer(StrictSerializer):
    key = serializers.CharField(trim_whitespace=False)
    type = serializers.CharField(required=False, default=values.PropertyType.TEXT)
    label = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DefinitionUpdateSerializer(StrictSerializer):
    label = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if "key" in data:
                raise serializers.ValidationError({"key": ["A property's key cannot change."]})
            if "type" in data:
                raise serializers.ValidationError(
                    {"type": ["Change a property's type on the Contact attributes page."]}
                )
        return super().to_internal_value(data)


# --- Output shapes


def value_json(value: HeldValue) -> dict:
    return {
        "key": value.key,
        "value": values.to_json(value.stored, value.type),
        "type": str(value.type),
        "updated_at": value.updated_at.isoformat(),
    }


def written_json(written: WrittenProperty) -> dict:
    return {
        "key": written.key,
        "value": written.to_json(),
        "type": str(written.type),
        "updated_at": written.updated_at.isoformat() if written.updated_at else None,
    }


def definition_json(definition: PropertyDefinition, customer_count: int | None = None) -> dict:
    count = getattr(definition, "customer_count", customer_count)
    body = {
        "key": definition.key,
        "label": definition.label,
        "type": definition.type,
        "description": definition.description,
        "source": definition.source,
        "archived": definition.is_archived,
        "archived_at": definition.archived_at.isoformat() if definition.archived_at else None,
        "created_at": definition.created_at.isoformat(),
        "updated_at": definition.updated_at.isoformat(),
    }
    if count is not None:
        body["customer_count"] = count
    return body


def customer_json(customer: Customer) -> dict:
    return {
        "customer_id": customer.pk,
        "customer_uuid": str(customer.uuid),
        "visitor_id": customer.visitor_id,
        "user_id": customer.user_id,
        "email": customer.email,
        "phone": customer.phone,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company": customer.company,
        "tags": [tag.name for tag in customer.tag_list],
        "properties": {
            key: values.to_json(stored, type_)
            for key, (type_, stored) in customer.property_values.items()
        },
        "created_at": customer.created_at.isoformat(),
        "updated_at": customer.updated_at.isoformat(),
    }
