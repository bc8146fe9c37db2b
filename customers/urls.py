"""Browser pages. Each area module owns its URL patterns."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from customers.forms.account import EmailAuthenticationForm
from customers.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=EmailAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("customers.views.account")),
    path("attributes/", include("customers.views.attributes")),
    path("customers/import/", include("customers.views.imports")),
    path("customers/", include("customers.views.customers")),
    path("settings/", include("customers.views.settings")),
    path("data-issues/", include("customers.views.data_issues")),
]
