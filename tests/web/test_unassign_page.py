"""The unassign confirmation's Cancel goes back to the value's row, not the profile's top."""

import re

from tests.factories import make_customer


def test_cancel_returns_to_the_values_row(account, marketer_client):
    ann = make_customer(account, "ann@example.com", {"plan_tier": "pro"})

    page = marketer_client.get(f"/customers/{ann.pk}/values/plan_tier/unassign/")
    cancel = re.search(r'<a class="btn" href="([^"]+)">Cancel</a>', page.content.decode())
    profile = marketer_client.get(f"/customers/{ann.pk}/").content.decode()

    assert cancel
    assert cancel.group(1) == f"/customers/{ann.pk}/#value-plan_tier"
    assert 'id="value-plan_tier"' in profile
