"""Middleware of the whole site."""

from config.doors import render_error
from customers.http.bodies import prepare_body
from customers.http.errors import RequestError, record_for


class RequestBodyMiddleware:
    """Read chunked bodies and enforce the body size limit before any view runs.

    Refusals are answered in the format of the door the request came through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            prepare_body(request)
        except RequestError as error:
            return render_error(request, record_for(error))
        return self.get_response(request)
