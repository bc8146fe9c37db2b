"""HelpCrunch customData names become keys without silent merges or lost letters.

Issue 8, item 11: two names of one request that make the same key are refused naming
both; a name that would lose characters is refused with the key it would make.
"""

import pytest

from customers.identifiers import Identifier
from customers.models import Customer, PropertyDefinition
from customers.services import customer_profile_save
from tests.compat.helpcrunch.helpers import error_of, native_properties, send

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")


@pytest.fixture
def jane(account):
    customer, _ = customer_profile_save(
        account=account, identifier=Identifier("user_id", "jane"), fields={}
    )
    return customer


@pytest.mark.parametrize(
    ("custom_data", "code", "names"),
    [
        ({"Plan": "a", "plan": "b"}, "customData.plan", '"Plan" and "plan" both make'),
        ({"plan": "a", "\uff50lan": "b"}, "customData.\uff50lan", '"plan" and "\uff50lan"'),
        (
            [{"property": "plan", "value": "a"}, {"property": "Plan", "value": "b"}],
            "customData[1].property",
            '"plan" and "Plan" both make the key "plan"',
        ),
        (
            [{"property": "plan", "value": "a"}, {"property": "plan", "value": "b"}],
            "customData[1].property",
            '"plan" is sent twice',
        ),
    ],
)
def test_two_names_of_one_key_are_refused_naming_both(hc, custom_data, code, names):
    response = send(hc, "POST", "/customers", {"userId": "u1", "customData": custom_data})

    error = error_of(response, 400)
    assert error["code"] == code
    assert names in error["message"]
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_duplicate_names_leave_the_customer_as_it_was(hc, api, jane, method):
    assert (
        send(hc, "PATCH", f"/customers/{jane.pk}", {"customData": {"plan": "pro"}}).status_code
        == 200
    )

    response = send(hc, method, f"/customers/{jane.pk}", {"customData": {"plan": "a", "Plan": "b"}})

    error_of(response, 400)
    assert native_properties(api, jane.pk) == {"plan": ("pro", "text")}


@pytest.mark.parametrize(
    ("name", "character", "suggestion"),
    [
        ("pl\u0430n_tier", "U+0430 CYRILLIC SMALL LETTER A", "pln_tier"),
        ("plan\u200b", "U+200B ZERO WIDTH SPACE", "plan"),
    ],
)
def test_name_that_would_lose_characters_is_refused_with_the_suggestion(
    hc, name, character, suggestion
):
    response = send(hc, "POST", "/customers", {"userId": "u1", "customData": {name: "x"}})

    error = error_of(response, 400)
    assert error["code"] == f"customData.{name}"
    assert character in error["message"]
    assert f'(for example "{suggestion}")' in error["message"]
    assert not Customer.objects.exists()


def test_search_on_a_name_that_would_lose_characters_is_refused(hc, jane):
    body = {"filter": [{"field": "customData.pl\u0430n", "operator": "=", "value": "x"}]}

    error = error_of(send(hc, "POST", "/customers/search", body), 400)

    assert error["code"] == "filter[0].field"
    assert "U+0430" in error["message"]
