"""customers.services.api_keys: created shown once, stored hashed, authenticated, revoked."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from customers.errors import InvalidInput
from customers.models import ApiKey, ApiKeyScope, AuditAction, AuditEntry
from customers.services import Actor, api_key_authenticate, api_key_create, api_key_revoke
from tests.factories import TESTS, make_api_key


def test_create_returns_the_secret_once_and_stores_only_its_hash(account):
    api_key, raw_key = api_key_create(
        account=account, scope=ApiKeyScope.ADMIN, name="Shop", actor=TESTS
    )

    namespace, prefix, _ = raw_key.split("_", 2)
    stored = ApiKey.objects.get()
    assert (namespace, prefix) == ("ca", stored.prefix)
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in {stored.key_hash, stored.name, stored.prefix}
    assert (stored.pk, stored.scope, stored.name) == (api_key.pk, "admin", "Shop")
    entry = AuditEntry.objects.get(action=AuditAction.API_KEY_CREATED)
    assert (entry.target, entry.details) == (f"{prefix} Shop", {"scope": "admin"})


@pytest.mark.parametrize(
    ("scope", "name"), [("owner", ""), (ApiKeyScope.WRITE, "x" * 201), (ApiKeyScope.WRITE, "a\x00")]
)
def test_create_refuses_an_unknown_scope_or_a_bad_name(account, scope, name):
    with pytest.raises(InvalidInput):
        api_key_create(account=account, scope=scope, name=name, actor=TESTS)

    assert not ApiKey.objects.exists()
    assert not AuditEntry.objects.exists()


def test_authenticate_returns_the_live_key_and_records_its_use(account):
    api_key, raw_key = make_api_key(account)

    found = api_key_authenticate(raw_key)

    assert found.pk == api_key.pk
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
        lambda raw: "xx" + raw[2:],
        lambda raw: raw.replace("_", "-"),
        lambda raw: "",
        lambda raw: None,
    ],
    ids=["wrong-secret", "wrong-namespace", "no-separators", "empty", "not-a-string"],
)
def test_authenticate_refuses_anything_but_the_exact_key(account, mangle):
    _, raw_key = make_api_key(account)

    assert api_key_authenticate(mangle(raw_key)) is None
    assert ApiKey.objects.get().last_used_at is None


def test_last_used_is_written_at_most_once_per_resolution(account, settings):
    settings.API_KEY_LAST_USED_RESOLUTION_SECONDS = 60
    _, raw_key = make_api_key(account)
    a_while_ago = timezone.now() - timedelta(seconds=30)
    ApiKey.objects.update(last_used_at=a_while_ago)

    api_key_authenticate(raw_key)
    assert ApiKey.objects.get().last_used_at == a_while_ago

    long_ago = timezone.now() - timedelta(seconds=61)
    ApiKey.objects.update(last_used_at=long_ago)
    api_key_authenticate(raw_key)
    assert ApiKey.objects.get().last_used_at > long_ago


def test_a_revoked_key_no_longer_authenticates_and_is_audited_once(account):
    api_key, raw_key = make_api_key(account, name="Old")

    api_key_revoke(api_key=api_key, actor=TESTS)
    api_key_revoke(api_key=api_key, actor=TESTS)

    assert api_key_authenticate(raw_key) is None
    assert ApiKey.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.API_KEY_REVOKED).count() == 1


def test_a_key_made_without_name_or_scope_writes_unnamed_and_records_its_creator(account):
    user = get_user_model().objects.create_user("ann@example.com")

    api_key, raw_key = api_key_create(account=account, actor=Actor(user=user))

    stored = ApiKey.objects.get()
    assert (stored.name, stored.scope, stored.created_by_id) == ("", "write", user.pk)
    # 32 random bytes after the namespace and prefix, in URL-safe base64.
    assert len(raw_key.split("_", 2)[2]) == 43
    entry = AuditEntry.objects.get(action=AuditAction.API_KEY_CREATED)
    assert entry.target == api_key.prefix


def test_a_name_of_200_characters_is_kept(account):
    api_key_create(account=account, name="n" * 200, actor=TESTS)

    assert ApiKey.objects.get().name == "n" * 200


@pytest.mark.parametrize(
    ("scope", "name", "message"),
    [
        ("owner", "", "Unknown scope 'owner': use one of write, admin."),
        (
            ApiKeyScope.WRITE,
            "x" * 201,
            "A key name is at most 200 characters, without NUL characters.",
        ),
    ],
)
def test_a_refusal_says_what_to_send(account, scope, name, message):
    with pytest.raises(InvalidInput) as refused:
        api_key_create(account=account, scope=scope, name=name, actor=TESTS)

    assert refused.value.message == message


def test_a_key_whose_secret_holds_underscores_authenticates(account):
    for _ in range(64):
        api_key, raw_key = make_api_key(account)
        if "_" in raw_key.split("_", 2)[2]:
            break
    else:
        pytest.fail("no secret with an underscore in 64 keys")

    assert api_key_authenticate(raw_key).pk == api_key.pk


def test_a_key_of_another_namespace_is_refused_without_a_query(account, django_assert_num_queries):
    _, raw_key = make_api_key(account)

    with django_assert_num_queries(0):
        assert api_key_authenticate("xx" + raw_key[2:]) is None


def test_the_key_returned_carries_the_use_just_recorded(account):
    _, raw_key = make_api_key(account)

    found = api_key_authenticate(raw_key)

    assert found.last_used_at == ApiKey.objects.get().last_used_at


def test_a_use_exactly_one_resolution_after_the_last_is_recorded(account, settings, monkeypatch):
    settings.API_KEY_LAST_USED_RESOLUTION_SECONDS = 60
    _, raw_key = make_api_key(account)
    now = timezone.now()
    ApiKey.objects.update(last_used_at=now - timedelta(seconds=60))
    monkeypatch.setattr(timezone, "now", lambda: now)

    api_key_authenticate(raw_key)

    assert ApiKey.objects.get().last_used_at == now


def test_revoking_a_key_loaded_earlier_keeps_the_use_recorded_meanwhile(account):
    _, raw_key = make_api_key(account)
    loaded = ApiKey.objects.get()
    api_key_authenticate(raw_key)

    api_key_revoke(api_key=loaded, actor=TESTS)

    stored = ApiKey.objects.get()
    assert stored.revoked_at is not None
    assert stored.last_used_at is not None
