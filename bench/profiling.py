"""Profile one scenario in-process: its requests through Django's test client, under pyinstrument.

`python -m bench.profiling SCENARIO --data JSON --requests N --out DIR` runs against the
database DATABASE_URL names (seeded by bench.seed) and writes DIR/<name>.html and .txt.
Django is imported inside the functions: as a program, this module sets Django up first.
"""

import argparse
import cProfile
import json
import os
import pstats
import time
from pathlib import Path

from bench.scenarios import BY_NAME, BenchData, Request, Scenario

# The test client's own host name is not in ALLOWED_HOSTS outside the tests.
HOST = "127.0.0.1"


def send(client, request: Request):
    """Send `request` through a Django test client; return the response."""
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    return client.generic(
        request.method,
        request.path,
        data=request.content(),
        content_type=content_type,
        headers=headers,
    )


def problem(scenario: Scenario, response) -> str | None:
    """Return why a response means the scenario's figure is meaningless, if it does."""
    if not 200 <= response.status_code < 300:
        return f"{response.status_code} {response.content[:400]!r}"
    if response.get("Content-Type", "").startswith("application/json"):
        return scenario.refusal(json.loads(response.content))
    return None


def profile(scenario: Scenario, data: BenchData, *, requests: int, out: Path) -> list[Path]:
    """Run `requests` of the scenario under pyinstrument; return the files written."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST=HOST)
    profiler = Profiler()
    failures = []
    started = time.perf_counter()
    profiler.start()
    for seq in range(requests):
        response = send(client, scenario.build(data, seq))
        if (found := problem(scenario, response)) is not None:
            failures.append(f"request {seq}: {found}")
    profiler.stop()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests; first: {failures[0]}")
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{scenario.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    html, text = stem.with_suffix(".html"), stem.with_suffix(".txt")
    html.write_text(profiler.output_html())
    header = (
        f"{scenario.label}: {requests} requests in-process in {elapsed:.2f} s "
        f"({requests / elapsed:.0f} req/s under the profiler)\n\n"
    )
    text.write_text(header + profiler.output_text(unicode=True, color=False))
    return [html, text]


# What the database itself costs: SQLite's statements and commits run in the sqlite3
# module's C code; psycopg waits for the server (which works meanwhile) in its wait
# functions. psycopg's own Python (building and adapting) is not counted here.


def _in_database(filename: str, name: str) -> bool:
    if "sqlite3.Cursor" in name or "sqlite3.Connection" in name:
        return True
    return "psycopg" in (filename + name) and "wait" in name


def split(scenario: Scenario, data: BenchData, *, requests: int) -> str:
    """Return the per-request time of the scenario and the part of it inside the driver.

    Measured under cProfile (a deterministic profiler: every call is counted, so the
    driver's share is exact while the Python part is inflated by the profiler's overhead);
    run after the pyinstrument profile, so imports and caches are warm.
    """
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for seq in range(requests):
        send(client, scenario.build(data, requests + seq))
    profiler.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats
    driver = calls = 0.0
    for (filename, _, name), (_, ncalls, own, _, _) in stats.items():
        if _in_database(filename, name):
            driver += own
            calls += ncalls
    return (
        f"under cProfile: {elapsed / requests * 1000:.3f} ms a request, of which "
        f"{driver / requests * 1000:.3f} ms in the database "
        f"({calls / requests:.1f} statements, commits and waits a request)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(BY_NAME))
    parser.add_argument("--data", required=True, help="BenchData as JSON (bench.seed's output)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    data = BenchData(**json.loads(options.data))
    for path in profile(
        BY_NAME[options.scenario], data, requests=options.requests, out=options.out
    ):
        print(path)
    print(split(BY_NAME[options.scenario], data, requests=options.requests))


if __name__ == "__main__":
    main()
