"""Test-only URLs: the Contact attributes pages, without the other areas' modules.

The layout links to the Customers and Settings pages by name, so both names exist
here as plain redirects.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("customers.views.account")),
    path("attributes/", include("customers.views.attributes")),
    path("data-issues/", include("customers.views.data_issues")),
    path("customers/", RedirectView.as_view(url="/attributes/"), name="customers"),
    path("settings/", RedirectView.as_view(url="/attributes/"), name="settings"),
]
