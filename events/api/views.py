"""POST/GET /api/events: seed 002 custom customer events on the native API."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from customers.api.views import IDENTIFIER_PARAMETERS, NativeAPIView
from customers.identifiers import IDENTIFIER_KINDS, Identifier, identifier_value
from customers.values import parse_iso_datetime
from events import selectors, services
from events.api.serializers import (
    EventCreateSerializer,
    customer_fields,
    customer_identifier,
    customer_property_writes,
    event_json,
)
from events.models import Event


class EventFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    source = django_filters.CharFilter()
    after = django_filters.IsoDateTimeFilter(help_text="Occurred at or after (ISO 8601).")
    before = django_filters.IsoDateTimeFilter(help_text="Occurred before (ISO 8601).")

    class Meta:
        model = Event
        fields = []


class EventCursorPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class EventsView(NativeAPIView):
    @extend_schema(
        summary="Record a custom customer event (insert, or replace by id)",
        operation_id="events_create",
        request=EventCreateSerializer,
        responses={200: dict, 201: dict},
    )
    def post(self, request):
        body = self.validated(EventCreateSerializer)
        data = body.validated_data
        customer = data["customer"]
        kind, raw = customer_identifier(customer)
        occurred_at = None
        if data.get("timestamp"):
            occurred_at = parse_iso_datetime(data["timestamp"])
        event, created = services.event_track(
            account=self.account,
            identifier=Identifier(kind, identifier_value(kind, raw)),
            name=data["name"],
            event_id=data.get("id"),
            source=data.get("source", ""),
            occurred_at=occurred_at,
            properties=data.get("properties") or {},
            customer_fields=customer_fields(customer),
            customer_properties=customer_property_writes(customer),
        )
        return Response(
            {"status": "created" if created else "replaced", "event": event_json(event)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="List events, newest first: one customer's (with an identifier) or the account's",
        operation_id="events_list",
        parameters=[
            *IDENTIFIER_PARAMETERS,
            OpenApiParameter("name", str),
            OpenApiParameter("source", str),
            OpenApiParameter("after", str, description="ISO 8601; occurred at or after."),
            OpenApiParameter("before", str, description="ISO 8601; occurred before."),
            OpenApiParameter("cursor", str),
            OpenApiParameter("limit", int),
        ],
        responses={200: dict},
    )
    def get(self, request):
        filterset = EventFilter(data=request.query_params, queryset=Event.objects.none())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        cleaned = filterset.form.cleaned_data
        customer = None
        if any(request.query_params.get(kind) for kind in IDENTIFIER_KINDS):
            customer = self.customer(self.identifier(), create=False)
        queryset = selectors.events_filtered(
            account=self.account,
            customer=customer,
            name=cleaned.get("name") or "",
            source=cleaned.get("source") or "",
            after=cleaned.get("after"),
            before=cleaned.get("before"),
        )
        paginator = EventCursorPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return Response(
            {
                "status": "ok",
                "events": [event_json(e) for e in page],
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            }
        )
