"""HelpCrunch v1 and the native API, for tests run before config/urls.py includes HelpCrunch.

Only the doors these tests use are included, so that work in progress elsewhere in the
project's URLs does not break them.
"""

from django.urls import include, path

from compat.helpcrunch.errors import helpcrunch_not_found
from customers.api.errors import native_not_found, native_server_error

urlpatterns = [
    path("compat/helpcrunch/v1/", include("compat.helpcrunch.urls")),
    path("api/", include("customers.api.urls")),
]


def not_found(request, exception=None):
    if request.path.startswith("/compat/helpcrunch/"):
        return helpcrunch_not_found(request)
    return native_not_found(request)


handler404 = not_found
handler500 = native_server_error
