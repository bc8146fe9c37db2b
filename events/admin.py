"""Django admin for customer events."""

from django.contrib import admin

from customers.admin import AccountScopedAdmin
from events.models import Event


@admin.register(Event)
class EventAdmin(AccountScopedAdmin):
    list_display = ["occurred_at", "name", "source", "customer", "account", "event_id"]
    list_filter = ["name", "source", "account"]
    search_fields = ["event_id", "name", "customer__email", "customer__user_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["customer", "account"]
    raw_id_fields = ["customer"]
    readonly_fields = ["received_at"]
    show_full_result_count = False
