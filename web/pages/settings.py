"""Settings pages: the account, API keys, members and roles, and the audit log.

Anyone in the account sees the overview and the member list; only admins manage
keys and members and read the audit log. Secrets (a new key, a one-time password)
are rendered once, in the response to the POST that made them, and never cached.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.errors import DomainError
from customers.models import MemberRole
from customers.selectors import (
    api_key_get,
    api_keys_of,
    audit_entries_page,
    members_of,
    membership_by_email,
    membership_get,
)
from customers.services.api_keys import api_key_create, api_key_revoke
from customers.services.member_changes import member_remove, member_role_change
from customers.services.members import member_add
from web.access import admin_required, member_required
from web.forms.settings import (
    ApiKeyCreateForm,
    AuditFilterForm,
    MemberAddForm,
    MemberRoleForm,
)
from web.presenters.audit import audit_details_text


def _render(request, template: str, context: dict, status: int = 200):
    return render(
        request, f"customers/settings/{template}", {"nav": "settings", **context}, status=status
    )


@member_required
@require_GET
def settings_index(request):
    return _render(request, "index.html", {"tab": "account"})


# API keys


def _keys_page(request, form: ApiKeyCreateForm, status: int = 200):
    keys = api_keys_of(account=request.account)
    return _render(request, "keys.html", {"tab": "keys", "keys": keys, "form": form}, status)


@admin_required
@require_GET
def keys(request):
    return _keys_page(request, ApiKeyCreateForm())


@never_cache
@admin_required
@require_POST
def key_create(request):
    form = ApiKeyCreateForm(request.POST)
    if form.is_valid():
        try:
            api_key, raw_key = api_key_create(
                account=request.account,
                scope=form.cleaned_data["scope"],
                name=form.cleaned_data["name"],
                actor=request.actor,
            )
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            # The only time the secret is ever shown: this response, nowhere else.
            return _render(
                request, "key_created.html", {"tab": "keys", "api_key": api_key, "raw_key": raw_key}
            )
    return _keys_page(request, form, status=400)


def _key_or_404(request, key_id: int):
    api_key = api_key_get(account=request.account, key_id=key_id)
    if api_key is None:
        raise Http404("No such API key in this account.")
    return api_key


@admin_required
@require_http_methods(["GET", "POST"])
def key_revoke(request, key_id: int):
    api_key = _key_or_404(request, key_id)
    if request.method == "POST":
        api_key_revoke(api_key=api_key, actor=request.actor)
        messages.success(
            request,
            f"API key “{api_key.name or api_key.prefix}” is revoked; "
            "requests using it are refused.",
        )
        return redirect("settings_keys")
    return _render(request, "key_revoke.html", {"tab": "keys", "api_key": api_key})


# Members


def _members_page(request, *, add_form=None, role_error=None, status: int = 200):
    members = members_of(account=request.account)
    admin_count = sum(1 for member in members if member.role == MemberRole.ADMIN)
    context = {
        "tab": "members",
        "members": members,
        "admin_count": admin_count,
        "roles": MemberRole.choices,
        "add_form": add_form or (MemberAddForm() if request.is_account_admin else None),
        "role_error": role_error,
    }
    return _render(request, "members.html", context, status)


@member_required
@require_GET
def members(request):
    return _members_page(request)


@never_cache
@admin_required
@require_POST
def member_create(request):
    form = MemberAddForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        existing = membership_by_email(account=request.account, email=email)
        if existing is not None:
            # member_add would silently change their role; role changes go through
            # member_role_change, which keeps the last admin.
            form.add_error(
                "email",
                f"{email} is already a member ({existing.get_role_display()}). "
                "Change their role in the list instead.",
            )
        else:
            try:
                membership, one_time_password = member_add(
                    account=request.account,
                    email=email,
                    role=form.cleaned_data["role"],
                    actor=request.actor,
                )
            except DomainError as error:
                form.add_error("email", error.message)
            else:
                context = {
                    "tab": "members",
                    "member": membership,
                    "one_time_password": one_time_password,
                }
                return _render(request, "member_added.html", context)
    return _members_page(request, add_form=form, status=400)


def _membership_or_404(request, membership_id: int):
    membership = membership_get(account=request.account, membership_id=membership_id)
    if membership is None:
        raise Http404("No such member in this account.")
    return membership


@admin_required
@require_POST
def member_role(request, membership_id: int):
    membership = _membership_or_404(request, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        error = form.errors["role"][0]
    else:
        try:
            member_role_change(
                membership=membership, role=form.cleaned_data["role"], actor=request.actor
            )
        except DomainError as domain_error:
            error = domain_error.message
        else:
            messages.success(
                request, f"{membership.user.email} is now {membership.get_role_display()}."
            )
            return redirect("settings_members")
    return _members_page(request, role_error=(membership.pk, error), status=400)


@admin_required
@require_http_methods(["GET", "POST"])
def member_delete(request, membership_id: int):
    membership = _membership_or_404(request, membership_id)
    context = {"tab": "members", "member": membership, "is_self": membership.user == request.user}
    if request.method == "POST":
        try:
            member_remove(membership=membership, actor=request.actor)
        except DomainError as error:
            return _render(request, "member_remove.html", {**context, "error": error.message}, 400)
        if context["is_self"]:
            logout(request)
            return redirect("login")
        messages.success(
            request, f"{membership.user.email} is no longer a member of {request.account.name}."
        )
        return redirect("settings_members")
    return _render(request, "member_remove.html", context)


# Audit log


@admin_required
@require_GET
def audit(request):
    form = AuditFilterForm(request.GET)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = audit_entries_page(
        account=request.account, action=action, before=request.GET.get("before", "")
    )
    rows = [(entry, audit_details_text(entry)) for entry in page.entries]
    context = {"tab": "audit", "form": form, "action": action, "page": page, "rows": rows}
    return _render(request, "audit.html", context)
