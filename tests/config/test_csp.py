import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def policy_of(response) -> str:
    return response["Content-Security-Policy"]


def nonces_in(policy: str) -> set[str]:
    return set(re.findall(r"'nonce-([^']+)'", policy))


@pytest.mark.parametrize("path", ["/attributes/", "/customers/", "/settings/", "/no-such-page/"])
def test_member_pages_carry_the_strict_policy(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code in (200, 404)
    assert policy_of(response) == STRICT


def test_login_page_carries_the_policy_when_signed_out(client, db):
    response = client.get("/login/")

    assert response.status_code == 200
    assert policy_of(response) == STRICT
    assert "style=" not in response.content.decode()


def test_api_docs_allow_only_their_own_inline_code_by_nonce(client, db):
    response = client.get("/api/docs/")

    html = response.content.decode()
    policy = policy_of(response)
    (nonce,) = nonces_in(policy)
    assert response.status_code == 200
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    assert html.count(f'nonce="{nonce}"') == 2
    # Every script is either a file of this origin or carries the nonce.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag, tag


def test_each_response_gets_a_fresh_nonce(client, db):
    first = nonces_in(policy_of(client.get("/api/docs/")))
    second = nonces_in(policy_of(client.get("/api/docs/")))

    assert len(first) == len(second) == 1
    assert first != second


def test_admin_pages_carry_the_policy(client, db):
    root = get_user_model().objects.create_superuser("root@example.com", password="x")
    login = Client().get("/admin/login/")
    client.force_login(root)

    index = client.get("/admin/")

    assert (login.status_code, index.status_code) == (200, 200)
    assert policy_of(login).startswith("default-src 'self'; script-src 'self'")
    assert policy_of(index).startswith("default-src 'self'; script-src 'self'")


def test_api_answers_carry_the_policy_too(api):
    response = api.get("/api/properties")

    assert response.status_code == 200
    assert policy_of(response) == STRICT


def test_templates_hold_no_inline_styles_scripts_or_handlers():
    # The policy refuses them; a nonce'd <script>/<style> is the only inline code allowed.
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        html = template.read_text()
        for pattern in (
            r"\sstyle=",
            r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>",
            r"<style(?![^>]*\bnonce=)[^>]*>",
            r"\son[a-z]+=",
            r"javascript:",
        ):
            offenders += [f"{template.name}: {m}" for m in re.findall(pattern, html)]

    assert offenders == []
