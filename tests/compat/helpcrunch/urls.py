"""HelpCrunch v1 and the native API, for tests run before config/urls.py includes HelpCrunch.

Only the doors these tests use are included, so that work in progress elsewhere in the
project's URLs does not break them.
"""

from django.urls import include, path

from config import doors

urlpatterns = [
    path("compat/helpcrunch/v1/", include("compat.helpcrunch.urls")),
    path("api/", include("customers.api.urls")),
    path("api/", include("events.api.urls")),
]

handler404 = doors.not_found
handler500 = doors.server_error
