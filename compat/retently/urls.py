"""Routes of Retently API v2 (seed 001), under /compat/retently/api/v2/."""

from django.urls import re_path

from compat.retently import views

urlpatterns = [
    re_path(r"^customers/?$", views.CustomersView.as_view()),
    re_path(r"^customers/unsubscribe/?$", views.UnsubscribeView.as_view()),
    re_path(r"^customers/(?P<customer_id>[^/]+)/?$", views.CustomerView.as_view()),
    re_path(r"^survey/?$", views.SurveyView.as_view()),
    re_path(r"^nps/customers/?$", views.NpsCustomersView.as_view()),
]
