import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import (
    ApiKey,
    ApiKeyScope,
    AuditAction,
    AuditEntry,
    MemberRole,
    Membership,
)
from customers.services.api_keys import api_key_revoke
from customers.services.audit import Actor, audit_record
from tests.factories import TESTS, make_api_key, make_member
from tests.members import signs_in


def _membership(client) -> Membership:
    return Membership.objects.get(user=client.user)


def _text(response) -> str:
    """Return the page's text with tags removed and whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _rows_text(response) -> str:
    """Return the text of the page's table body, where the entries are."""
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# Access


@pytest.mark.parametrize(
    "url",
    [
        "/settings/",
        "/settings/keys/",
        "/settings/keys/1/revoke/",
        "/settings/members/",
        "/settings/members/1/remove/",
        "/settings/audit/",
    ],
)
def test_every_settings_page_sends_anonymous_visitors_to_login(db, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_anonymous_post_creates_no_key(account):
    response = Client().post("/settings/keys/new/", {"name": "x", "scope": "write"})

    assert response.status_code == 302
    assert not ApiKey.objects.filter(name="x").exists()


def test_overview_shows_account_name_and_site_id_with_its_purpose(admin_client, account):
    response = admin_client.get("/settings/")

    assert response.status_code == 200
    text = _text(response)
    assert "Acme" in text
    assert account.site_id in text
    assert "Basic-auth user name" in text
    assert 'href="/settings/keys/"' in response.content.decode()
    assert 'href="/settings/audit/"' in response.content.decode()
    assert 'aria-current="page" >Settings' in response.content.decode() or (
        'href="/settings/" aria-current="page"' in response.content.decode()
    )


def test_marketer_overview_offers_members_but_not_keys_or_audit(marketer_client):
    response = marketer_client.get("/settings/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/settings/members/"' in html
    assert 'href="/settings/keys/"' not in html
    assert 'href="/settings/audit/"' not in html
    assert "Only admins manage API keys" in _text(response)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/settings/keys/"),
        ("post", "/settings/keys/new/"),
        ("get", "/settings/keys/{key}/revoke/"),
        ("post", "/settings/keys/{key}/revoke/"),
        ("get", "/settings/audit/"),
        ("post", "/settings/members/new/"),
        ("get", "/settings/members/{member}/remove/"),
        ("post", "/settings/members/{member}/remove/"),
    ],
)
def test_marketer_is_refused_every_admin_url(marketer_client, account, method, url):
    api_key = make_api_key(account, name="Shop backend")[0]
    member = _membership(marketer_client)
    before = _settings_state(account)
    # What an admin's form would post, so that a refusal that let it through would store it.
    data = {"name": "Mine", "scope": "admin", "email": "new@acme.example.com", "role": "admin"}

    response = getattr(marketer_client, method)(
        url.format(key=api_key.pk, member=member.pk), data if method == "post" else {}
    )

    assert response.status_code == 403
    assert _settings_state(account) == before


def _settings_state(account) -> dict:
    """Return the account's keys, members and audit log, as the settings pages change them."""
    return {
        "keys": list(
            ApiKey.objects.filter(account=account)
            .order_by("pk")
            .values_list("pk", "name", "scope", "revoked_at")
        ),
        "members": list(
            Membership.objects.filter(account=account)
            .order_by("pk")
            .values_list("pk", "user__username", "role")
        ),
        "audit": AuditEntry.objects.filter(account=account).count(),
    }


def test_marketer_cannot_create_a_key(marketer_client, account):
    response = marketer_client.post("/settings/keys/new/", {"name": "Mine", "scope": "admin"})

    assert response.status_code == 403
    assert not ApiKey.objects.filter(account=account).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.API_KEY_CREATED).exists()


def test_marketer_cannot_revoke_a_key(marketer_client, account):
    api_key = make_api_key(account, name="Shop backend")[0]

    response = marketer_client.post(f"/settings/keys/{api_key.pk}/revoke/")

    assert response.status_code == 403
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_marketer_cannot_change_a_role(marketer_client, admin_client):
    marketer = _membership(marketer_client)

    response = marketer_client.post(f"/settings/members/{marketer.pk}/role/", {"role": "admin"})

    assert response.status_code == 403
    marketer.refresh_from_db()
    assert marketer.role == MemberRole.MARKETER
    admin = _membership(admin_client)
    response = marketer_client.post(f"/settings/members/{admin.pk}/role/", {"role": "marketer"})
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.role == MemberRole.ADMIN


def test_marketer_cannot_add_or_remove_members(marketer_client, admin_client, account):
    admin = _membership(admin_client)

    added = marketer_client.post(
        "/settings/members/new/", {"email": "x@y.example", "role": "admin"}
    )
    removed = marketer_client.post(f"/settings/members/{admin.pk}/remove/")

    assert (added.status_code, removed.status_code) == (403, 403)
    assert Membership.objects.filter(account=account).count() == 2


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/settings/keys/new/", {"name": "CSRF", "scope": "write"}),
        ("/settings/members/new/", {"email": "csrf@acme.example.com", "role": "admin"}),
    ],
)
def test_post_without_csrf_token_is_refused(admin_client, account, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_client.user)

    response = client.post(url, data)

    assert response.status_code == 403
    assert not ApiKey.objects.filter(name="CSRF").exists()
    assert not Membership.objects.filter(user__username="csrf@acme.example.com").exists()


def test_post_with_csrf_token_from_the_page_is_accepted(admin_client):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_client.user)
    page = client.get("/settings/keys/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    response = client.post(
        "/settings/keys/new/", {"name": "CSRF", "scope": "write", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert ApiKey.objects.filter(name="CSRF").exists()


def test_another_accounts_key_is_not_found(admin_client, other_account):
    foreign = make_api_key(other_account, name="Globex backend")[0]

    shown = admin_client.get(f"/settings/keys/{foreign.pk}/revoke/")
    revoked = admin_client.post(f"/settings/keys/{foreign.pk}/revoke/")

    assert (shown.status_code, revoked.status_code) == (404, 404)
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert "Globex backend" not in _text(admin_client.get("/settings/keys/"))


def test_another_accounts_member_is_not_found(admin_client, other_admin_client):
    foreign = _membership(other_admin_client)

    changed = admin_client.post(f"/settings/members/{foreign.pk}/role/", {"role": "marketer"})
    confirm = admin_client.get(f"/settings/members/{foreign.pk}/remove/")
    removed = admin_client.post(f"/settings/members/{foreign.pk}/remove/")

    assert (changed.status_code, confirm.status_code, removed.status_code) == (404, 404, 404)
    foreign.refresh_from_db()
    assert foreign.role == MemberRole.ADMIN
    assert "admin@globex.example.com" not in _text(admin_client.get("/settings/members/"))


# API keys


def test_keys_list_shows_name_prefix_scope_and_never_used(admin_client, account):
    api_key = make_api_key(account, name="Shop backend", scope=ApiKeyScope.ADMIN)[0]

    response = admin_client.get("/settings/keys/")

    assert response.status_code == 200
    text = _text(response)
    assert "Shop backend" in text
    assert f"ca_{api_key.prefix}_…" in text
    assert "Admin" in text
    assert "never" in text
    assert "Active" in text


def test_keys_list_shows_last_use_and_revocation(admin_client, account):
    used = make_api_key(account, name="Used key")[0]
    last_used = timezone.now() - timedelta(hours=3)
    ApiKey.objects.filter(pk=used.pk).update(last_used_at=last_used)
    revoked = make_api_key(account, name="Old key")[0]
    api_key_revoke(api_key=revoked, actor=TESTS)

    text = _text(admin_client.get("/settings/keys/"))

    assert timezone.localtime(last_used).strftime("%Y-%m-%d %H:%M") in text  # one ISO format
    assert "Revoked" in text
    html = admin_client.get("/settings/keys/").content.decode()
    assert f"/settings/keys/{used.pk}/revoke/" in html
    assert f"/settings/keys/{revoked.pk}/revoke/" not in html


def test_keys_page_without_keys_shows_an_empty_state(admin_client):
    assert "No API keys yet" in _text(admin_client.get("/settings/keys/"))


def test_creating_a_key_shows_the_full_key_once(admin_client, account):
    response = admin_client.post("/settings/keys/new/", {"name": "Shop backend", "scope": "write"})

    assert response.status_code == 200
    raw_key = re.search(r'value="(ca_[0-9a-f]{8}_[^"]+)"', response.content.decode())[1]
    text = _text(response)
    assert "will not be shown again" in text
    assert "copy" in text.lower()
    assert "no-store" in response["Cache-Control"]
    api_key = ApiKey.objects.get(account=account)
    assert (api_key.name, api_key.scope) == ("Shop backend", ApiKeyScope.WRITE)
    assert raw_key.startswith(f"ca_{api_key.prefix}_")
    assert raw_key not in api_key.key_hash
    assert AuditEntry.objects.filter(action=AuditAction.API_KEY_CREATED, account=account).exists()
    assert raw_key not in str(dict(admin_client.session))
    assert raw_key not in admin_client.get("/settings/keys/").content.decode()


def test_key_created_on_the_page_authenticates_until_revoked(admin_client, account):
    response = admin_client.post("/settings/keys/new/", {"name": "Shop backend", "scope": "write"})
    raw_key = re.search(r'value="(ca_[^"]+)"', response.content.decode())[1]
    api = Client(HTTP_X_API_KEY=raw_key)

    assert api.get("/api/properties").status_code == 200

    api_key = ApiKey.objects.get(account=account)
    revoked = admin_client.post(f"/settings/keys/{api_key.pk}/revoke/")
    assert revoked.status_code == 302
    assert api.get("/api/properties").status_code == 401


def test_key_name_is_required_and_the_error_is_tied_to_the_field(admin_client, account):
    response = admin_client.post("/settings/keys/new/", {"name": "  ", "scope": "write"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_name_error[^"]*"', html)
    assert re.search(r'<input[^>]*aria-invalid="true"', html)
    assert "Give the key a name" in _text(response)
    assert not ApiKey.objects.exists()


def test_unknown_scope_is_refused_next_to_the_scope_field(admin_client):
    response = admin_client.post("/settings/keys/new/", {"name": "Root", "scope": "root"})

    assert response.status_code == 400
    assert 'id="id_scope_error"' in response.content.decode()
    assert "Choose Write or Admin." in _text(response)
    assert not ApiKey.objects.exists()


def test_too_long_key_name_is_refused(admin_client):
    response = admin_client.post("/settings/keys/new/", {"name": "k" * 201, "scope": "write"})

    assert response.status_code == 400
    assert "at most 200 characters" in _text(response)
    assert not ApiKey.objects.exists()


def test_revoking_asks_for_confirmation_first(admin_client, account):
    api_key = make_api_key(account, name="Shop backend")[0]

    response = admin_client.get(f"/settings/keys/{api_key.pk}/revoke/")

    assert response.status_code == 200
    text = _text(response)
    assert "Revoke “Shop backend”?" in text
    assert "refused from now on" in text
    assert '<button class="btn btn-danger" type="submit">Revoke key</button>' in (
        response.content.decode()
    )
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_revoking_a_key_stores_it_and_says_so(admin_client, account):
    api_key = make_api_key(account, name="Shop backend")[0]

    response = admin_client.post(f"/settings/keys/{api_key.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "“Shop backend” is revoked" in _text(response)
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.API_KEY_REVOKED).count() == 1


def test_keys_page_runs_a_fixed_number_of_queries(admin_client, account):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/settings/keys/").status_code == 200
        return len(queries)

    make_api_key(account, name="one")
    make_api_key(account, name="two")
    few = count()
    for number in range(20):
        api_key_revoke(
            api_key=make_api_key(account, name=f"key {number}")[0],
            actor=Actor(user=admin_client.user),
        )

    assert count() == few


# Members


def test_members_list_shows_email_role_and_joined(admin_client, account):
    make_member(account, "mia@acme.example.com", password=None)

    response = admin_client.get("/settings/members/")

    assert response.status_code == 200
    text = _text(response)
    assert "admin@acme.example.com (you)" in text
    assert "mia@acme.example.com" in text
    assert timezone.now().strftime("%Y") in text
    assert 'for="role-' in response.content.decode()


def test_marketer_sees_members_without_controls(marketer_client, admin_client):
    response = marketer_client.get("/settings/members/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "admin@acme.example.com" in _text(response)
    assert "Add a member" not in html
    assert "/role/" not in html
    assert "/remove/" not in html


def test_adding_a_member_shows_a_one_time_password_once(admin_client, account):
    response = admin_client.post(
        "/settings/members/new/", {"email": " New@Acme.example.com ", "role": "marketer"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "will not be shown again" in _text(response)
    password = re.search(r'id="one-time-password" value="([^"]+)"', response.content.decode())[1]
    membership = Membership.objects.get(account=account, user__username="new@acme.example.com")
    assert membership.role == MemberRole.MARKETER
    assert signs_in("new@acme.example.com", password)
    assert password not in admin_client.get("/settings/members/").content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.MEMBER_ADDED).exists()


def test_adding_someone_who_already_has_a_login_shows_no_password(
    admin_client, other_admin_client, account
):
    response = admin_client.post(
        "/settings/members/new/", {"email": "admin@globex.example.com", "role": "admin"}
    )

    assert response.status_code == 200
    assert "already have a login" in _text(response)
    assert 'id="one-time-password"' not in response.content.decode()
    assert Membership.objects.filter(account=account, user=other_admin_client.user).exists()


def test_adding_with_a_bad_email_shows_the_error_next_to_the_field(admin_client, account):
    response = admin_client.post(
        "/settings/members/new/", {"email": "not-an-email", "role": "admin"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_email_error', html)
    assert "Enter a valid email address" in _text(response)
    assert Membership.objects.filter(account=account).count() == 1


def test_adding_with_an_unknown_role_is_refused(admin_client, account):
    response = admin_client.post(
        "/settings/members/new/", {"email": "owner@acme.example.com", "role": "owner"}
    )

    assert response.status_code == 400
    assert 'id="id_role_error"' in response.content.decode()
    assert "Choose Admin or Marketer." in _text(response)
    assert not get_user_model().objects.filter(username="owner@acme.example.com").exists()


def test_adding_an_existing_member_does_not_change_their_role(admin_client, account):
    response = admin_client.post(
        "/settings/members/new/", {"email": "admin@acme.example.com", "role": "marketer"}
    )

    assert response.status_code == 400
    assert "already a member (Admin)" in _text(response)
    assert _membership(admin_client).role == MemberRole.ADMIN


def test_changing_a_role_stores_it_and_audits_it(admin_client, account):
    mia = make_member(account, "mia@acme.example.com", password=None)

    response = admin_client.post(
        f"/settings/members/{mia.pk}/role/", {"role": "admin"}, follow=True
    )

    assert response.status_code == 200
    assert "mia@acme.example.com is now Admin." in _text(response)
    mia.refresh_from_db()
    assert mia.role == MemberRole.ADMIN
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert entry.target == "mia@acme.example.com"
    assert entry.details == {"role": "admin", "previous_role": "marketer"}
    assert entry.actor_user == admin_client.user


def test_demoting_the_last_admin_is_refused(admin_client, account):
    admin = _membership(admin_client)

    response = admin_client.post(f"/settings/members/{admin.pk}/role/", {"role": "marketer"})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="role-{admin.pk}_error"' in html
    assert f'aria-describedby="role-{admin.pk}_error"' in html
    assert "is the last admin of this account" in _text(response)
    admin.refresh_from_db()
    assert admin.role == MemberRole.ADMIN
    assert not AuditEntry.objects.filter(action=AuditAction.MEMBER_ROLE_CHANGED).exists()


def test_an_admin_can_step_down_when_another_admin_remains(admin_client, account):
    mia = make_member(account, "mia@acme.example.com", password=None)
    admin_client.post(f"/settings/members/{mia.pk}/role/", {"role": "admin"})
    admin = _membership(admin_client)

    response = admin_client.post(f"/settings/members/{admin.pk}/role/", {"role": "marketer"})

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.role == MemberRole.MARKETER
    assert admin_client.get("/settings/keys/").status_code == 403


def test_changing_to_an_unknown_role_is_refused(admin_client, account):
    mia = make_member(account, "mia@acme.example.com", password=None)

    response = admin_client.post(f"/settings/members/{mia.pk}/role/", {"role": "owner"})

    assert response.status_code == 400
    assert "Choose Admin or Marketer." in _text(response)
    mia.refresh_from_db()
    assert mia.role == MemberRole.MARKETER


def test_removing_a_member_asks_first_then_removes(admin_client, account):
    mia = make_member(account, "mia@acme.example.com", password=None)

    confirm = admin_client.get(f"/settings/members/{mia.pk}/remove/")
    assert confirm.status_code == 200
    assert "Remove mia@acme.example.com from Acme?" in _text(confirm)
    assert Membership.objects.filter(pk=mia.pk).exists()

    response = admin_client.post(f"/settings/members/{mia.pk}/remove/", follow=True)

    assert response.status_code == 200
    assert "mia@acme.example.com is no longer a member of Acme." in _text(response)
    assert not Membership.objects.filter(pk=mia.pk).exists()
    assert get_user_model().objects.filter(username="mia@acme.example.com").exists()


def test_removing_the_last_admin_is_refused(admin_client, account):
    admin = _membership(admin_client)

    response = admin_client.post(f"/settings/members/{admin.pk}/remove/")

    assert response.status_code == 400
    assert "is the last admin of this account" in _text(response)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_removing_yourself_signs_you_out(admin_client, account):
    mia = make_member(account, "mia@acme.example.com", password=None)
    admin_client.post(f"/settings/members/{mia.pk}/role/", {"role": "admin"})
    admin = _membership(admin_client)

    response = admin_client.post(f"/settings/members/{admin.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not Membership.objects.filter(pk=admin.pk).exists()
    assert admin_client.get("/settings/").status_code == 302


def test_members_page_runs_a_fixed_number_of_queries(admin_client, account):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/settings/members/").status_code == 200
        return len(queries)

    few = count()
    for number in range(15):
        make_member(account, f"m{number}@acme.example.com", MemberRole.MARKETER)

    assert count() == few


# Audit log


def _entries(account, count, action=AuditAction.DEFINITION_UPDATED):
    for number in range(count):
        audit_record(
            account=account, actor=TESTS, action=action, target=f"prop_{number}", details={}
        )


def test_audit_log_shows_entries_newest_first_with_readable_details(admin_client, account):
    audit_record(
        account=account,
        actor=Actor(user=admin_client.user),
        action=AuditAction.DEFINITION_ARCHIVED,
        target="plan",
    )
    audit_record(
        account=account,
        actor=Actor(user=admin_client.user),
        action=AuditAction.DEFINITION_PURGED,
        target="plan",
        details={"values_removed": 1234},
    )

    response = admin_client.get("/settings/audit/")

    assert response.status_code == 200
    text = _rows_text(response)
    assert "Property deleted permanently" in text
    assert "removed 1,234 values" in text
    assert "admin@acme.example.com" in text
    assert text.index("Property deleted permanently") < text.index("Property archived")


def test_audit_log_shows_key_and_member_events_readably(admin_client, account):
    make_api_key(account, name="Shop backend", scope=ApiKeyScope.ADMIN)
    mia = make_member(account, "mia@acme.example.com", password=None)
    admin_client.post(f"/settings/members/{mia.pk}/role/", {"role": "admin"})

    text = _rows_text(admin_client.get("/settings/audit/"))

    assert "API key created" in text
    assert "scope Admin" in text
    assert "Member added" in text
    assert "role Marketer" in text
    assert "Member role changed" in text
    assert "Marketer → Admin" in text


def test_audit_log_filters_by_action(admin_client, account):
    _entries(account, 2)
    audit_record(
        account=account, actor=TESTS, action=AuditAction.DEFINITION_ARCHIVED, target="archived_one"
    )

    response = admin_client.get("/settings/audit/", {"action": "definition.archived"})

    text = _rows_text(response)
    assert "archived_one" in text
    assert "prop_0" not in text
    assert '<option value="definition.archived" selected>' in response.content.decode()


def test_audit_log_with_unknown_action_filter_says_so(admin_client, account):
    _entries(account, 1)

    response = admin_client.get("/settings/audit/", {"action": "nope"})

    assert response.status_code == 200
    assert 'id="id_action_error"' in response.content.decode()
    assert "prop_0" in _text(response)


def test_audit_log_pages_through_entries_with_equal_times(admin_client, account):
    _entries(account, 55)
    AuditEntry.objects.filter(account=account).update(created_at=timezone.now())

    first = admin_client.get("/settings/audit/")
    cursor = re.search(r'rel="next" href="\?before=([^"]+)"', first.content.decode())[1]
    second = admin_client.get(f"/settings/audit/?before={cursor}")

    seen_first = set(re.findall(r"prop_\d+", _rows_text(first)))
    seen_second = set(re.findall(r"prop_\d+", _rows_text(second)))
    assert (len(seen_first), len(seen_second)) == (50, 5)
    assert seen_first.isdisjoint(seen_second)
    assert "Newest entries" in _text(second)
    assert 'rel="next"' not in second.content.decode()


def test_audit_log_ignores_an_unreadable_cursor(admin_client, account):
    _entries(account, 3)

    response = admin_client.get("/settings/audit/", {"before": "garbage~x"})

    assert response.status_code == 200
    assert "prop_2" in _text(response)


def test_audit_log_filter_without_matches_shows_an_empty_state(admin_client):
    response = admin_client.get("/settings/audit/", {"action": "definition.purged"})

    assert response.status_code == 200
    assert "No entry matches this action." in _text(response)
    assert "<tbody>" not in response.content.decode()


def test_audit_log_does_not_show_another_accounts_entries(admin_client, other_account):
    audit_record(
        account=other_account, actor=TESTS, action=AuditAction.MEMBER_ADDED, target="globex_only"
    )

    text = _rows_text(admin_client.get("/settings/audit/"))

    assert "admin@acme.example.com" in text
    assert "globex_only" not in text


def test_audit_log_page_runs_a_fixed_number_of_queries(admin_client, account):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/settings/audit/").status_code == 200
        return len(queries)

    _entries(account, 2)
    few = count()
    _entries(account, 38)

    assert count() == few
