"""seed_demo's shared demo admin, and the Django admin's "View site" link and label rule."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from customers.demo import DEMO_ADMIN
from customers.models import Membership, PropertyDefinition
from tests.factories import make_definition
from tests.members import signs_in


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--customers", "0", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def password_in(output: str) -> str:
    return next(line.split()[3] for line in output.splitlines() if "login:" in line)


@pytest.mark.django_db
def test_seeding_another_account_keeps_the_demo_admins_password():
    first = seed()
    password = password_in(first)

    second = seed("--account", "Other")

    assert signs_in(DEMO_ADMIN, password)
    assert "password unchanged" in second
    assert password not in second
    accounts = Membership.objects.filter(user__username=DEMO_ADMIN)
    assert sorted(accounts.values_list("account__name", "role")) == [
        ("Demo", "admin"),
        ("Other", "admin"),
    ]


@pytest.mark.django_db
def test_the_demo_admin_opens_the_django_admin_for_its_accounts_only(account):
    make_definition(account, "secret", label="Secret")  # another account's
    seed()
    make_definition(Membership.objects.get(user__username=DEMO_ADMIN).account, "plan")
    user = get_user_model().objects.get(username=DEMO_ADMIN)
    client = Client()
    client.force_login(user)

    index = client.get("/admin/")
    definitions = client.get("/admin/customers/propertydefinition/")

    assert (user.is_staff, user.is_superuser) == (True, False)
    assert index.status_code == 200
    assert definitions.status_code == 200
    assert "plan" in definitions.content.decode()
    assert "secret" not in definitions.content.decode()
    assert client.get("/admin/auth/user/").status_code == 403


@pytest.mark.django_db
def test_view_site_leads_members_to_the_pages_home():
    seed()
    client = Client()
    client.force_login(get_user_model().objects.get(username=DEMO_ADMIN))

    html = client.get("/admin/").content.decode()

    assert '<a href="/">View site</a>' in html
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.django_db
def test_view_site_is_left_out_for_staff_of_no_account():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root@example.com", "x"))

    html = client.get("/admin/").content.decode()

    assert "View site" not in html


@pytest.mark.django_db
def test_admin_edit_to_a_taken_label_is_refused_on_the_form(account):
    make_definition(account, "plan", label="Plan")
    tier = make_definition(account, "tier", label="Tier")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root@example.com", "x"))

    response = client.post(
        f"/admin/customers/propertydefinition/{tier.pk}/change/",
        {"account": account.pk, "label": "PLAN", "description": "", "source": "api"},
    )

    assert response.status_code == 200
    assert "Another active property, “Plan” (plan), already has this label." in (
        response.content.decode()
    )
    assert PropertyDefinition.objects.get(key="tier").label == "Tier"


@pytest.mark.django_db
def test_admin_edit_of_a_label_goes_through_the_service_and_is_audited(account):
    tier = make_definition(account, "tier", label="Tier")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root@example.com", "x"))

    response = client.post(
        f"/admin/customers/propertydefinition/{tier.pk}/change/",
        {"account": account.pk, "label": "Plan tier", "description": "d", "source": "api"},
    )

    assert response.status_code == 302
    assert PropertyDefinition.objects.get(key="tier").label == "Plan tier"
    assert account.audit_entries.filter(action="definition.updated").exists()
