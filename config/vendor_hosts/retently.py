"""A Retently host: API v2 at /api/v2/, as app.retently.com."""

from django.urls import include, path

from config import doors

urlpatterns = [path("api/v2/", include("compat.retently.urls"))]

handler404 = doors.not_found
handler500 = doors.server_error
