"""customers.services.member_changes: roles changed and members removed, never the last admin."""

import pytest
from django.contrib.auth import get_user_model

from customers.errors import InvalidInput, NotFound
from customers.models import AuditAction, AuditEntry, MemberRole, Membership
from customers.services.member_changes import member_remove, member_role_change
from tests.factories import TESTS, make_member


def roles(account) -> dict[str, str]:
    return dict(Membership.objects.filter(account=account).values_list("user__username", "role"))


def test_a_role_change_is_stored_and_audited(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    ann = make_member(account, "ann@example.com")

    member_role_change(membership=ann, role=MemberRole.ADMIN, actor=TESTS)

    assert roles(account) == {"boss@example.com": "admin", "ann@example.com": "admin"}
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert (entry.target, entry.details) == (
        "ann@example.com",
        {"role": "admin", "previous_role": "marketer"},
    )


def test_the_same_role_again_changes_and_audits_nothing(account):
    ann = make_member(account, "ann@example.com")

    member_role_change(membership=ann, role=MemberRole.MARKETER, actor=TESTS)

    assert not AuditEntry.objects.filter(action=AuditAction.MEMBER_ROLE_CHANGED).exists()


def test_an_unknown_role_is_refused(account):
    ann = make_member(account, "ann@example.com")

    with pytest.raises(InvalidInput):
        member_role_change(membership=ann, role="owner", actor=TESTS)

    assert roles(account) == {"ann@example.com": "marketer"}


def test_the_last_admin_can_be_neither_demoted_nor_removed(account):
    boss = make_member(account, "boss@example.com", MemberRole.ADMIN)

    with pytest.raises(InvalidInput) as demoted:
        member_role_change(membership=boss, role=MemberRole.MARKETER, actor=TESTS)
    with pytest.raises(InvalidInput) as removed:
        member_remove(membership=boss, actor=TESTS)

    assert demoted.value.code == removed.value.code == "last_admin"
    assert roles(account) == {"boss@example.com": "admin"}


def test_an_admin_of_another_account_does_not_count(account, other_account):
    boss = make_member(account, "boss@example.com", MemberRole.ADMIN)
    make_member(other_account, "other@example.com", MemberRole.ADMIN)

    with pytest.raises(InvalidInput):
        member_remove(membership=boss, actor=TESTS)

    assert roles(account) == {"boss@example.com": "admin"}


def test_an_admin_with_another_admin_is_removed_keeping_their_login(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    ann = make_member(account, "ann@example.com", MemberRole.ADMIN)

    member_remove(membership=ann, actor=TESTS)

    assert roles(account) == {"boss@example.com": "admin"}
    assert get_user_model().objects.filter(username="ann@example.com").exists()
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_REMOVED)
    assert (entry.target, entry.details) == ("ann@example.com", {"role": "admin"})


def test_changing_a_member_already_removed_is_not_found(account):
    ann = make_member(account, "ann@example.com")
    member_remove(membership=ann, actor=TESTS)

    with pytest.raises(NotFound):
        member_role_change(membership=ann, role=MemberRole.ADMIN, actor=TESTS)

    assert roles(account) == {}


def test_the_last_admin_among_marketers_is_still_the_last_admin(account):
    boss = make_member(account, "boss@example.com", MemberRole.ADMIN)
    make_member(account, "ann@example.com")

    with pytest.raises(InvalidInput) as refused:
        member_role_change(membership=boss, role=MemberRole.MARKETER, actor=TESTS)

    assert refused.value.message == (
        "boss@example.com is the last admin of this account. Make another member an admin "
        "first, so that someone can still manage keys and members."
    )
    assert roles(account) == {"boss@example.com": "admin", "ann@example.com": "marketer"}


def test_a_member_without_an_email_is_named_by_their_login(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    user = get_user_model().objects.create_user("ann")
    ann = Membership.objects.create(user=user, account=account, role=MemberRole.ADMIN)

    member_role_change(membership=ann, role=MemberRole.MARKETER, actor=TESTS)
    member_remove(membership=ann, actor=TESTS)

    targets = AuditEntry.objects.filter(
        action__in=[AuditAction.MEMBER_ROLE_CHANGED, AuditAction.MEMBER_REMOVED]
    ).values_list("action", "target")
    assert sorted(targets) == sorted(
        [(AuditAction.MEMBER_ROLE_CHANGED, "ann"), (AuditAction.MEMBER_REMOVED, "ann")]
    )


def test_the_last_admin_without_an_email_is_named_by_their_login(account):
    user = get_user_model().objects.create_user("boss")
    boss = Membership.objects.create(user=user, account=account, role=MemberRole.ADMIN)

    with pytest.raises(InvalidInput) as refused:
        member_remove(membership=boss, actor=TESTS)

    assert refused.value.message.startswith("boss is the last admin of this account.")


def test_a_role_change_updates_the_membership_given(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    ann = make_member(account, "ann@example.com")

    returned = member_role_change(membership=ann, role=MemberRole.ADMIN, actor=TESTS)

    assert ann.role == returned.role == MemberRole.ADMIN
    assert returned.user.username == "ann@example.com"
    assert returned.account == account


def test_an_unknown_role_is_refused_naming_the_roles(account):
    ann = make_member(account, "ann@example.com")

    with pytest.raises(InvalidInput) as refused:
        member_role_change(membership=ann, role="owner", actor=TESTS)

    assert refused.value.message == "Unknown role 'owner': use admin or marketer."


def test_a_member_already_removed_is_not_found_with_a_reason(account):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    ann = make_member(account, "ann@example.com")
    member_remove(membership=ann, actor=TESTS)

    with pytest.raises(NotFound) as missing:
        member_remove(membership=ann, actor=TESTS)

    assert missing.value.message == "This person is no longer a member of the account."
    assert roles(account) == {"boss@example.com": "admin"}


def test_a_role_change_reads_the_member_with_its_login_and_account_at_once(
    account, django_assert_num_queries
):
    make_member(account, "boss@example.com", MemberRole.ADMIN)
    ann = make_member(account, "ann@example.com")
    ann = Membership.objects.get(pk=ann.pk)

    # savepoint, the member with login and account, the update, the audit entry, release
    with django_assert_num_queries(5):
        member_role_change(membership=ann, role=MemberRole.ADMIN, actor=TESTS)
