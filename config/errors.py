"""Site-wide 404/500 handlers: each API door answers in its own error format."""

from django.views import defaults

from compat.customerio.errors import customerio_not_found
from compat.helpcrunch.errors import helpcrunch_not_found
from compat.retently.errors import retently_not_found
from customers.api.errors import native_not_found, native_server_error


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return native_not_found(request)
    if request.path.startswith("/compat/customerio/"):
        return customerio_not_found(request)
    if request.path.startswith("/compat/retently/"):
        return retently_not_found(request)
    if request.path.startswith("/compat/helpcrunch/"):
        return helpcrunch_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return native_server_error(request)
    return defaults.server_error(request)
