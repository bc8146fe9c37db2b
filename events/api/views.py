"""POST/GET /api/events: seed 002 custom customer events on the native API, and POST
/api/stores/{store_id}/custom_events, the same write at the vendor's own path."""

import django_filters
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from customers.api.authentication import ApiKeyAuthentication
from customers.api.pagination import KeysetPagination
from customers.api.views import NativeAPIView
from customers.errors import NotFound
from customers.identifiers import IDENTIFIER_KINDS, Identifier, identifier_value
from customers.values import parse_iso_datetime
from events import selectors, services
from events.api import schema
from events.api.authentication import HEADER, StoreTokenAuthentication
from events.api.serializers import (
    EventCreateInput,
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


class EventCursorPagination(KeysetPagination):
    ordering = ("-occurred_at", "-id")


class EventsView(NativeAPIView):
    @schema.events_create
    def post(self, request):
        return self.record()

    def record(self) -> Response:
        """Record the seed 002 event of the body: 201 when new, 200 when it replaced one."""
        data = EventCreateInput(self.body()).cleaned
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

    @schema.events_list
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


class StoreEventsView(EventsView):
    """Seed 002 at its vendor's path: the store id (the account's site id) in the path, the
    access token in `X-Yotpo-Token` (or `?utoken=`); the body and answers are /api/events'."""

    authentication_classes = [StoreTokenAuthentication, ApiKeyAuthentication]
    http_method_names = ["post", "options"]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if kwargs["store_id"] != self.account.site_id:
            raise NotFound(
                f"No store {kwargs['store_id'][:64]!r} for this access token: the store id is "
                f"the account's site id, shown on the Settings page; send that store's key in "
                f"the {HEADER} header."
            )

    def post(self, request, store_id: str):
        return self.record()
