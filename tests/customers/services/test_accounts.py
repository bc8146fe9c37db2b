"""customers.services.accounts: the tenants, found or created by name."""

import pytest

from customers.errors import InvalidInput
from customers.models import Account
from customers.services import account_get_or_create, accounts


@pytest.mark.django_db
def test_an_account_is_created_once_and_found_by_name_after():
    first, created = account_get_or_create(name="  Acme Inc ")
    again, created_again = account_get_or_create(name="Acme Inc")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    stored = Account.objects.get()
    assert (stored.name, stored.slug, len(stored.site_id)) == ("Acme Inc", "acme-inc", 20)


@pytest.mark.django_db
def test_names_with_the_same_slug_get_numbered_slugs_and_their_own_site_ids():
    accounts = [account_get_or_create(name=name)[0] for name in ("Acme", "ACME", "acme!")]

    assert [a.slug for a in accounts] == ["acme", "acme-2", "acme-3"]
    assert len({a.site_id for a in accounts}) == 3


@pytest.mark.django_db
def test_a_name_without_letters_gets_a_generic_slug():
    account, _ = account_get_or_create(name="!!!")

    assert account.slug == "account"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "a" * 201, "Ac\x00me"])
def test_an_empty_overlong_or_nul_name_is_refused(name):
    with pytest.raises(InvalidInput):
        account_get_or_create(name=name)

    assert not Account.objects.exists()


@pytest.mark.django_db
def test_a_name_of_200_characters_is_kept_whole_with_its_slug_cut_to_180():
    _, created = account_get_or_create(name="a" * 200)

    assert created
    stored = Account.objects.get()
    assert (stored.name, stored.slug) == ("a" * 200, "a" * 180)


@pytest.mark.django_db
def test_a_refused_name_says_what_a_name_may_be():
    with pytest.raises(InvalidInput) as refused:
        account_get_or_create(name="a" * 201)

    assert refused.value.message == "An account name is 1 to 200 characters."


@pytest.mark.django_db
def test_an_existing_account_is_found_in_one_query(django_assert_num_queries):
    first, _ = account_get_or_create(name="Acme")

    with django_assert_num_queries(1):
        found, created = account_get_or_create(name="Acme")

    assert (found.pk, created) == (first.pk, False)
    assert Account.objects.count() == 1


@pytest.mark.django_db
def test_an_account_created_by_another_process_meanwhile_is_returned_as_found(monkeypatch):
    slugify = accounts.slugify

    def created_meanwhile(name):
        # Another process inserts the account after our look-up, before our insert.
        Account.objects.create(name="Acme", slug="acme-elsewhere", site_id="s" * 20)
        return slugify(name)

    monkeypatch.setattr(accounts, "slugify", created_meanwhile)

    account, created = account_get_or_create(name="Acme")

    assert (account.slug, created) == ("acme-elsewhere", False)
    assert list(Account.objects.values_list("name", "slug")) == [("Acme", "acme-elsewhere")]
