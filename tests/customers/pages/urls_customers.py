"""The customers pages with only what their templates link to, for tests run before
config/urls.py includes the pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("customers.views.account")),
    path("attributes/", RedirectView.as_view(url="/customers/"), name="attributes"),
    path("settings/", RedirectView.as_view(url="/customers/"), name="settings"),
    path("customers/import/", include("customers.views.imports")),
    path("customers/", include("events.urls")),
    path("customers/", include("customers.views.customers")),
    path("api/", include("customers.api.urls")),
]
