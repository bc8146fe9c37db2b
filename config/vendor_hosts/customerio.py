"""A Customer.io host: Track API v1 at /api/v1/ and v2 at /api/v2/, as track.customer.io."""

from django.urls import include, path

from config import doors

urlpatterns = [
    path("api/v1/", include("compat.customerio.urls")),
    path("api/v2/", include("compat.customerio.urls_v2")),
]

handler404 = doors.not_found
handler500 = doors.server_error
