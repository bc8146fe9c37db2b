"""The signed-in person's own account: sign-in wording, password change and reset,
switching accounts, and the 403/404 pages inside the layout."""

import re

import pytest
from django.core import mail
from django.test import Client

from customers.models import MemberRole
from tests.factories import make_account, make_member
from tests.members import member_client, signs_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def member():
    membership = make_member(make_account("Acme"), "ann@example.com", MemberRole.MARKETER)
    membership.user.set_password(PASSWORD)
    membership.user.save()
    return membership


def test_a_failed_sign_in_speaks_of_the_email_not_a_username(member):
    response = Client().post("/login/", {"username": "ann@example.com", "password": "wrong"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "That email and password don&#x27;t match" in text
    assert "username" not in re.sub(
        r'name="username"|id_username|autocomplete="username"', "", text
    )
    assert 'href="/account/password/reset/"' in text


def test_a_member_changes_their_password_and_signs_in_with_the_new_one(member):
    client = Client()
    client.force_login(member.user)

    page = client.get("/account/password/")
    assert page.status_code == 200
    assert b"Change your password" in page.content
    refused = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": "a new long one 42", "new_password2": "x"},
    )
    assert refused.status_code == 200
    assert b"form-error" in refused.content or b"errorlist" in refused.content
    assert signs_in("ann@example.com", PASSWORD)

    changed = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long one 42",
            "new_password2": "a new long one 42",
        },
    )

    assert changed.status_code == 302
    assert changed["Location"] == "/account/password/changed/"
    assert client.get("/account/password/changed/").status_code == 200
    assert signs_in("ann@example.com", "a new long one 42")
    assert not signs_in("ann@example.com", PASSWORD)


def test_a_forgotten_password_is_reset_through_the_emailed_link(member):
    client = Client()
    sent = client.post("/account/password/reset/", {"email": "ANN@example.com"})
    assert sent.status_code == 302
    assert sent["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.com"]
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None

    form = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "reset and long 77", "new_password2": "reset and long 77"},
    )

    assert done.status_code == 302
    assert done["Location"] == "/account/password/reset/done/"
    assert signs_in("ann@example.com", "reset and long 77")
    # The link works once.
    assert b"no longer works" in client.get(link.group(1), follow=True).content


def test_an_unknown_email_gets_the_same_answer_and_no_mail(member):
    sent = Client().post("/account/password/reset/", {"email": "nobody@example.com"})

    assert sent.status_code == 302
    assert sent["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_a_member_of_two_accounts_switches_between_them():
    first, second = make_account("First Co"), make_account("Second Co")
    make_member(first, "both@example.com", MemberRole.MARKETER)
    user = make_member(second, "both@example.com", MemberRole.ADMIN).user
    client = Client()
    client.force_login(user)

    page = client.get("/attributes/")
    assert b'id="account-switch"' in page.content
    assert re.search(rb'<option value="%d" selected>First Co' % first.pk, page.content)
    assert client.get("/settings/keys/").status_code == 403  # a marketer in First Co

    switched = client.post(
        "/account/switch/", {"account": str(second.pk), "next": "/settings/keys/"}
    )

    assert switched.status_code == 302
    assert switched["Location"] == "/settings/keys/"
    keys = client.get("/settings/keys/")
    assert keys.status_code == 200  # an admin in Second Co
    assert re.search(rb'<option value="%d" selected>Second Co' % second.pk, keys.content)


def test_switching_to_an_account_one_is_not_a_member_of_changes_nothing():
    mine, theirs = make_account("Mine"), make_account("Theirs")
    client = member_client(mine, "me@example.com")

    response = client.post(
        "/account/switch/", {"account": str(theirs.pk), "next": "//evil.example"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/attributes/"
    page = client.get("/attributes/")
    assert b"Mine" in page.content
    assert b"Theirs" not in page.content


def test_a_one_account_member_sees_no_switcher(member):
    client = Client()
    client.force_login(member.user)

    page = client.get("/attributes/")

    assert b'id="account-switch"' not in page.content
    assert b"Acme" in page.content


def test_a_forbidden_page_explains_the_role_inside_the_layout(member):
    client = Client()
    client.force_login(member.user)

    response = client.get("/settings/keys/")

    assert response.status_code == 403
    text = response.content.decode()
    assert "Only admins of Acme can do this; your role there is marketer." in text
    assert 'aria-label="Main"' in text  # the navigation is there
    assert 'href="/attributes/"' in text


def test_a_missing_page_has_the_layout_for_members_and_a_log_in_link_for_others(member):
    client = Client()
    client.force_login(member.user)

    signed_in = client.get("/no/such/page/")
    anonymous = Client().get("/no/such/page/")

    assert signed_in.status_code == 404
    assert b'aria-label="Main"' in signed_in.content
    assert b"you are in <strong>Acme</strong>" in signed_in.content
    assert anonymous.status_code == 404
    assert b'href="/login/"' in anonymous.content
    assert b'aria-label="Main"' not in anonymous.content
