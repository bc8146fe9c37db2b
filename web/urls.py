"""Every browser page's URL, in one list (PRODUCT.md §7).

No two patterns match the same path, so their order does not matter.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from customers import converters  # noqa: F401  (registers <property_key:…>)
from web.forms.account import EmailAuthenticationForm
from web.pages import (
    account,
    attributes,
    customers,
    data_issues,
    home,
    imports,
    profile,
    settings,
)

sign_in = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=EmailAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/switch/", account.account_switch, name="account_switch"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "account/password/reset/",
        auth_views.PasswordResetView.as_view(success_url=reverse_lazy("password_reset_done")),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

contact_attributes = [
    path("attributes/", attributes.attribute_list_view, name="attributes"),
    path("attributes/new-property/", attributes.attribute_create_view, name="attribute_create"),
    path(
        "attributes/<property_key:key>/",
        attributes.attribute_detail_view,
        name="attribute_detail",
    ),
    path(
        "attributes/<property_key:key>/edit/",
        attributes.attribute_edit_view,
        name="attribute_edit",
    ),
    path(
        "attributes/<property_key:key>/archive/",
        attributes.attribute_archive_view,
        name="attribute_archive",
    ),
    path(
        "attributes/<property_key:key>/restore/",
        attributes.attribute_restore_view,
        name="attribute_restore",
    ),
    path(
        "attributes/<property_key:key>/delete/",
        attributes.attribute_purge_view,
        name="attribute_purge",
    ),
    path(
        "attributes/<property_key:key>/type/",
        attributes.attribute_type_change_view,
        name="attribute_type_change",
    ),
    path("data-issues/", data_issues.data_issues_view, name="data_issues"),
]

customer_pages = [
    path("customers/", customers.customers_list, name="customers"),
    path("customers/export.csv", customers.customers_export, name="customers_export"),
    path("customers/columns/", customers.customers_columns, name="customers_columns"),
    path("customers/bulk/", customers.customers_bulk, name="customers_bulk"),
    path("customers/bulk/<int:job_id>/", customers.customers_bulk_job, name="customers_bulk_job"),
    path("customers/import/", imports.import_upload_view, name="import_upload"),
    path("customers/import/<int:job_id>/", imports.import_job_view, name="import_job"),
    path(
        "customers/import/<int:job_id>/report.csv",
        imports.import_report_view,
        name="import_report",
    ),
    path("customers/<int:customer_id>/", profile.customer_profile, name="customer"),
    path(
        "customers/<int:customer_id>/values/<str:key>/",
        profile.customer_value_save,
        name="customer_value_save",
    ),
    path(
        "customers/<int:customer_id>/values/<str:key>/unassign/",
        profile.customer_value_unassign,
        name="customer_value_unassign",
    ),
    path(
        "customers/<int:customer_id>/properties/",
        profile.customer_property_add,
        name="customer_property_add",
    ),
    path("customers/<int:customer_id>/tags/", profile.customer_tag_add, name="customer_tag_add"),
    path(
        "customers/<int:customer_id>/tags/remove/",
        profile.customer_tag_remove,
        name="customer_tag_remove",
    ),
]

settings_pages = [
    path("settings/", settings.settings_index, name="settings"),
    path("settings/keys/", settings.keys, name="settings_keys"),
    path("settings/keys/new/", settings.key_create, name="settings_key_create"),
    path("settings/keys/<int:key_id>/revoke/", settings.key_revoke, name="settings_key_revoke"),
    path("settings/members/", settings.members, name="settings_members"),
    path("settings/members/new/", settings.member_create, name="settings_member_add"),
    path(
        "settings/members/<int:membership_id>/role/",
        settings.member_role,
        name="settings_member_role",
    ),
    path(
        "settings/members/<int:membership_id>/remove/",
        settings.member_delete,
        name="settings_member_remove",
    ),
    path("settings/audit/", settings.audit, name="settings_audit"),
]

urlpatterns = [
    path("", home.home, name="home"),
    *sign_in,
    *contact_attributes,
    *customer_pages,
    *settings_pages,
]
