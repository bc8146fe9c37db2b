from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import errors
from customers.api.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("customers.api.urls")),
    path("api/", include("events.api.urls")),
    path("compat/customerio/api/v1/", include("compat.customerio.urls")),
    path("compat/retently/api/v2/", include("compat.retently.urls")),
    path("compat/helpcrunch/v1/", include("compat.helpcrunch.urls")),
    path("admin/", admin.site.urls),
    # The customer profile lives in events (it shows the events timeline).
    path("customers/", include("events.urls")),
    path("", include("customers.urls")),
]

handler404 = errors.not_found
handler500 = errors.server_error
