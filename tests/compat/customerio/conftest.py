"""A real server for the official `customerio` client: gunicorn over HTTPS on a throw-away
SQLite database, with a self-signed certificate made by the `openssl` command line.

Everything goes through HTTP: no pytest-django test database is used here.
"""

import base64
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = ROOT / ".venv" / "bin"
BIN = VENV_BIN if (VENV_BIN / "gunicorn").exists() else Path(sys.executable).parent
PYTHON = BIN / "python"
GUNICORN = BIN / "gunicorn"
START_TIMEOUT = 30.0
ADMIN_JSON = ("--scope", "admin", "--json")
VENDOR_HOST = "localhost"


@dataclass
class CioServer:
    url: str
    port: int
    site_id: str
    key: str
    ca_file: str
    log_file: Path
    process: subprocess.Popen = field(repr=False)

    def get(self, path: str, params: dict | None = None, **kwargs) -> requests.Response:
        """GET the native API with the account's X-API-Key; the raw response."""
        headers = {"X-API-Key": self.key, **kwargs.pop("headers", {})}
        return requests.get(
            self.url + path,
            params=params,
            headers=headers,
            verify=self.ca_file,
            timeout=10,
            **kwargs,
        )

    def native(self, path: str, params: dict | None = None) -> dict:
        """GET the native API and return its JSON body (the call must answer 200)."""
        response = self.get(path, params)
        assert response.status_code == 200, (
            f"GET {path} {params} -> {response.status_code}: {response.text}"
        )
        return response.json()

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Read the server's database (for what no native endpoint shows: devices, suppression)."""
        with closing(sqlite3.connect(self.log_file.parent / "db.sqlite3")) as db:
            return db.execute(sql, params).fetchall()


def _clean_env(tmp: Path) -> dict:
    """The test run's environment without its DATABASE_URL/DJANGO_* (or a shared Redis)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL")) and k != "REDIS_URL"
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_VAR_DIR=str(tmp),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="false",
        # The client reaches the Customer.io host as `localhost`; 127.0.0.1 stays native.
        COMPAT_HOSTS=f"{VENDOR_HOST}=customerio",
    )
    return env


def _run(args: list, env: dict, what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(
            f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result


def _make_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    command = [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
        "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", key, "-out", cert,
    ]  # fmt: skip
    _run(command, os.environ.copy(), "openssl req (self-signed certificate)")
    return cert, key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, ca_file: str, process: subprocess.Popen, log_file: Path):
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | str = "no attempt"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {process.returncode} before answering /healthz:\n"
                + log_file.read_text(errors="replace"),
                pytrace=False,
            )
        try:
            response = requests.get(url + "/healthz", verify=ca_file, timeout=2)
            if response.status_code == 200:
                return
            last_error = f"{response.status_code}: {response.text[:500]}"
        except requests.RequestException as error:
            last_error = error
        time.sleep(0.2)
    pytest.fail(
        f"gunicorn did not answer GET /healthz within {START_TIMEOUT:.0f} s "
        f"(last: {last_error}):\n" + log_file.read_text(errors="replace"),
        pytrace=False,
    )


def _stop(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def cio_server():
    """gunicorn serving the project over HTTPS on a fresh database, with an admin key.

    While it runs, REQUESTS_CA_BUNDLE names its certificate, so the official client (which
    always speaks HTTPS through `requests`) verifies TLS against it.
    """
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command line is needed to make a TLS certificate")
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn is not installed at {GUNICORN}")

    with tempfile.TemporaryDirectory(prefix="ca-cio-client-") as tmp_name:
        tmp = Path(tmp_name)
        cert, key = _make_certificate(tmp)
        env = _clean_env(tmp)

        _run([PYTHON, "manage.py", "migrate", "--noinput"], env, "manage.py migrate")
        created = _run(
            [PYTHON, "manage.py", "create_api_key", "--account", "Client test", *ADMIN_JSON],
            env,
            "manage.py create_api_key",
        )
        credentials = json.loads(created.stdout.strip().splitlines()[-1])

        port = _free_port()
        # gunicorn 27 opens a control socket in ~/.gunicorn by default, shared by every
        # gunicorn of the user: this one needs none.
        help_text = _run([GUNICORN, "--help"], env, "gunicorn --help").stdout
        no_control = ["--no-control-socket"] if "--no-control-socket" in help_text else []
        command = [
            str(GUNICORN), "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
            "--certfile", str(cert), "--keyfile", str(key), *no_control,
        ]  # fmt: skip
        log_file = tmp / "gunicorn.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = CioServer(
            url=f"https://127.0.0.1:{port}",
            port=port,
            site_id=credentials["site_id"],
            key=credentials["key"],
            ca_file=str(cert),
            log_file=log_file,
            process=process,
        )
        try:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
                no_proxy = ",".join(filter(None, ["127.0.0.1,localhost", os.getenv("NO_PROXY")]))
                mp.setenv("NO_PROXY", no_proxy)
                mp.setenv("no_proxy", no_proxy)
                _wait_until_healthy(server.url, server.ca_file, process, log_file)
                yield server
        finally:
            _stop(process)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach gunicorn's output to the report of a failing test that used the server."""
    report = yield
    server = getattr(item, "funcargs", {}).get("cio_server")
    if report.failed and isinstance(server, CioServer):
        report.sections.append(("gunicorn output", server.log() or "(empty)"))
    return report


@pytest.fixture
def track(api, account):
    """A Django test client speaking Customer.io's Basic auth for `account`."""
    token = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return api
