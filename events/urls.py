"""A customer's profile page, mounted under customers/ before the customers pages' own URLs."""

from django.urls import path

from events import views

urlpatterns = [
    path("<int:customer_id>/", views.customer_profile, name="customer"),
    path(
        "<int:customer_id>/values/<str:key>/",
        views.customer_value_save,
        name="customer_value_save",
    ),
    path(
        "<int:customer_id>/properties/", views.customer_property_add, name="customer_property_add"
    ),
]
