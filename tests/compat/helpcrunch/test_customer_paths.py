"""Customer ids in HelpCrunch paths: anything but a number is a 400, never a query.

Issue 8, item 5: a NUL character must not reach PostgreSQL, which refuses it with an error.
"""

from urllib.parse import quote

import pytest

from customers.identifiers import Identifier
from customers.models import Customer
from customers.services import customer_profile_save
from tests.compat.helpcrunch.helpers import error_of, send

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")

MALFORMED_IDS = ["\x00", "1\x00", "\x001", "\u0661", "\u00b2", "9" * 30, "0", "-1"]


@pytest.fixture
def jane(account):
    customer, _ = customer_profile_save(
        account=account, identifier=Identifier("user_id", "jane"), fields={"company": "Acme"}
    )
    return customer


@pytest.mark.parametrize("customer_id", MALFORMED_IDS)
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PUT", "", {"company": "Globex"}),
        ("PATCH", "", {"company": "Globex"}),
        ("PUT", "/tags", {"tags": [{"name": "vip"}]}),
        ("DELETE", "/tags", {"tags": [{"name": "vip"}]}),
    ],
)
def test_malformed_customer_id_in_the_path_is_refused(hc, jane, customer_id, method, suffix, body):
    response = send(hc, method, f"/customers/{quote(customer_id, safe='')}{suffix}", body)

    error = error_of(response, 400)
    assert error["code"] == "customer"
    jane.refresh_from_db()
    assert jane.company == "Acme"
    assert not jane.tags.exists()
    assert Customer.objects.count() == 1
