"""Native REST API (seed 000 "Customer Properties API", PRODUCT.md §4)."""

from django.http import JsonResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from customers import limits, selectors, services
from customers.api import errors, filters
from customers.api.authentication import (
    ApiKeyAuthentication,
    HasAdminScope,
    HasApiKey,
)
from customers.api.pagination import KeysetPagination
from customers.api.schema import customers as customers_schema
from customers.api.schema import definitions as definitions_schema
from customers.api.schema import properties as properties_schema
from customers.api.serializers import (
    DefinitionCreateSerializer,
    DefinitionUpdateSerializer,
    IdentifiedSerializer,
    PropertiesUpdateInput,
    PropertyUpdateInput,
    StrictSerializer,
    customer_json,
    definition_json,
    value_json,
    written_json,
)
from customers.errors import InvalidIdentifier, InvalidInput
from customers.http.doors import DoorView
from customers.identifiers import IDENTIFIER_KINDS, Identifier, identifier_from
from customers.models import Customer
from customers.values import validate_key


class NativeAPIView(DoorView):
    """Base of every native endpoint: X-API-Key, strict JSON, one error shape."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    render_error = staticmethod(errors.render)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.has_body() and not isinstance(request.data, dict):
            raise InvalidInput('The body must be a JSON object, such as {"email": "…"}.')

    @property
    def account(self):
        return self.request.auth.account

    @property
    def actor(self) -> services.Actor:
        return services.Actor(api_key=self.request.auth)

    def validated(self, serializer_class: type[StrictSerializer]) -> StrictSerializer:
        serializer = serializer_class(data=self.body())
        serializer.is_valid(raise_exception=True)
        return serializer

    def identifier(self, body_identifiers: dict | None = None) -> Identifier:
        """Return the one customer identifier of the query string and the body."""
        candidates = {k: v for k, v in self.request.query_params.items() if k in IDENTIFIER_KINDS}
        for kind, value in (body_identifiers or {}).items():
            if kind in candidates and str(candidates[kind]) != str(value):
                raise InvalidIdentifier(
                    f"{kind} differs between the query string and the body.",
                    code="multiple_identifiers",
                )
            candidates[kind] = value
        return identifier_from(candidates)

    def customer(self, identifier: Identifier, *, create: bool) -> Customer:
        return services.customer_identify(
            account=self.account, identifier=identifier, create=create
        )


class CustomerPropertiesView(NativeAPIView):
    @properties_schema.customer_properties_list
    def get(self, request):
        customer = self.customer(self.identifier(), create=False)
        return Response(
            {
                "status": "ok",
                "customer_id": customer.pk,
                "customer_uuid": str(customer.uuid),
                "properties": [
                    value_json(v) for v in selectors.customer_held_values(customer=customer)
                ],
            }
        )

    @properties_schema.customer_properties_update
    def put(self, request):
        body = PropertiesUpdateInput(self.body())
        identifier = self.identifier(body.identifiers())
        customer, result = services.customer_properties_save(
            account=self.account,
            identifier=identifier,
            writes=body.writes(),
            max_keys=limits.max_keys_per_request(),
        )
        return Response(
            {
                "status": "updated",
                "customer_id": customer.pk,
                "customer_uuid": str(customer.uuid),
                "properties": [written_json(w) for w in result.written],
            }
        )


class CustomerPropertyView(NativeAPIView):
    @properties_schema.customer_property_set
    def patch(self, request, key: str):
        validate_key(key)
        body = PropertyUpdateInput(self.body())
        customer, result = services.customer_properties_save(
            account=self.account,
            identifier=self.identifier(body.identifiers()),
            writes=[body.write(key)],
        )
        written = written_json(result.written[0]) if result.written else {"key": key, "value": None}
        written.pop("updated_at", None)
        written.setdefault("type", None)
        return Response({"status": "updated", "customer_id": customer.pk, "property": written})

    @properties_schema.customer_property_unassign
    def delete(self, request, key: str):
        validate_key(key)
        body_identifiers = {}
        if self.has_body():
            body = self.validated(IdentifiedSerializer)
            body_identifiers = body.identifiers()
        customer = self.customer(self.identifier(body_identifiers), create=False)
        services.property_unassign(account=self.account, customer=customer, key=key)
        return Response({"status": "deleted", "customer_id": customer.pk, "key": key})


class DefinitionsView(NativeAPIView):
    @definitions_schema.properties_list
    def get(self, request):
        status_filter = request.query_params.get("status", "active")
        if status_filter not in ("active", "archived", "all"):
            raise ValidationError({"status": ["Use active, archived or all."]})
        definitions = selectors.definitions_with_counts(account=self.account, status=status_filter)
        return Response({"status": "ok", "properties": [definition_json(d) for d in definitions]})

    @definitions_schema.properties_create
    def post(self, request):
        data = self.validated(DefinitionCreateSerializer).validated_data
        definition = services.definition_create(account=self.account, actor=self.actor, **data)
        return Response(
            {"status": "created", "property": definition_json(definition, 0)},
            status=status.HTTP_201_CREATED,
        )


class DefinitionView(NativeAPIView):
    def get_permissions(self):
        if self.request.method == "DELETE":
            return [HasAdminScope()]
        return super().get_permissions()

    def definition(self, key: str):
        return selectors.definition_get(account=self.account, key=key)

    @definitions_schema.properties_read
    def get(self, request, key: str):
        definition = self.definition(key)
        count = selectors.definition_customer_count(definition=definition)
        return Response({"status": "ok", "property": definition_json(definition, count)})

    @definitions_schema.properties_update
    def patch(self, request, key: str):
        data = self.validated(DefinitionUpdateSerializer).validated_data
        definition = services.definition_update(
            definition=self.definition(key), actor=self.actor, **data
        )
        return Response({"status": "updated", "property": definition_json(definition)})

    @definitions_schema.properties_delete
    def delete(self, request, key: str):
        purge = services.definition_purge_request(definition=self.definition(key), actor=self.actor)
        if purge.queued:
            # A task worker runs the delete; the audit log records the count.
            return Response({"status": "deleting", "key": key}, status=status.HTTP_202_ACCEPTED)
        return Response({"status": "deleted", "key": key, "values_removed": purge.values_removed})


class DefinitionStateView(NativeAPIView):
    """Archive or restore a definition (admin scope); subclasses name the service."""

    permission_classes = [HasAdminScope]
    change = None  # services.definition_archive or services.definition_restore
    done = ""

    def change_state(self, key: str) -> Response:
        definition = selectors.definition_get(account=self.account, key=key)
        definition = type(self).change(definition=definition, actor=self.actor)
        return Response({"status": self.done, "property": definition_json(definition)})


class DefinitionArchiveView(DefinitionStateView):
    change = staticmethod(services.definition_archive)
    done = "archived"

    @definitions_schema.properties_archive
    def post(self, request, key: str):
        return self.change_state(key)


class DefinitionRestoreView(DefinitionStateView):
    change = staticmethod(services.definition_restore)
    done = "restored"

    @definitions_schema.properties_restore
    def post(self, request, key: str):
        return self.change_state(key)


class CustomerCursorPagination(KeysetPagination):
    """Keyset pagination: fast on any number of customers, no COUNT(*)."""

    ordering = "-id"


class CustomersView(NativeAPIView):
    @customers_schema.customers_list
    def get(self, request):
        filter_values, conditions = filters.customer_filters(request)
        queryset = selectors.customers_filtered(
            account=self.account, conditions=conditions, **filter_values
        )
        paginator = CustomerCursorPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        customers = selectors.customers_with_values(page)
        return Response(
            {
                "status": "ok",
                "customers": [customer_json(c) for c in customers],
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            }
        )


def healthz(request) -> JsonResponse:
    """Liveness: answers without touching the database."""
    return JsonResponse({"status": "ok"})
