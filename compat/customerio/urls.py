"""Routes of Customer.io Track API v1 (seed 003), under /compat/customerio/api/v1/ and at
/api/v1/ on a Customer.io host.

A person's id may hold slashes (clients send them as %2F, which the server decodes before
routing): it is matched up to the last path segment an endpoint names, most specific first.
"""

from django.urls import re_path

from compat.customerio import views

ID = r"(?P<customer_id>.+?)"

urlpatterns = [
    re_path(rf"^customers/{ID}/events/?$", views.CustomerEventsView.as_view()),
    re_path(rf"^customers/{ID}/devices/?$", views.DevicesView.as_view()),
    re_path(rf"^customers/{ID}/devices/(?P<token>.+?)/?$", views.DeviceView.as_view()),
    re_path(rf"^customers/{ID}/suppress/?$", views.SuppressView.as_view()),
    re_path(rf"^customers/{ID}/unsuppress/?$", views.UnsuppressView.as_view()),
    re_path(rf"^customers/{ID}/?$", views.CustomerView.as_view()),
    re_path(r"^events/?$", views.AnonymousEventsView.as_view()),
    re_path(r"^merge_customers/?$", views.MergeCustomersView.as_view()),
]
