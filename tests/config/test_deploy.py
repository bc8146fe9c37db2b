import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean["DJANGO_VAR_DIR"] = "/tmp/ca-deploy-check"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_a_secret_key():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_HSTS_SECONDS="31536000",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_served_process_refuses_to_start_without_a_secret_key():
    result = run(["-c", "import config.wsgi"])

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
