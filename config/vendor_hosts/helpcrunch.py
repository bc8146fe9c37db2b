"""A HelpCrunch host: REST API v1 at /v1/, as api.helpcrunch.com."""

from django.urls import include, path

from config import doors

urlpatterns = [path("v1/", include("compat.helpcrunch.urls"))]

handler404 = doors.not_found
handler500 = doors.server_error
