"""Retently v2 with the native API, independent of work in progress in config/urls.py."""

from django.urls import include, path

from config import doors

urlpatterns = [
    path("compat/retently/api/v2/", include("compat.retently.urls")),
    path("api/", include("customers.api.urls")),
    path("api/", include("events.api.urls")),
]

handler404 = doors.not_found
handler500 = doors.server_error
