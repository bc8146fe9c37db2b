"""Customer.io Track v1 endpoints: people, events, devices, suppression and merges."""

from rest_framework.response import Response

from compat.customerio import errors, mapping, operations
from compat.customerio.authentication import HasSiteKey, SiteKeyAuthentication
from customers.http.doors import DoorView
from customers.http.parsers import StrictFormParser, StrictJSONParser


class CustomerIOView(DoorView):
    authentication_classes = [SiteKeyAuthentication]
    permission_classes = [HasSiteKey]
    parser_classes = [StrictJSONParser, StrictFormParser]
    schema = None
    render_error = staticmethod(errors.render)

    @property
    def caller(self) -> operations.Caller:
        return operations.Caller(account=self.request.auth.account, api_key=self.request.auth)

    def body(self) -> dict:
        return mapping.body_dict(super().body())


class CustomerView(CustomerIOView):
    def put(self, request, customer_id: str):
        operations.identify(self.caller, mapping.path_identifier(customer_id), self.body())
        return Response({})

    def delete(self, request, customer_id: str):
        operations.delete(self.caller, mapping.path_identifier(customer_id))
        return Response({})


class CustomerEventsView(CustomerIOView):
    def post(self, request, customer_id: str):
        operations.track(self.caller, mapping.path_identifier(customer_id), self.body())
        return Response({})


class AnonymousEventsView(CustomerIOView):
    def post(self, request):
        body = self.body()
        anonymous_id = body.get("anonymous_id")
        visitor = None if anonymous_id in (None, "") else mapping.anonymous_identifier(anonymous_id)
        operations.track(self.caller, visitor, body)
        return Response({})


class DevicesView(CustomerIOView):
    def put(self, request, customer_id: str):
        device = mapping.device_of(self.body(), token_field="id")
        operations.add_device(self.caller, mapping.path_identifier(customer_id), device)
        return Response({})


class DeviceView(CustomerIOView):
    def delete(self, request, customer_id: str, token: str):
        operations.delete_device(self.caller, mapping.path_identifier(customer_id), token)
        return Response({})


class SuppressView(CustomerIOView):
    def post(self, request, customer_id: str):
        operations.suppress(self.caller, mapping.path_identifier(customer_id))
        return Response({})


class UnsuppressView(CustomerIOView):
    def post(self, request, customer_id: str):
        operations.unsuppress(self.caller, mapping.path_identifier(customer_id))
        return Response({})


class MergeCustomersView(CustomerIOView):
    def post(self, request):
        operations.merge(self.caller, *mapping.merge_pair(self.body()))
        return Response({})
