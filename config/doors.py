"""Which door a request came through, and how that door renders an error record.

Errors raised before a view runs (body framing and size) and unknown paths or server
errors are answered here, in the format of the door the client was talking to: the
door of the view the path resolves to, else the door its path prefix belongs to.
"""

from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.views import defaults

from compat.customerio import errors as customerio
from compat.helpcrunch import errors as helpcrunch
from compat.retently import errors as retently
from customers.api import errors as native
from customers.http.errors import ErrorRecord, not_found_record, server_error_record

# Path prefixes of the API doors, for paths that resolve to no view; the rest are pages.
API_DOORS = (
    ("/api/", native.render, " See /api/docs/."),
    ("/compat/customerio/", customerio.render, ""),
    ("/compat/retently/", retently.render, ""),
    ("/compat/helpcrunch/", helpcrunch.render, ""),
)


def _renderer_of_view(request):
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return getattr(getattr(match.func, "cls", None), "render_error", None)


# On a vendor host (config/hosts.py) every path belongs to that vendor's door.
VENDOR_DOORS = {door[0].split("/")[2]: door for door in API_DOORS[1:]}


def _door_of_path(request):
    if (vendor := getattr(request, "compat_vendor", None)) is not None:
        return VENDOR_DOORS[vendor]
    return next((door for door in API_DOORS if request.path.startswith(door[0])), None)


def render_error(request, record: ErrorRecord) -> HttpResponse:
    """Render `record` in the format of the door `request` came through."""
    renderer = _renderer_of_view(request)
    if renderer is None and (door := _door_of_path(request)) is not None:
        renderer = door[1]
    if renderer is not None:
        return renderer(record)
    response = HttpResponse(record.message, status=record.status, content_type="text/plain")
    for name, value in record.headers.items():
        response[name] = value
    return response


def not_found(request, exception=None):
    door = _door_of_path(request)
    if door is None:
        return defaults.page_not_found(request, exception)
    return door[1](not_found_record(request.path, door[2]))


def server_error(request):
    if _renderer_of_view(request) is None and _door_of_path(request) is None:
        return defaults.server_error(request)
    return render_error(request, server_error_record())
