"""Fuzz every native operation from the served /api/schema/ with schemathesis.

Bounded and repeatable: a fixed seed, deterministic generation, a few examples per
operation through the WSGI app (no network), well under a minute for all of them.
Every check runs but two that ask what OpenAPI 3.0 cannot say or the views do not do:

- positive_data_acceptance: "exactly one identifier, in the query or the body" and
  "the type of an existing property" are not expressible, so schema-valid requests are
  rightly refused with 400/409.
- negative_data_rejection: DRF reads a number sent for a string field as that string
  (`"id": 0` is the event id "0") and list filters ignore an empty value, so some
  schema-invalid requests are rightly accepted.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from customers.models import ApiKeyScope
from customers.services import Actor, api_key_create

MAX_EXAMPLES = 10

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=SchemathesisConfig.from_dict(
        {
            "seed": 20260601,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                "positive_data_acceptance": {"enabled": False},
                "negative_data_rejection": {"enabled": False},
            },
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """Keep the test's database connection open, as Django's test client does.

    The WSGI handler closes it as a request starts and as it ends, which would end the
    test's transaction at the first request.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_key(account) -> str:
    _, raw_key = api_key_create(account=account, scope=ApiKeyScope.ADMIN, actor=Actor(system="t"))
    return raw_key


@schema.parametrize()
# The key is made once per operation on purpose: every example writes with it. A request
# that takes seconds is a defect of its own, and the deadline bounds the run's time.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=timedelta(seconds=5),
)
def test_operation_answers_only_what_its_schema_documents(case, api_key):
    case.call_and_validate(headers={"X-API-Key": api_key})
