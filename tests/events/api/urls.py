"""The native API's customers and events, independent of work in progress in config/urls.py."""

from django.urls import include, path

from config import doors

urlpatterns = [
    path("api/", include("customers.api.urls")),
    path("api/", include("events.api.urls")),
]

handler404 = doors.not_found
handler500 = doors.server_error
