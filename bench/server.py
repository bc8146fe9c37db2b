"""The service under gunicorn, started with the configuration `make run` serves with."""

import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_TIMEOUT = 60.0


def serving_settings() -> dict:
    """Return the workers, threads and worker class config/gunicorn.conf.py sets."""
    conf = runpy.run_path(str(GUNICORN_CONF))
    return {name: conf.get(name) for name in ("workers", "threads", "worker_class")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {process.returncode}:\n"
                + log_file.read_text("utf-8", "replace")
            )
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT:.0f} s")


@dataclass(frozen=True)
class Served:
    url: str
    pid: int


@contextmanager
def gunicorn(env: dict[str, str], log_file: Path) -> Iterator[Served]:
    """Serve on a free loopback port until the block ends; yield its URL and master pid.

    Only the address differs from `make run`; no control socket, which gunicorn otherwise
    shares between every gunicorn of the user.
    """
    port = free_port()
    command = [
        str(GUNICORN), "-c", str(GUNICORN_CONF), "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--no-control-socket",
    ]  # fmt: skip
    with log_file.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log_file)
        yield Served(url, process.pid)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
