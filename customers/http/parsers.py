"""DRF parsers over the toolkit's strict JSON and form parsing."""

from rest_framework.parsers import FormParser, JSONParser

from customers.http.bodies import read_limited
from customers.http.parsing import form_strict, loads_strict

# What a parser returns for a request that carried no body at all; `DoorView.body()`
# refuses it on the writes that need one.
NO_BODY = None


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream)
        if not body.strip():
            return NO_BODY
        return loads_strict(body)


class StrictFormParser(FormParser):
    """Form-encoded bodies (curl -d) with the same limit and refusals as JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream)
        if not body.strip():
            return NO_BODY
        return form_strict(body)
