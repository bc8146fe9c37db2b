"""python -m bench: measure every scenario (or --profile one); `make bench` runs this."""

import argparse
import sys

from bench import run, wrk
from bench.scenarios import BY_NAME, SCENARIOS

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def parse_options(argv: list[str]) -> run.Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Serve with gunicorn as `make run` does and drive it with wrk.",
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="admin connection; database ca_bench is created there and dropped after",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=1, help="seconds before each, unmeasured")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="run the whole set N times")
    parser.add_argument("--customers", type=int, default=2_000, help="customers seeded")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BY_NAME), help="these scenarios (and /healthz)"
    )
    parser.add_argument("--profile", choices=sorted(BY_NAME), help="profile this scenario")
    parser.add_argument("--profile-requests", type=int, default=500)
    options = parser.parse_args(argv)
    scenarios = SCENARIOS
    if options.only:
        # /healthz stays: every ratio is to the same run's /healthz.
        scenarios = [s for s in SCENARIOS if s.name == "healthz" or s.name in options.only]
    return run.Options(
        db=options.db,
        postgres_url=options.postgres_url,
        duration=options.duration,
        warmup=options.warmup,
        connections=options.connections,
        repeat=options.repeat,
        customers=options.customers,
        scenarios=scenarios,
        profile=BY_NAME[options.profile] if options.profile else None,
        profile_requests=options.profile_requests,
    )


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.profile is None and not wrk.installed():
        print("wrk is not installed: `make bench` installs Debian's wrk.", file=sys.stderr)
        return 2
    return run.main(options)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
