"""Customer.io Track v1 endpoints: identify, delete, track, track anonymous."""

from rest_framework.response import Response

from compat.customerio import errors, mapping
from compat.customerio.authentication import HasSiteKey, SiteKeyAuthentication
from customers import services
from customers.errors import InvalidInput
from customers.http.doors import DoorView
from customers.http.parsers import StrictFormParser, StrictJSONParser
from customers.identifiers import Identifier, identifier_value
from events.services import event_track


class CustomerIOView(DoorView):
    authentication_classes = [SiteKeyAuthentication]
    permission_classes = [HasSiteKey]
    parser_classes = [StrictJSONParser, StrictFormParser]
    schema = None
    render_error = staticmethod(errors.render)

    @property
    def account(self):
        return self.request.auth.account

    def body(self) -> dict:
        return mapping.body_dict(super().body())

    def identifier(self, customer_id: str) -> Identifier:
        return Identifier("user_id", identifier_value("user_id", customer_id))

    def track(self, identifier: Identifier, body: dict) -> Response:
        occurred_at = None
        if body.get("timestamp") not in (None, ""):
            occurred_at = mapping.unix_timestamp(body["timestamp"], "timestamp")
        event_id = body.get("id")
        event_track(
            account=self.account,
            identifier=identifier,
            name=mapping.event_name(body),
            event_id=None if event_id in (None, "") else str(event_id),
            source=mapping.event_source(body),
            occurred_at=occurred_at,
            properties=mapping.event_data(body),
        )
        return Response({})


class CustomerView(CustomerIOView):
    def put(self, request, customer_id: str):
        attributes = self.body()
        services.customer_profile_save(
            account=self.account,
            identifier=self.identifier(customer_id),
            fields=mapping.customer_fields(attributes),
            writes=mapping.attribute_writes(attributes),
            create=not mapping.is_true(attributes.get("_update")),
        )
        return Response({})

    def delete(self, request, customer_id: str):
        customer = services.customer_identify(
            account=self.account, identifier=self.identifier(customer_id), create=False
        )
        services.customer_delete(customer=customer)
        return Response({})


class CustomerEventsView(CustomerIOView):
    def post(self, request, customer_id: str):
        return self.track(self.identifier(customer_id), self.body())


class AnonymousEventsView(CustomerIOView):
    def post(self, request):
        body = self.body()
        anonymous_id = body.get("anonymous_id")
        if anonymous_id in (None, ""):
            raise InvalidInput(
                "anonymous_id is required: this service keeps every event on a profile."
            )
        visitor = Identifier("visitor_id", identifier_value("visitor_id", anonymous_id))
        return self.track(visitor, body)
