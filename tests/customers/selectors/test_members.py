"""customers.selectors.members: an account's members, admins first, then by email."""

from customers.models import MemberRole
from customers.selectors import members_of, membership_by_email, membership_get
from tests.factories import make_member


def test_members_are_listed_admins_first_then_by_email(account, other_account):
    make_member(account, "zoe@example.com", MemberRole.MARKETER)
    make_member(account, "bea@example.com", MemberRole.ADMIN)
    make_member(account, "amy@example.com", MemberRole.MARKETER)
    make_member(other_account, "abe@example.com", MemberRole.ADMIN)

    assert [(m.user.email, m.role) for m in members_of(account=account)] == [
        ("bea@example.com", "admin"),
        ("amy@example.com", "marketer"),
        ("zoe@example.com", "marketer"),
    ]


def test_a_membership_is_found_by_id_or_email_only_in_its_account(account, other_account):
    ann = make_member(account, "ann@example.com")
    theirs = make_member(other_account, "tom@example.com")

    assert membership_get(account=account, membership_id=ann.pk).user.email == "ann@example.com"
    assert membership_get(account=account, membership_id=theirs.pk) is None
    assert membership_by_email(account=account, email=" ANN@example.com ").pk == ann.pk
    assert membership_by_email(account=account, email="tom@example.com") is None
    assert membership_by_email(account=account, email="") is None
