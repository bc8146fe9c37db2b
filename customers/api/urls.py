from django.urls import re_path

from customers.api import views

# A trailing slash is optional so that clients written either way work without redirects.
urlpatterns = [
    re_path(r"^customers/properties/?$", views.CustomerPropertiesView.as_view()),
    re_path(r"^customers/properties/(?P<key>[^/]+)/?$", views.CustomerPropertyView.as_view()),
    re_path(r"^customers/?$", views.CustomersView.as_view()),
    re_path(r"^properties/?$", views.DefinitionsView.as_view()),
    re_path(r"^properties/(?P<key>[^/]+)/archive/?$", views.DefinitionArchiveView.as_view()),
    re_path(r"^properties/(?P<key>[^/]+)/restore/?$", views.DefinitionRestoreView.as_view()),
    re_path(r"^properties/(?P<key>[^/]+)/?$", views.DefinitionView.as_view()),
]
