"""Native REST API (seed 000 "Customer Properties API", PRODUCT.md §4)."""

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import limits, selectors, services
from customers.api import filters
from customers.api.authentication import (
    ApiKeyAuthentication,
    ApiKeyRateThrottle,
    HasAdminScope,
    HasApiKey,
)
from customers.api.errors import native_exception_handler
from customers.api.parsers import NulCharacter, StrictJSONParser
from customers.api.serializers import (
    DefinitionCreateSerializer,
    DefinitionUpdateSerializer,
    IdentifiedSerializer,
    PropertiesUpdateSerializer,
    PropertyUpdateSerializer,
    StrictSerializer,
    customer_json,
    definition_json,
    value_json,
    written_json,
)
from customers.errors import InvalidIdentifier
from customers.identifiers import IDENTIFIER_KINDS, Identifier, identifier_from
from customers.models import Customer
from customers.values import validate_key

IDENTIFIER_PARAMETERS = [
    OpenApiParameter(kind, str, description="Exactly one customer identifier.")
    for kind in IDENTIFIER_KINDS
]


class NativeAPIView(APIView):
    """Base of every native endpoint: X-API-Key, strict JSON, one error shape."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    parser_classes = [StrictJSONParser]
    throttle_classes = [ApiKeyRateThrottle]

    def get_exception_handler(self):
        return native_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise NulCharacter(f"NUL characters are not allowed (in query parameter {name!r}).")

    @property
    def account(self):
        return self.request.auth.account

    @property
    def actor(self) -> services.Actor:
        return services.Actor(api_key=self.request.auth)

    def validated(self, serializer_class: type[StrictSerializer]) -> StrictSerializer:
        serializer = serializer_class(data=self.request.data)
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
    @extend_schema(
        summary="List a customer's properties",
        operation_id="customer_properties_list",
        parameters=IDENTIFIER_PARAMETERS,
        responses={200: dict},
    )
    def get(self, request):
        customer = self.customer(self.identifier(), create=False)
        return Response(
            {
                "status": "ok",
                "customer_id": customer.pk,
                "customer_uuid": str(customer.uuid),
                "properties": [value_json(v) for v in selectors.customer_values(customer=customer)],
            }
        )

    @extend_schema(
        summary="Bulk update up to 50 properties (all or nothing)",
        operation_id="customer_properties_update",
        request=PropertiesUpdateSerializer,
        responses={200: dict},
    )
    def put(self, request):
        body = self.validated(PropertiesUpdateSerializer)
        identifier = self.identifier(body.identifiers())
        writes = body.writes()
        maximum = limits.max_keys_per_request()
        # Refuse an oversized update before creating any customer.
        services.writes_check_count(writes, max_keys=maximum)
        customer = self.customer(identifier, create=True)
        result = services.customer_properties_set(
            account=self.account, customer=customer, writes=writes, max_keys=maximum
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
    @extend_schema(
        summary="Set one property",
        operation_id="customer_property_set",
        request=PropertyUpdateSerializer,
        responses={200: dict},
    )
    def patch(self, request, key: str):
        validate_key(key)
        body = self.validated(PropertyUpdateSerializer)
        customer = self.customer(self.identifier(body.identifiers()), create=True)
        data = body.validated_data
        result = services.customer_properties_set(
            account=self.account,
            customer=customer,
            writes=[services.PropertyWrite(key, data["value"], data.get("type"))],
        )
        written = written_json(result.written[0]) if result.written else {"key": key, "value": None}
        written.pop("updated_at", None)
        written.setdefault("type", None)
        return Response({"status": "updated", "customer_id": customer.pk, "property": written})

    @extend_schema(
        summary="Unassign a property from this customer only",
        operation_id="customer_property_unassign",
        parameters=IDENTIFIER_PARAMETERS,
        responses={200: dict},
    )
    def delete(self, request, key: str):
        validate_key(key)
        body_identifiers = {}
        if request.data:
            body = self.validated(IdentifiedSerializer)
            body_identifiers = body.identifiers()
        customer = self.customer(self.identifier(body_identifiers), create=False)
        services.property_unassign(account=self.account, customer=customer, key=key)
        return Response({"status": "deleted", "customer_id": customer.pk, "key": key})


class DefinitionsView(NativeAPIView):
    @extend_schema(
        summary="List property definitions with customer counts",
        operation_id="properties_list",
        parameters=[OpenApiParameter("status", str, enum=["active", "archived", "all"])],
        responses={200: dict},
    )
    def get(self, request):
        status_filter = request.query_params.get("status", "active")
        if status_filter not in ("active", "archived", "all"):
            raise ValidationError({"status": ["Use active, archived or all."]})
        definitions = selectors.definitions_with_counts(account=self.account, status=status_filter)
        return Response({"status": "ok", "properties": [definition_json(d) for d in definitions]})

    @extend_schema(
        summary="Create a property definition",
        operation_id="properties_create",
        request=DefinitionCreateSerializer,
        responses={201: dict},
    )
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

    @extend_schema(
        summary="Read a property definition", operation_id="properties_read", responses={200: dict}
    )
    def get(self, request, key: str):
        definition = self.definition(key)
        count = selectors.definition_customer_count(definition=definition)
        return Response({"status": "ok", "property": definition_json(definition, count)})

    @extend_schema(
        summary="Change a definition's label and description",
        operation_id="properties_update",
        request=DefinitionUpdateSerializer,
        responses={200: dict},
    )
    def patch(self, request, key: str):
        data = self.validated(DefinitionUpdateSerializer).validated_data
        definition = services.definition_update(
            definition=self.definition(key), actor=self.actor, **data
        )
        return Response({"status": "updated", "property": definition_json(definition)})

    @extend_schema(
        summary="Delete an archived definition permanently, with every value (admin key)",
        operation_id="properties_delete",
        responses={200: dict},
    )
    def delete(self, request, key: str):
        purge = services.definition_purge_request(definition=self.definition(key), actor=self.actor)
        if purge.queued:
            # A task worker runs the delete; the audit log records the count.
            return Response({"status": "deleting", "key": key}, status=status.HTTP_202_ACCEPTED)
        return Response({"status": "deleted", "key": key, "values_removed": purge.values_removed})


class DefinitionArchiveView(NativeAPIView):
    permission_classes = [HasAdminScope]

    @extend_schema(
        summary="Archive a definition account-wide (admin key)",
        operation_id="properties_archive",
        request=None,
        responses={200: dict},
    )
    def post(self, request, key: str):
        definition = selectors.definition_get(account=self.account, key=key)
        definition = services.definition_archive(definition=definition, actor=self.actor)
        return Response({"status": "archived", "property": definition_json(definition)})


class DefinitionRestoreView(NativeAPIView):
    permission_classes = [HasAdminScope]

    @extend_schema(
        summary="Restore an archived definition (admin key)",
        operation_id="properties_restore",
        request=None,
        responses={200: dict},
    )
    def post(self, request, key: str):
        definition = selectors.definition_get(account=self.account, key=key)
        definition = services.definition_restore(definition=definition, actor=self.actor)
        return Response({"status": "restored", "property": definition_json(definition)})


class CustomerCursorPagination(CursorPagination):
    """Keyset pagination: fast on any number of customers, no COUNT(*)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class CustomersView(NativeAPIView):
    @extend_schema(
        summary="List customers, filtered by identifiers, tags and property conditions",
        operation_id="customers_list",
        parameters=filters.CUSTOMER_FILTER_PARAMETERS,
        responses={200: dict},
    )
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
