from django.urls import re_path

from events.api import views

urlpatterns = [
    re_path(r"^events/?$", views.EventsView.as_view()),
    re_path(r"^stores/(?P<store_id>[^/]+)/custom_events/?$", views.StoreEventsView.as_view()),
]
