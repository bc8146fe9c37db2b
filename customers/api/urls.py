from django.urls import path, re_path

from customers import converters  # noqa: F401  (registers <property_key:…>)
from customers.api import data_issues, views


def _slash_optional(route: str, view):
    """Return the route with and without a trailing slash (path() has no optional parts)."""
    return [path(route, view), path(f"{route}/", view)]


# A trailing slash is optional so that clients written either way work without redirects.
urlpatterns = [
    re_path(r"^customers/properties/?$", views.CustomerPropertiesView.as_view()),
    # Not a converter: a malformed key here is a 400 that suggests the key to send.
    re_path(r"^customers/properties/(?P<key>[^/]+)/?$", views.CustomerPropertyView.as_view()),
    re_path(r"^customers/?$", views.CustomersView.as_view()),
    re_path(r"^properties/?$", views.DefinitionsView.as_view()),
    re_path(r"^data-issues/?$", data_issues.DataIssuesView.as_view()),
    *_slash_optional(
        "properties/<property_key:key>/archive", views.DefinitionArchiveView.as_view()
    ),
    *_slash_optional(
        "properties/<property_key:key>/restore", views.DefinitionRestoreView.as_view()
    ),
    *_slash_optional("properties/<property_key:key>", views.DefinitionView.as_view()),
]
