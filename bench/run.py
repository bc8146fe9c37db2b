"""Run the benchmark: a throw-away database, gunicorn as served, wrk for each scenario.

For each scenario: wrk writes the Lua script's first request without sending it; it must
equal the one bench.scenarios builds, and, sent as is, answer 2xx; then wrk warms up and
measures. A scenario whose check fails, or that meets any non-2xx response or socket
error, is flagged in the table and listed at the end, and the command exits 1.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import cpu, databases, report, server, wire, wrk
from bench.report import Outcome
from bench.scenarios import BenchData, Scenario

ROOT = server.ROOT
PYTHON = sys.executable
PROFILES_DIR = ROOT / "var" / "profiles"
# One key sends everything here, far beyond the production default of 6000/min. A
# per-second window keeps DRF's per-key history of timestamps as short as a real key's.
RATE_LIMIT = "1000000/s"
LOG_TAIL = 20
SUCCESS_LOGGED = re.compile(r'HTTP/1\.[01]" 2\d\d ')


@dataclass(frozen=True)
class Options:
    db: str  # "sqlite" or "postgres"
    postgres_url: str
    duration: int
    warmup: int
    connections: int
    repeat: int
    customers: int
    scenarios: list[Scenario]
    profile: Scenario | None = None
    profile_requests: int = 500


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """Return this process's environment with the served settings `make run` uses."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DATABASE_URL")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_VAR_DIR=str(var_dir),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SETTINGS_MODULE="config.settings",
        API_RATE_LIMIT=RATE_LIMIT,
    )
    return env


def _run_python(args: list[str], env: dict[str, str], what: str) -> str:
    completed = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def prepare(env: dict[str, str], customers: int) -> BenchData:
    """Migrate the throw-away database and seed it; return what the seed made."""
    _run_python(["manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
    output = _run_python(["-m", "bench.seed", "--customers", str(customers)], env, "seed")
    return BenchData(**json.loads(output.strip().splitlines()[-1]))


def _first_request_problem(scenario: Scenario, status: int, content: bytes) -> str | None:
    if not 200 <= status < 300:
        return f"its first request answered {status}: {content[:400]!r}"
    try:
        body = json.loads(content)
    except ValueError:
        return None
    refused = scenario.refusal(body)
    return None if refused is None else f"its first request answered 2xx but refused {refused}"


def check_first_request(scenario: Scenario, data: BenchData, url: str, seq: int) -> str | None:
    """Compare the script's request `seq` with ours, then send it; return what went wrong."""
    arguments = {**data.script_args(), **scenario.options, "offset": str(seq)}
    raw = wrk.first_request(scenario.script, url, arguments)
    found = wire.differences(wire.parse_raw_request(raw), scenario.build(data, seq))
    if found:
        return "Lua and bench/scenarios.py disagree: " + "; ".join(found)
    address = urlsplit(url)
    status, content = wire.send(address.hostname, address.port, raw)
    return _first_request_problem(scenario, status, content)


def measure(
    scenario: Scenario, data: BenchData, served: server.Served, offset: int, options: Options
) -> tuple[Outcome, int]:
    """Check, warm up and measure one scenario from request `offset`; return the next offset."""
    url = served.url
    problem = check_first_request(scenario, data, url, offset)
    offset += 1
    if problem is not None:
        return Outcome(scenario, None, problem), offset

    def drive(duration: int) -> wrk.WrkResult:
        nonlocal offset
        arguments = {**data.script_args(), **scenario.options, "offset": str(offset)}
        result = wrk.run(
            scenario.script, url, arguments, duration=duration, connections=options.connections
        )
        offset += result.generated
        return result

    if options.warmup and (warmup := drive(options.warmup)).errors:
        return Outcome(scenario, warmup, "errors while warming up"), offset
    database = databases.POSTGRES_DATABASE if options.db == "postgres" else None
    cpu_before = cpu.server_processes(served.pid, database)
    result = drive(options.duration)
    cpu_ms = cpu.used_between(cpu_before, cpu.server_processes(served.pid, database)) * 1000
    capacity = scenario.capacity(data)
    if capacity is not None and offset > capacity:
        problem = f"ran past {capacity} requests: new keys repeat (seed more with --customers)"
    per_request = cpu_ms / result.requests if result.requests else None
    return Outcome(scenario, result, problem, per_request), offset


def _load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def _describe(options: Options, env: dict[str, str]) -> str:
    serving = server.serving_settings()
    engine = "PostgreSQL" if options.db == "postgres" else "SQLite"
    cache = "Redis" if env.get("REDIS_URL") else "per-process memory"
    lines = [
        f"database: {engine}; cache: {cache}; {options.customers} customers",
        f"gunicorn: config/gunicorn.conf.py ({serving['workers']} workers x "
        f"{serving['threads']} threads, {serving['worker_class']}); "
        f"GUNICORN_CMD_ARGS={env.get('GUNICORN_CMD_ARGS', '')!r}",
        f"wrk: -t1 -c{options.connections}, {options.warmup} s warm-up then "
        f"{options.duration} s per scenario; API_RATE_LIMIT={RATE_LIMIT}",
    ]
    return "\n".join(lines)


def _benchmark(options: Options, env: dict[str, str], data: BenchData, log_file: Path) -> int:
    print(_describe(options, env))
    print(f"load average before: {_load()}", flush=True)
    runs: list[list[Outcome]] = []
    offsets = {scenario.name: 0 for scenario in options.scenarios}
    with server.gunicorn(env, log_file) as served:
        for number in range(1, options.repeat + 1):
            run = []
            for scenario in options.scenarios:
                outcome, offsets[scenario.name] = measure(
                    scenario, data, served, offsets[scenario.name], options
                )
                run.append(outcome)
            runs.append(run)
            print(f"\nrun {number} of {options.repeat} (load average after: {_load()})")
            print(report.run_table(run), flush=True)
    if options.repeat > 1:
        print()
        print(report.ratios_table(runs))
        print()
        print(report.ratios_table(runs, report.cpu_ratio, "cpu ratio to /healthz"))
    print(f"\nload average after: {_load()}")
    found = [line for run in runs for line in report.problems(run)]
    if found:
        print("\n!! THESE FIGURES ARE NOT TO BE TRUSTED:", file=sys.stderr)
        for line in dict.fromkeys(found):
            print(f"!! {line}", file=sys.stderr)
        lines = log_file.read_text("utf-8", "replace").splitlines()
        tail = [line for line in lines if not SUCCESS_LOGGED.search(line)][-LOG_TAIL:]
        print(
            f"!! gunicorn's last {len(tail)} log lines but 2xx:", *tail, sep="\n", file=sys.stderr
        )
        return 1
    return 0


def _profile(options: Options, env: dict[str, str], data: BenchData) -> int:
    scenario = options.profile
    print(f"profiling {scenario.label}: {options.profile_requests} requests in-process")
    arguments = [
        "-m", "bench.profiling", scenario.name, "--data", json.dumps(data.__dict__),
        "--requests", str(options.profile_requests), "--out", str(PROFILES_DIR),
    ]  # fmt: skip
    print(_run_python(arguments, env, "the profile"), end="")
    return 0


def main(options: Options) -> int:
    """Run the benchmark (or the profile) on a throw-away database; return the exit status."""
    with tempfile.TemporaryDirectory(prefix="ca-bench-") as directory:
        var_dir = Path(directory)
        if options.db == "postgres":
            database = databases.postgres_database(options.postgres_url)
        else:
            database = databases.sqlite_database(var_dir)
        with database as database_url:
            env = environment(database_url, var_dir)
            data = prepare(env, options.customers)
            if options.profile is not None:
                return _profile(options, env, data)
            return _benchmark(options, env, data, var_dir / "gunicorn.log")
