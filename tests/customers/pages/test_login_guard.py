import html
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from customers.login_guard import client_address
from customers.models import MemberRole
from tests.factories import PASSWORD, make_member

ANN = "ann@acme.example.com"
BOB = "bob@acme.example.com"
HOME = "198.51.100.7"
OFFICE = "203.0.113.9"
EMAIL_LOCKED = (
    "Too many failed sign-in attempts for this email. "
    "Try again in 15 minutes or ask an admin to unlock it."
)
NETWORK_LOCKED = (
    "Too many failed sign-in attempts from your network. "
    "Try again in 15 minutes or ask an admin to unlock it."
)


@pytest.fixture
def members(account):
    make_member(account, ANN, MemberRole.MARKETER)
    make_member(account, BOB, MemberRole.MARKETER)


def sign_in(email, password, address=HOME, path="/login/", **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    response = client.post(path, {"username": email, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def text_of(response) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()
    return html.unescape(text)


def fail(email, times, address=HOME, path="/login/"):
    return [sign_in(email, "wrong-password", address, path) for _ in range(times)][-1]


def failures_of(email, address=HOME) -> int:
    return sum(
        attempt.failures_since_start
        for attempt in AccessAttempt.objects.filter(username=email, ip_address=address)
    )


def test_five_wrong_passwords_lock_the_email_even_with_the_right_one(members):
    fourth = fail(ANN, 4)
    fifth = sign_in(ANN, "wrong-password")
    right = sign_in(ANN, PASSWORD)

    assert fourth.status_code == 200
    assert "That email and password don't match" in text_of(fourth)
    assert fifth.status_code == 429
    assert right.status_code == 429
    assert not right.signed_in
    assert right["Retry-After"] == "900"
    assert EMAIL_LOCKED in text_of(right)
    assert "That email and password don't match" not in text_of(right)
    assert failures_of(ANN) == 6


def test_lockout_is_shown_on_the_login_page_in_the_site_layout(members):
    fail(ANN, 5)

    response = sign_in(ANN, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Log in</h1>" in html
    assert f'<div class="form-error" role="alert">{EMAIL_LOCKED}</div>' in html
    assert f'value="{ANN}"' in html
    assert "Content-Security-Policy" in response
    assert not response.signed_in


def test_fewer_failures_than_the_limit_leave_the_right_password_working(members):
    fail(ANN, 4)

    response = sign_in(ANN, PASSWORD)

    assert response.status_code == 302
    assert response.signed_in
    assert failures_of(ANN) == 4


def test_email_is_counted_whatever_its_case_and_spaces(members):
    for typed in (" Ann@Acme.example.com", "ANN@ACME.EXAMPLE.COM", ANN, ANN, f"{ANN} "):
        sign_in(typed, "wrong-password")

    response = sign_in(ANN, PASSWORD)

    assert response.status_code == 429
    assert failures_of(ANN) == 6


def test_lock_leaves_other_emails_and_other_addresses_alone(members):
    fail(ANN, 5)

    bob_same_address = sign_in(BOB, PASSWORD)
    ann_other_address = sign_in(ANN, PASSWORD, address=OFFICE)
    ann_locked_address = sign_in(ANN, PASSWORD)

    assert (bob_same_address.status_code, bob_same_address.signed_in) == (302, True)
    assert (ann_other_address.status_code, ann_other_address.signed_in) == (302, True)
    assert (ann_locked_address.status_code, ann_locked_address.signed_in) == (429, False)
    assert failures_of(ANN, OFFICE) == 0


def test_twenty_failures_from_one_address_lock_it_for_every_email(members):
    # Four per email stays under the per-email limit; the address's total reaches 20.
    for number in range(5):
        fail(f"guess{number}@acme.example.com", 4)

    bob_here = sign_in(BOB, PASSWORD)
    bob_elsewhere = sign_in(BOB, PASSWORD, address=OFFICE)

    assert bob_here.status_code == 429
    assert not bob_here.signed_in
    assert NETWORK_LOCKED in text_of(bob_here)
    assert (bob_elsewhere.status_code, bob_elsewhere.signed_in) == (302, True)
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(ip_address=HOME)) == 21


def test_nineteen_failures_from_one_address_do_not_lock_it(members):
    for number in range(4):
        fail(f"guess{number}@acme.example.com", 4)
    fail("guess4@acme.example.com", 3)

    response = sign_in(BOB, PASSWORD)

    assert (response.status_code, response.signed_in) == (302, True)


def test_a_success_does_not_reset_the_address_count(members):
    for number in range(3):
        fail(f"guess{number}@acme.example.com", 4)
    sign_in(BOB, PASSWORD)
    fail("guess3@acme.example.com", 4)
    fail("guess4@acme.example.com", 4)

    response = sign_in(BOB, PASSWORD)

    assert response.status_code == 429
    assert AccessAttempt.objects.filter(ip_address=HOME, username__startswith="guess").count() == 5


def test_lock_ends_after_the_cool_off(members):
    fail(ANN, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = sign_in(ANN, PASSWORD)

    assert (response.status_code, response.signed_in) == (302, True)
    assert not AccessAttempt.objects.exists()


def test_limits_and_cool_off_come_from_settings(members, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail(ANN, 2)

    response = sign_in(ANN, PASSWORD)

    assert response.status_code == 429
    assert "Try again in 1 minute or ask an admin" in text_of(response)
    assert response["Retry-After"] == "60"


def test_admin_unlocks_an_email_by_deleting_its_access_attempts(members, db):
    fail(ANN, 5)
    root = get_user_model().objects.create_superuser("root@example.com", password="x")
    staff = Client()
    staff.force_login(root)
    locked = AccessAttempt.objects.get(username=ANN)

    listing = staff.get("/admin/axes/accessattempt/", {"q": ANN})
    deleted = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"},
    )
    response = sign_in(ANN, PASSWORD)

    assert listing.status_code == 200
    assert ANN in listing.content.decode()
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert (response.status_code, response.signed_in) == (302, True)


def test_reset_command_unlocks_an_email(members):
    fail(ANN, 5)
    fail(BOB, 5)

    call_command("axes_reset_username", ANN)
    ann = sign_in(ANN, PASSWORD)
    bob = sign_in(BOB, PASSWORD)

    assert (ann.status_code, ann.signed_in) == (302, True)
    assert (bob.status_code, bob.signed_in) == (429, False)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [BOB]


def test_reset_ip_command_unlocks_an_address(members):
    for number in range(5):
        fail(f"guess{number}@acme.example.com", 4)

    call_command("axes_reset_ip", HOME)
    response = sign_in(BOB, PASSWORD)

    assert (response.status_code, response.signed_in) == (302, True)
    assert not AccessAttempt.objects.exists()


def test_admin_login_is_guarded_too(db):
    get_user_model().objects.create_superuser("root@example.com", password=PASSWORD)
    fail("root@example.com", 5, path="/admin/login/")

    response = sign_in("root@example.com", PASSWORD, path="/admin/login/")

    html = response.content.decode()
    assert response.status_code == 429
    assert not response.signed_in
    assert re.search(rf'<p class="errornote">\s*{re.escape(EMAIL_LOCKED)}\s*</p>', html)
    assert "Django administration" in html
    assert failures_of("root@example.com") == 6


def test_failures_at_the_admin_and_the_pages_add_up(members):
    fail(ANN, 3, path="/admin/login/")
    fail(ANN, 2)

    response = sign_in(ANN, PASSWORD)

    assert response.status_code == 429
    assert failures_of(ANN) == 6


def test_client_address_is_the_peer_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)

    assert client_address(request) == "10.0.0.2"


def test_client_address_behind_a_proxy_ignores_what_the_client_forged(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {OFFICE}"
    )

    assert client_address(request) == OFFICE


def test_clients_behind_one_proxy_are_locked_apart(members, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"HTTP_X_FORWARDED_FOR": HOME}
    for _ in range(5):
        sign_in(ANN, "wrong-password", address="10.0.0.2", **proxy)

    from_home = sign_in(ANN, PASSWORD, address="10.0.0.2", **proxy)
    from_office = sign_in(ANN, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)

    assert (from_home.status_code, from_office.status_code) == (429, 302)
    assert failures_of(ANN, HOME) == 6
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.2").exists()
