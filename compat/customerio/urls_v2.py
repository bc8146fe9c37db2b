"""Routes of Customer.io Track API v2, under /compat/customerio/api/v2/ and at /api/v2/ on a
Customer.io host."""

from django.urls import re_path

from compat.customerio import views_v2

urlpatterns = [
    re_path(r"^entity/?$", views_v2.EntityView.as_view()),
    re_path(r"^batch/?$", views_v2.BatchView.as_view()),
]
