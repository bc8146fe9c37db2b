from django.urls import re_path

from compat.customerio import views

urlpatterns = [
    re_path(r"^customers/(?P<customer_id>[^/]+)/?$", views.CustomerView.as_view()),
    re_path(r"^customers/(?P<customer_id>[^/]+)/events/?$", views.CustomerEventsView.as_view()),
    re_path(r"^events/?$", views.AnonymousEventsView.as_view()),
]
