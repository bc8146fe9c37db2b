"""Django admin for staff: every model, searchable, scoped to the staff member's accounts.

Definitions are archived, restored and deleted through the same services as the
API and the pages; audit entries and bulk changes to customers are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from customers import services
from customers.errors import DomainError
from customers.models import (
    Account,
    ApiKey,
    AuditEntry,
    BulkAction,
    Customer,
    Membership,
    PropertyDefinition,
    PropertyValue,
    Tag,
)
from customers.services import Actor
from customers.services.labels import label_check_free
from customers.values import VALUE_COLUMNS


class AccountScopedAdmin(admin.ModelAdmin):
    """Show superusers everything, other staff only the accounts they are members of."""

    account_path = "account"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.account_path}__memberships__user": request.user}
        ).distinct()


def _for_each(request, queryset, service, argument: str) -> int:
    """Run an admin action's service on each selected row as the signed-in user; return how
    many it did. A row the service refuses (a restore whose label an active property has)
    is left as it is, with the refusal shown."""
    done = 0
    for row in queryset:
        try:
            service(**{argument: row}, actor=Actor(user=request.user))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            done += 1
    return done


@admin.register(Account)
class AccountAdmin(AccountScopedAdmin):
    list_display = ["name", "slug", "site_id", "created_at"]
    search_fields = ["name", "slug", "site_id"]
    readonly_fields = ["site_id", "created_at"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(memberships__user=request.user).distinct()


@admin.register(ApiKey)
class ApiKeyAdmin(AccountScopedAdmin):
    list_display = [
        "prefix",
        "name",
        "account",
        "scope",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "account"]
    search_fields = ["prefix", "name", "account__name"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A key's secret is shown once: create keys with create_api_key or on Settings.
        return False

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        revoked = _for_each(request, queryset, services.api_key_revoke, "api_key")
        self.message_user(request, f"Revoked {revoked:,} {ngettext('key', 'keys', revoked)}.")


@admin.register(Membership)
class MembershipAdmin(AccountScopedAdmin):
    list_display = ["user", "account", "role", "created_at"]
    list_filter = ["role", "account"]
    search_fields = ["user__username", "user__email", "account__name"]


@admin.register(Tag)
class TagAdmin(AccountScopedAdmin):
    list_display = ["name", "color", "account"]
    list_filter = ["account"]
    search_fields = ["name"]


class PropertyValueInline(admin.TabularInline):
    model = PropertyValue
    extra = 0
    fields = ["definition", *VALUE_COLUMNS]
    readonly_fields = ["definition"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("definition")


@admin.register(Customer)
class CustomerAdmin(AccountScopedAdmin):
    list_display = ["id", "email", "user_id", "visitor_id", "phone", "account", "updated_at"]
    list_filter = ["account", "tags"]
    search_fields = ["email", "user_id", "visitor_id", "phone", "first_name", "last_name", "uuid"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    filter_horizontal = ["tags"]
    inlines = [PropertyValueInline]
    list_select_related = ["account"]
    show_full_result_count = False


class PropertyDefinitionForm(forms.ModelForm):
    """The change form, refusing a label another active property has next to the field."""

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        definition = self.instance
        if definition.pk and not definition.is_archived and label != definition.label:
            try:
                label_check_free(account=definition.account, label=label, excluding=definition)
            except DomainError as error:
                raise ValidationError(error.message) from None
        return label


@admin.register(PropertyDefinition)
class PropertyDefinitionAdmin(AccountScopedAdmin):
    form = PropertyDefinitionForm
    list_display = ["key", "label", "type", "account", "source", "archived_at", "created_at"]
    list_filter = ["type", "source", "account", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "label", "description"]
    readonly_fields = ["key", "type", "archived_at", "created_at", "updated_at"]
    actions = ["archive", "restore"]

    def has_add_permission(self, request):
        # Definitions are created by writes, the API or the Contact attributes page.
        return False

    @admin.action(description="Archive selected properties (reversible)")
    def archive(self, request, queryset):
        archived = _for_each(request, queryset, services.definition_archive, "definition")
        self.message_user(
            request, f"Archived {archived:,} {ngettext('property', 'properties', archived)}."
        )

    @admin.action(description="Restore selected properties")
    def restore(self, request, queryset):
        restored = _for_each(request, queryset, services.definition_restore, "definition")
        self.message_user(
            request, f"Restored {restored:,} {ngettext('property', 'properties', restored)}."
        )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Label and description through the service, as every door: its rules (a label no
        # other active property has) and its audit entry. The form checked the label first.
        try:
            services.definition_update(
                definition=PropertyDefinition.objects.get(pk=obj.pk),
                label=obj.label,
                description=obj.description,
                actor=Actor(user=request.user),
            )
        except DomainError as error:
            messages.error(request, f"The label and description were not saved: {error.message}")
        others = [name for name in form.changed_data if name not in ("label", "description")]
        if others:
            obj.save(update_fields=others)

    def delete_model(self, request, obj):
        self._purge(request, [obj])

    def delete_queryset(self, request, queryset):
        self._purge(request, list(queryset))

    def _purge(self, request, definitions):
        """Delete permanently through definition_purge: archived definitions only."""
        for definition in definitions:
            try:
                purge = services.definition_purge_request(
                    definition=definition, actor=Actor(user=request.user)
                )
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
            else:
                if purge.queued:
                    self.message_user(request, f'Deleting "{definition.key}" in the background.')
                else:
                    removed = purge.values_removed
                    values = ngettext("value", "values", removed)
                    self.message_user(
                        request, f'Deleted "{definition.key}" and {removed:,} {values}.'
                    )


@admin.register(AuditEntry)
class AuditEntryAdmin(AccountScopedAdmin):
    list_display = ["created_at", "account", "actor_label", "action", "target"]
    list_filter = ["action", "account"]
    search_fields = ["actor_label", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BulkAction)
class BulkActionAdmin(AccountScopedAdmin):
    """Bulk changes the worker runs (customers/services/bulk_actions.py), to watch: read-only."""

    list_display = ["created_at", "account", "kind", "target", "status", "progress"]
    list_filter = ["status", "kind", "account"]
    search_fields = ["target", "account__name"]
    list_select_related = ["account"]

    @admin.display(description="Progress")
    def progress(self, obj: BulkAction) -> str:
        return f"{obj.customers_done:,} of {obj.customers_total:,} customers ({obj.percent}%)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
