"""customers.selectors.api_keys: an account's keys, live first, newest first."""

from customers.selectors import api_key_get, api_keys_of
from customers.services import api_key_revoke
from tests.factories import TESTS, make_api_key


def test_keys_are_listed_live_first_then_newest_first(account, other_account):
    make_api_key(account, name="old")
    revoked, _ = make_api_key(account, name="revoked")
    make_api_key(account, name="new")
    make_api_key(other_account, name="theirs")
    api_key_revoke(api_key=revoked, actor=TESTS)

    assert [k.name for k in api_keys_of(account=account)] == ["new", "old", "revoked"]


def test_a_key_is_found_by_id_only_in_its_account(account, other_account):
    ours, _ = make_api_key(account, name="ours")
    theirs, _ = make_api_key(other_account, name="theirs")

    assert api_key_get(account=account, key_id=ours.pk).name == "ours"
    assert api_key_get(account=account, key_id=theirs.pk) is None
    assert api_key_get(account=account, key_id=999_999) is None
