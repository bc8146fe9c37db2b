"""The Django admin's site: its "View site" link leads to the pages' home.

Installed in place of `django.contrib.admin` (settings.INSTALLED_APPS) so that
`admin.site` is this site; nothing else about the admin changes.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse_lazy


class ContactsAdminSite(admin.AdminSite):
    """The admin, with "View site" pointing at the Contact attributes pages."""

    site_url = reverse_lazy("home")

    def each_context(self, request):
        context = super().each_context(request)
        # The pages need a membership: staff of no account would land on "not a member of
        # any account", so the link is left out for them.
        if not self._is_member(request.user):
            context["site_url"] = None
        return context

    @staticmethod
    def _is_member(user) -> bool:
        from customers.models import Membership  # models load after the admin app's config

        return user.is_authenticated and Membership.objects.filter(user=user).exists()


class ContactsAdminConfig(AdminConfig):
    default_site = "customers.admin_site.ContactsAdminSite"
