from django.urls import re_path

from events.api import views

urlpatterns = [re_path(r"^events/?$", views.EventsView.as_view())]
