from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import doors
from config.health import readyz
from customers.api.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The page's own template puts the CSP nonce on Swagger UI's inline script and style.
        SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("api/", include("customers.api.urls")),
    path("api/", include("events.api.urls")),
    path("compat/customerio/api/v1/", include("compat.customerio.urls")),
    path("compat/customerio/api/v2/", include("compat.customerio.urls_v2")),
    path("compat/retently/api/v2/", include("compat.retently.urls")),
    path("compat/helpcrunch/v1/", include("compat.helpcrunch.urls")),
    path("admin/", admin.site.urls),
    path("", include("web.urls")),
]

handler404 = doors.not_found
handler500 = doors.server_error
