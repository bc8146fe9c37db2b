"""customers.services.members: a Django user's role in an account, added or re-roled."""

import pytest
from django.contrib.auth import get_user_model

from customers.errors import InvalidInput
from customers.models import AuditAction, AuditEntry, MemberRole, Membership
from customers.services.members import member_add
from tests.factories import PASSWORD, TESTS, make_member


def test_a_new_member_without_a_password_gets_a_one_time_password_that_works(account):
    membership, one_time = member_add(
        account=account, email=" Ann@Example.com ", role=MemberRole.ADMIN, actor=TESTS
    )

    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("ann@example.com", "ann@example.com")
    assert one_time
    assert user.check_password(one_time)
    assert Membership.objects.get().role == MemberRole.ADMIN
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_ADDED)
    assert (entry.target, entry.details) == ("ann@example.com", {"role": "admin"})
    assert membership.user == user


def test_a_given_password_is_set_and_no_one_time_password_made(account):
    _, one_time = member_add(
        account=account, email="ann@example.com", role="marketer", password=PASSWORD, actor=TESTS
    )

    assert one_time is None
    assert get_user_model().objects.get().check_password(PASSWORD)


def test_an_existing_user_joins_another_account_keeping_their_password(account, other_account):
    make_member(account, "ann@example.com")

    _, one_time = member_add(
        account=other_account, email="ann@example.com", role="marketer", actor=TESTS
    )

    assert one_time is None
    assert get_user_model().objects.get().check_password(PASSWORD)
    assert Membership.objects.count() == 2


def test_adding_a_member_again_with_another_role_changes_the_role(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    make_member(account, "ann@example.com", MemberRole.MARKETER)

    make_member(account, "ann@example.com", MemberRole.ADMIN)

    assert Membership.objects.get(user__username="ann@example.com").role == MemberRole.ADMIN
    assert AuditEntry.objects.filter(action=AuditAction.MEMBER_ADDED).count() == 2
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert entry.details == {"role": "admin", "previous_role": "marketer"}


@pytest.mark.parametrize(
    ("email", "role", "password"),
    [
        ("not-an-email", "marketer", None),
        ("ann@example.com", "owner", None),
        ("ann@example.com", "marketer", "123"),
    ],
)
def test_a_bad_email_role_or_weak_password_is_refused(account, email, role, password):
    with pytest.raises(InvalidInput):
        member_add(account=account, email=email, role=role, password=password, actor=TESTS)

    assert not get_user_model().objects.exists()
    assert not Membership.objects.exists()


def test_a_one_time_password_holds_twelve_random_bytes(account):
    _, one_time = member_add(account=account, email="ann@example.com", role="admin", actor=TESTS)

    assert len(one_time) == 16


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("", "marketer", "'' is not an email address."),
        (None, "marketer", "'' is not an email address."),
        ("ann@", "marketer", "'ann@' is not an email address."),
        ("ann@example.com", "owner", "Unknown role 'owner': use admin or marketer."),
    ],
)
def test_a_refusal_says_what_is_wrong(account, email, role, message):
    with pytest.raises(InvalidInput) as refused:
        member_add(account=account, email=email, role=role, actor=TESTS)

    assert refused.value.message == message


def test_a_weak_password_is_refused_with_every_reason(account):
    with pytest.raises(InvalidInput) as refused:
        member_add(
            account=account, email="ann@example.com", role="admin", password="123", actor=TESTS
        )

    assert refused.value.message == (
        "This password is too short. It must contain at least 8 characters. "
        "This password is too common. This password is entirely numeric."
    )
