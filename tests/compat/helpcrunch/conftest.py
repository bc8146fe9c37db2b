"""Fixtures for the HelpCrunch v1 adapter tests."""

import pytest


@pytest.fixture
def hc(api):
    """The `api` client, also sending its key as HelpCrunch's Bearer token."""
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api.raw_key}")
    return api


@pytest.fixture
def other_hc(other_api):
    other_api.credentials(HTTP_AUTHORIZATION=f"Bearer {other_api.raw_key}")
    return other_api
