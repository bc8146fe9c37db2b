"""Run wrk with a scenario's Lua script and read the figures its done() hook prints."""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"
RESULT_PREFIX = "BENCH_RESULT "
FIRST_ERROR_PREFIX = "BENCH_FIRST_ERROR "
# Slow requests count as latency, not as errors, up to this (wrk's default is 2 s).
REQUEST_TIMEOUT = "10s"


class WrkError(RuntimeError):
    """wrk failed or printed no result line."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    # Requests the script built, including those still in flight at the end: the next
    # run starts after them.
    generated: int
    first_error: str | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def parse(output: str) -> WrkResult:
    """Read the BENCH_RESULT line (and any BENCH_FIRST_ERROR line) of a wrk run."""
    result = first_error = None
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
        elif line.startswith(FIRST_ERROR_PREFIX):
            first_error = line[len(FIRST_ERROR_PREFIX) :].strip()
    if result is None:
        raise WrkError(f"wrk printed no {RESULT_PREFIX.strip()} line:\n{output}")
    return WrkResult(
        requests=result["requests"],
        duration_s=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        non_2xx=result["non_2xx"],
        socket_errors=sum(
            result[name] for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        generated=result["generated"],
        first_error=first_error,
    )


def installed() -> bool:
    return shutil.which("wrk") is not None


def script_arguments(arguments: dict[str, str]) -> list[str]:
    return [f"{name}={given}" for name, given in arguments.items()]


def run(
    script: str, url: str, arguments: dict[str, str], *, duration: int, connections: int
) -> WrkResult:
    """Run one thread of wrk for `duration` seconds; return its figures."""
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
        "--timeout", REQUEST_TIMEOUT, "-s", str(LUA_DIR / script), url,
        "--", *script_arguments(arguments),
    ]  # fmt: skip
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 120, check=False
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise WrkError(f"wrk exited with {completed.returncode}:\n{output}")
    return parse(output)


def first_request(script: str, url: str, arguments: dict[str, str]) -> bytes:
    """Return the first request the script builds, as wrk would send it (nothing is sent)."""
    with tempfile.TemporaryDirectory(prefix="ca-bench-dump-") as directory:
        dump = Path(directory) / "request.http"
        command = [
            "wrk", "-t1", "-c1", "-d1s", "-s", str(LUA_DIR / script), url,
            "--", *script_arguments({**arguments, "dump": str(dump)}),
        ]  # fmt: skip
        completed = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if not dump.exists():
            raise WrkError(
                f"{script} wrote no request (wrk exited with {completed.returncode}):\n"
                + completed.stdout
                + completed.stderr
            )
        return dump.read_bytes()
