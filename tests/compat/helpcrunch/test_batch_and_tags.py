"""HelpCrunch v1 batch update (1-10 customers, all or nothing) and customer tags."""

import pytest

from customers.identifiers import Identifier
from customers.models import Customer, PropertyValue, Tag
from customers.services import PropertyWrite, customer_profile_save
from tests.compat.helpcrunch.helpers import error_of, native_properties, send
from tests.factories import make_tags

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")


def profile(account, user_id: str, **props) -> Customer:
    customer, _ = customer_profile_save(
        account=account,
        identifier=Identifier("user_id", user_id),
        writes=[PropertyWrite(k, v) for k, v in props.items()],
    )
    return customer


# --- batch


def test_batch_of_two_is_applied_with_patch_semantics(hc, api, account):
    ann = profile(account, "ann", plan="basic", notes="keep")
    bob = profile(account, "bob", plan="basic")
    body = [
        {"id": ann.pk, "name": "Ann Lee", "customData": {"plan": "pro"}},
        {"id": str(bob.pk), "email": "bob@example.com", "lastSeen": "1603885746"},
    ]

    response = send(hc, "PUT", "/customers/batch", body)

    assert response.status_code == 200, response.content
    result = response.json()
    assert [c["id"] for c in result] == [ann.pk, bob.pk]
    assert (result[0]["name"], result[0]["customData"], result[0]["notes"]) == (
        "Ann Lee",
        {"plan": "pro"},
        "keep",
    )
    assert (result[1]["email"], result[1]["lastSeen"], result[1]["userId"]) == (
        "bob@example.com",
        "1603885746",
        "bob",
    )
    assert native_properties(api, ann.pk) == {"plan": ("pro", "text"), "notes": ("keep", "text")}
    assert native_properties(api, bob.pk) == {
        "plan": ("basic", "text"),
        "last_seen": ("2020-10-28T11:49:06+00:00", "date"),
    }
    assert Customer.objects.get(pk=bob.pk).email == "bob@example.com"


def test_batch_of_eleven_is_refused_and_nothing_written(hc, account):
    customers = [profile(account, f"u{n}") for n in range(11)]
    body = [{"id": c.pk, "notes": "batch"} for c in customers]

    response = send(hc, "PUT", "/customers/batch", body)

    error = error_of(response, 400)
    assert error["code"] == "body"
    assert "1 to 10" in error["message"]
    assert not PropertyValue.objects.exists()


def test_batch_with_one_refused_item_writes_nothing(hc, api, account):
    ann, bob = profile(account, "ann"), profile(account, "bob")
    body = [
        {"customer": ann.pk, "name": "Ann Lee", "customData": {"seats": 3}},
        {"customer": bob.pk, "notes": "x", "firstSeen": "yesterday"},
    ]

    response = send(hc, "PUT", "/customers/batch", body)

    error = error_of(response, 400)
    assert error["code"] == "[1].firstSeen"
    assert Customer.objects.get(pk=ann.pk).first_name == ""
    assert native_properties(api, ann.pk) == {}
    assert native_properties(api, bob.pk) == {}


def test_batch_with_an_unknown_or_foreign_customer_is_404_and_writes_nothing(
    hc, account, other_account
):
    ann = profile(account, "ann")
    theirs = profile(other_account, "theirs")

    for missing in (999_999, theirs.pk):
        body = [{"id": ann.pk, "notes": "x"}, {"id": missing, "notes": "y"}]
        error = error_of(send(hc, "PUT", "/customers/batch", body), 404)
        assert error["code"] == "not_found"
        assert "[1]" in error["message"]
    assert not PropertyValue.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([], "body"),
        ({"id": 1}, "body"),
        ([{"notes": "x"}], "[0].customer"),
        (["x"], "[0].customer"),
        ([{"id": "abc"}], "[0].id"),
        ([{"customer": "abc"}], "[0].customer"),
        ([{"customer": 1, "id": 2}], "[0].customer"),
        ([{"customer": 1, "email": "nope"}], "[0].email"),
    ],
)
def test_malformed_batch_is_400_naming_the_item(hc, body, code):
    response = send(hc, "PUT", "/customers/batch", body)

    assert error_of(response, 400)["code"] == code
    assert not PropertyValue.objects.exists()


def test_batch_naming_a_customer_twice_is_refused(hc, account):
    ann = profile(account, "ann")

    body = [{"customer": ann.pk}, {"id": ann.pk, "notes": "x"}]

    response = send(hc, "PUT", "/customers/batch", body)

    assert error_of(response, 400)["code"] == "[1].customer"
    assert not PropertyValue.objects.exists()


# --- tags


def test_tags_are_added_created_with_the_default_color_and_kept(hc, account):
    ann = profile(account, "ann")
    ann.tags.add(*make_tags(account, "old", color="#000000"))

    response = send(
        hc,
        "PUT",
        f"/customers/{ann.pk}/tags",
        {"tags": [{"name": "vip", "color": "#ff0000"}, {"name": "lead"}]},
    )

    assert response.status_code == 200, response.content
    assert response.json()["tags"] == [
        {"name": "lead", "color": "#c377e0"},
        {"name": "old", "color": "#000000"},
        {"name": "vip", "color": "#ff0000"},
    ]
    assert sorted(ann.tags.values_list("name", flat=True)) == ["lead", "old", "vip"]
    assert Tag.objects.get(account=account, name="lead").color == "#c377e0"


def test_tags_are_removed_by_object_or_by_name_and_stay_in_the_account(hc, account):
    ann = profile(account, "ann")
    send(hc, "PUT", f"/customers/{ann.pk}/tags", {"tags": ["a", "b", "c"]})

    first = send(hc, "DELETE", f"/customers/{ann.pk}/tags", {"tags": [{"name": "a"}]})
    second = send(hc, "DELETE", f"/customers/{ann.pk}/tags", {"tags": ["b", "missing"]})

    assert first.status_code == 200, first.content
    assert [t["name"] for t in first.json()["tags"]] == ["b", "c"]
    assert second.json()["tags"] == [{"name": "c", "color": "#c377e0"}]
    assert list(ann.tags.values_list("name", flat=True)) == ["c"]
    assert set(Tag.objects.values_list("name", flat=True)) == {"a", "b", "c"}


def test_tags_added_here_are_seen_by_the_native_customer_filter(hc, api, account):
    ann = profile(account, "ann")
    profile(account, "bob")
    send(hc, "PUT", f"/customers/{ann.pk}/tags", {"tags": [{"name": "vip"}]})

    response = api.get("/api/customers", {"tag": "vip"}, HTTP_X_API_KEY=api.raw_key)

    assert [c["customer_id"] for c in response.json()["customers"]] == [ann.pk]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "tags"),
        ({"tags": []}, "tags"),
        ({"tags": [{"name": ""}]}, "tags[0].name"),
        ({"tags": [{"name": "x", "color": 5}]}, "tags[0].color"),
        ({"tags": [{"name": "x" * 101}]}, "tags[0].name"),
        ({"labels": ["x"]}, "tags"),
    ],
)
def test_malformed_tags_are_400(hc, account, body, code):
    ann = profile(account, "ann")

    response = send(hc, "PUT", f"/customers/{ann.pk}/tags", body)

    assert error_of(response, 400)["code"] == code
    assert not Tag.objects.exists()


def test_tags_of_another_accounts_customer_are_404(hc, other_account):
    theirs = profile(other_account, "theirs")

    response = send(hc, "PUT", f"/customers/{theirs.pk}/tags", {"tags": ["x"]})

    assert error_of(response, 404)["code"] == "not_found"
    assert not Tag.objects.exists()
