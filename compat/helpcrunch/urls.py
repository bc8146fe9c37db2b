"""Routes of HelpCrunch REST API v1 (seed 004), under /compat/helpcrunch/v1/."""

from django.urls import re_path

from compat.helpcrunch import views

urlpatterns = [
    re_path(r"^customers/?$", views.CustomersView.as_view()),
    re_path(r"^customers/search/?$", views.CustomersSearchView.as_view()),
    re_path(r"^customers/batch/?$", views.CustomersBatchView.as_view()),
    re_path(r"^customers/(?P<customer_id>[^/]+)/tags/?$", views.CustomerTagsView.as_view()),
    re_path(r"^customers/(?P<customer_id>[^/]+)/?$", views.CustomerView.as_view()),
    re_path(r"^events/?$", views.EventsView.as_view()),
]
