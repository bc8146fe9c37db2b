"""The base view of every API door: strict parsing, one error record, the door's renderer."""

from collections.abc import Callable

from django.http import HttpResponse
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from customers.http.bodies import declared_length
from customers.http.errors import EmptyBody, ErrorRecord, record_for
from customers.http.parsers import NO_BODY, StrictJSONParser
from customers.http.parsing import refuse_unstorable_query
from customers.http.throttling import ApiKeyRateThrottle


class JSONOnly(DefaultContentNegotiation):
    """Every door answers JSON, whatever the Accept header: skip parsing it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DoorView(APIView):
    """An endpoint of one door; subclasses set `render_error = staticmethod(<renderer>)`."""

    parser_classes = [StrictJSONParser]
    content_negotiation_class = JSONOnly
    throttle_classes = [ApiKeyRateThrottle]
    render_error: Callable[[ErrorRecord], HttpResponse]

    def get_exception_handler(self):
        return self.handle_error

    def handle_error(self, exc, context):
        record = record_for(exc)
        return None if record is None else self.render_error(record)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unstorable_query(request.query_params)
        if declared_length(request.META) > 0:
            # Parse any body, on every method: a malformed one is refused even where the
            # endpoint reads nothing from it (DELETE), rather than acted on regardless.
            request.data  # noqa: B018

    def has_body(self) -> bool:
        """Return whether the request carried a body (anything but whitespace)."""
        return declared_length(self.request.META) > 0 and self.request.data is not NO_BODY

    def body(self):
        """Return the parsed body of a write; an empty or missing body is refused."""
        if not self.has_body():
            raise EmptyBody(
                "The request has no body: send the JSON object this endpoint documents, "
                "with Content-Type: application/json."
            )
        return self.request.data
