"""Numbers beyond float range are refused by the native API, never stored (issue 8).

`PATCH /api/properties/k {"label": 1e400}` used to store the label "inf".
"""

import pytest

from customers.models import PropertyDefinition
from tests.customers.api.requests import set_properties


@pytest.fixture
def plan(api, account):
    set_properties(api, "jane@example.com", {"plan": "pro"})
    return PropertyDefinition.objects.get(account=account, key="plan")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1E999"])
@pytest.mark.parametrize("field", ["label", "description"])
def test_definition_field_beyond_float_range_is_refused_and_not_stored(api, plan, number, field):
    before = (plan.label, plan.description)

    response = api.patch(
        "/api/properties/plan", f'{{"{field}": {number}}}', content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["status"] == "error"
    plan.refresh_from_db()
    assert (plan.label, plan.description) == before
    assert "inf" not in (plan.label + plan.description).lower()


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_property_value_beyond_float_range_is_refused_and_not_stored(api, plan, number):
    body = '{"email": "jane@example.com", "properties": {"plan": NUMBER}}'.replace("NUMBER", number)

    response = api.put("/api/customers/properties", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert plan.values.get().value_text == "pro"
