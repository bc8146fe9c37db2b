"""customers.services.accounts: the tenants, found or created by name."""

import pytest

from customers.errors import InvalidInput
from customers.models import Account
from customers.services import account_get_or_create


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
