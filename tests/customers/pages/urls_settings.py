"""The Settings pages alone, with just enough around them for the layout and the API."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("customers.views.account")),
    path("settings/", include("customers.views.settings")),
    # The layout links to these pages, which other modules own.
    path("attributes/", RedirectView.as_view(url="/settings/"), name="attributes"),
    path("customers/", RedirectView.as_view(url="/settings/"), name="customers"),
    path("api/", include("customers.api.urls")),
]
