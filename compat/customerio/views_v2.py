"""Customer.io Track v2 endpoints: POST /entity (one operation) and /batch (many).

Each operation is all or nothing. A batch answers 200 when every operation was stored,
else 207 with `{"errors": [{"batch_index", "reason", "field", "message"}]}` naming the
refused ones; the others are stored.
"""

from django.db import transaction
from rest_framework.response import Response

from compat.customerio import errors, v2
from compat.customerio.views import CustomerIOView
from customers.errors import InvalidInput
from customers.http.errors import record_for
from customers.http.parsers import StrictJSONParser


class TrackV2View(CustomerIOView):
    parser_classes = [StrictJSONParser]
    render_error = staticmethod(errors.render_v2)

    def body(self) -> dict:
        body = super().body()
        if not isinstance(body, dict):
            raise InvalidInput("The body must be a JSON object.")
        return body


class EntityView(TrackV2View):
    def post(self, request):
        with transaction.atomic():
            v2.operation_run(self.caller, self.body())
        return Response({})


class BatchView(TrackV2View):
    def post(self, request):
        batch = self.body().get("batch")
        if not isinstance(batch, list) or not batch:
            raise InvalidInput(
                'batch must be a non-empty array of operations, such as {"batch": [{"type": '
                '"person", "action": "identify", "identifiers": {"id": "42"}}]}.',
                details={"field": "batch"},
            )
        refused = []
        caller = self.caller
        for index, op in enumerate(batch):
            try:
                with transaction.atomic():
                    v2.operation_run(caller, op)
            except Exception as error:
                record = record_for(error)
                if record is None:
                    raise
                refused.append(errors.v2_error(record, index))
        return Response({"errors": refused}, status=207 if refused else 200)
