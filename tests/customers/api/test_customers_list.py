import pytest

from customers.models import Customer
from customers.services.subscriptions import customers_unsubscribe
from customers.services.suppressions import customer_suppress
from tests.customers.api.requests import set_properties
from tests.factories import make_customer

URL = "/api/customers"


@pytest.fixture
def people(api, account):
    set_properties(
        api,
        "ann@example.com",
        {"plan_tier": "enterprise", "number_of_payments": 12, "interests": ["golf", "travel"]},
    )
    set_properties(api, "bob@example.com", {"plan_tier": "free", "number_of_payments": 3})
    set_properties(api, "cat@example.com", {"plan_tier": "enterprise"})
    make_customer(account, "ann@example.com", tags=["vip"])


def emails(response):
    assert response.status_code == 200, response.content
    return sorted(c["email"] for c in response.json()["customers"])


def test_list_returns_customers_with_properties(api, people):
    body = api.get(URL).json()

    assert body["status"] == "ok"
    ann = next(c for c in body["customers"] if c["email"] == "ann@example.com")
    assert ann["properties"]["number_of_payments"] == 12
    assert ann["tags"] == ["vip"]
    assert ann["customer_uuid"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plan_tier=enterprise", ["ann@example.com", "cat@example.com"]),
        ("plan_tier!=enterprise", ["bob@example.com"]),
        ("number_of_payments>=10", ["ann@example.com"]),
        ("number_of_payments%3E%3D10", ["ann@example.com"]),
        ("number_of_payments<10", ["bob@example.com"]),
        ("number_of_payments__gt=3", ["ann@example.com"]),
        ("number_of_payments__set=false", ["cat@example.com"]),
        ("number_of_payments__not_set=true", ["cat@example.com"]),
        ("interests__contains=golf", ["ann@example.com"]),
        ("interests=travel", ["ann@example.com"]),
        ("plan_tier__contains=ENTER", ["ann@example.com", "cat@example.com"]),
        ("plan_tier=enterprise&number_of_payments__set=true", ["ann@example.com"]),
        ("tag=vip", ["ann@example.com"]),
        ("email=BOB@example.com", ["bob@example.com"]),
        ("q=cat", ["cat@example.com"]),
    ],
)
def test_filters(api, people, query, expected):
    assert emails(api.get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    "query",
    [
        "unknown_key=1",
        "plan_tier>3",
        "number_of_payments>=lots",
        "number_of_payments__between=1",
        "customer_uuid=nope",
    ],
)
def test_bad_filters_are_400(api, people, query):
    response = api.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_pagination_walks_every_customer_once(api, account):
    Customer.objects.bulk_create(
        [Customer(account=account, email=f"c{i}@example.com") for i in range(7)]
    )
    seen = []
    url = f"{URL}?limit=3"
    pages = 0
    while url:
        body = api.get(url).json()
        seen += [c["email"] for c in body["customers"]]
        url = body["next"]
        pages += 1

    assert pages == 3
    assert sorted(seen) == sorted(f"c{i}@example.com" for i in range(7))


def test_list_never_shows_another_accounts_customers(api, other_api):
    set_properties(other_api, "secret@globex.com", {"x": 1})

    assert api.get(URL).json()["customers"] == []
    assert api.get(f"{URL}?email=secret@globex.com").json()["customers"] == []


def test_suppressed_and_unsubscribed_customers_are_filterable(api, account):
    kept = make_customer(account, "kept@example.com")
    quiet = make_customer(account, "quiet@example.com")
    gone = make_customer(account, "gone@example.com")
    customer_suppress(customer=quiet)
    customers_unsubscribe(account=account, emails=[gone.email])

    def listed(query):
        return emails(api.get(f"/api/customers?{query}", HTTP_X_API_KEY=api.raw_key))

    assert listed("suppressed=true") == ["quiet@example.com"]
    assert listed("suppressed=false") == ["gone@example.com", kept.email]
    assert listed("unsubscribed=true") == ["gone@example.com"]
    assert listed("suppressed=false&unsubscribed=false") == [kept.email]
    refused = api.get("/api/customers?suppressed=maybe", HTTP_X_API_KEY=api.raw_key)
    assert refused.status_code == 400
