"""gunicorn serving the project over plain HTTP on a throw-away SQLite database.

For tests that need the real server: several worker processes, real sockets, chunked
bodies de-chunked by gunicorn. Nothing here uses pytest-django's test database; the
server migrates its own, and everything is read back over HTTP.

    with running_gunicorn(workers=3, threads=2) as server:
        session().get(server.url + "/api/properties", headers=server.native_headers)
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
BIN = VENV_BIN if (VENV_BIN / "gunicorn").exists() else Path(sys.executable).parent
PYTHON = BIN / "python"
GUNICORN = BIN / "gunicorn"
START_TIMEOUT = 30.0
ADMIN_JSON = ("--scope", "admin", "--json")


@dataclass
class GunicornServer:
    url: str
    site_id: str
    key: str  # an admin-scoped API key of the account
    log_file: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def native_headers(self) -> dict:
        return {"X-API-Key": self.key}

    def native(self, path: str, params: dict | None = None) -> dict:
        """GET the native API and return its JSON body (the call must answer 200)."""
        response = session().get(
            self.url + path, params=params, headers=self.native_headers, timeout=10
        )
        assert response.status_code == 200, f"GET {path} {params}: {response.text}"
        return response.json()

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""


def session() -> requests.Session:
    """Return a session that talks to the local server directly, whatever proxy is set."""
    http = requests.Session()
    http.trust_env = False
    return http


def server_env(tmp: Path, **overrides: str) -> dict:
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
    )
    env.update(overrides)
    return env


def run(args: list, env: dict, what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(
            f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(server: GunicornServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | str = "no attempt"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {server.process.returncode} before answering /healthz:\n"
                + server.log(),
                pytrace=False,
            )
        try:
            response = session().get(server.url + "/healthz", timeout=2)
            if response.status_code == 200:
                return
            last_error = f"{response.status_code}: {response.text[:500]}"
        except requests.RequestException as error:
            last_error = error
        time.sleep(0.2)
    pytest.fail(
        f"gunicorn did not answer GET /healthz within {START_TIMEOUT:.0f} s "
        f"(last: {last_error}):\n" + server.log(),
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running_gunicorn(
    *, workers: int = 1, threads: int = 4, account: str = "Live test", **env: str
) -> Iterator[GunicornServer]:
    """Serve the project with gunicorn on a fresh database holding one account's admin key.

    Extra keyword arguments are environment variables of the server (settings such as
    CONTACTS_MAX_BODY_BYTES="1000").
    """
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn is not installed at {GUNICORN}")
    with tempfile.TemporaryDirectory(prefix="ca-live-") as tmp_name:
        tmp = Path(tmp_name)
        environment = server_env(tmp, **env)
        run([PYTHON, "manage.py", "migrate", "--noinput"], environment, "manage.py migrate")
        created = run(
            [PYTHON, "manage.py", "create_api_key", "--account", account, *ADMIN_JSON],
            environment,
            "manage.py create_api_key",
        )
        credentials = json.loads(created.stdout.strip().splitlines()[-1])
        port = free_port()
        # gunicorn 27 opens a control socket in ~/.gunicorn by default, shared by every
        # gunicorn of the user: this one needs none.
        help_text = run([GUNICORN, "--help"], environment, "gunicorn --help").stdout
        no_control = ["--no-control-socket"] if "--no-control-socket" in help_text else []
        command = [
            str(GUNICORN), "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), *no_control,
        ]  # fmt: skip
        log_file = tmp / "gunicorn.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        server = GunicornServer(
            url=f"http://127.0.0.1:{port}",
            site_id=credentials["site_id"],
            key=credentials["key"],
            log_file=log_file,
            process=process,
        )
        try:
            _wait_until_healthy(server)
            yield server
        finally:
            _stop(process)
