"""Reading wrk's figures, and flagging a scenario whose requests failed."""

import pytest

from bench import report, wrk
from bench.report import Outcome
from bench.scenarios import BY_NAME

OUTPUT = """Running 2s test @ http://127.0.0.1:41234
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.02ms  19.80ms   90.00%
  Latency Distribution
     50%    4.00ms
     99%    9.50ms
  3000 requests in 2.00s, 1.10MB read
  Non-2xx or 3xx responses: 2
Requests/sec:   1500.00
BENCH_RESULT {"requests": 3000, "duration_us": 2000000, "p50_us": 4000, "p90_us": 6000, \
"p99_us": 9500, "max_us": 19800, "non_2xx": 3, "connect_errors": 0, "read_errors": 1, \
"write_errors": 0, "timeouts": 0, "generated": 3008}
BENCH_FIRST_ERROR 409 {"status":"error","error":{"code":"type_conflict"}}
"""


def result(**overrides) -> wrk.WrkResult:
    figures = {"requests": 1000, "duration_s": 2.0, "p50_ms": 1.0, "p90_ms": 2.0}
    figures |= {"p99_ms": 3.0, "max_ms": 4.0, "non_2xx": 0, "socket_errors": 0, "generated": 1001}
    return wrk.WrkResult(**{**figures, **overrides})


def test_result_line_gives_rate_percentiles_errors_and_the_first_error():
    parsed = wrk.parse(OUTPUT)

    assert parsed.rps == 1500.0
    assert (parsed.p50_ms, parsed.p90_ms, parsed.p99_ms, parsed.max_ms) == (4.0, 6.0, 9.5, 19.8)
    assert parsed.non_2xx == 3
    assert parsed.socket_errors == 1
    assert parsed.errors == 4
    assert parsed.generated == 3008
    assert parsed.first_error == '409 {"status":"error","error":{"code":"type_conflict"}}'


def test_output_without_a_result_line_is_an_error_showing_the_output():
    with pytest.raises(wrk.WrkError, match="unable to connect"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_ratio_is_to_the_same_runs_healthz():
    run = [
        Outcome(BY_NAME["healthz"], result(requests=4000)),
        Outcome(BY_NAME["put_10"], result(requests=1000)),
    ]

    assert report.ratio(run[1], run) == 0.25
    table = report.run_table(run)
    assert "PUT 10 keys" in table
    assert "0.250" in table
    assert report.FLAG not in table
    assert report.problems(run) == []


def test_scenario_with_errors_is_flagged_and_gets_no_ratio():
    failing = Outcome(BY_NAME["put_10"], result(non_2xx=5, first_error="409 conflict"))
    run = [Outcome(BY_NAME["healthz"], result(requests=4000)), failing]

    assert failing.failed
    assert report.ratio(failing, run) is None
    row = report.run_table(run).splitlines()[-1]
    assert row.endswith(report.FLAG)
    # ... errors, cpu ms, cpu ratio, flag
    assert row.split()[-4] == "5"
    assert report.cpu_ratio(failing, run) is None
    assert report.problems(run) == [
        "PUT 10 keys: 5 responses not 2xx, 0 socket errors; first: 409 conflict"
    ]


def test_cpu_ratio_is_healthz_cpu_per_request_over_the_scenarios():
    healthz = Outcome(BY_NAME["healthz"], result(requests=4000), cpu_ms=0.5)
    put = Outcome(BY_NAME["put_10"], result(requests=1000), cpu_ms=2.0)

    assert report.cpu_ratio(put, [healthz, put]) == 0.25
    assert report.cpu_ratio(healthz, [healthz, put]) == 1.0
    assert report.cpu_ratio(Outcome(BY_NAME["put_1"], result()), [healthz]) is None


def test_scenario_whose_check_failed_is_flagged_without_figures():
    run = [
        Outcome(BY_NAME["healthz"], result()),
        Outcome(BY_NAME["patch_1"], None, "its first request answered 404: b'...'"),
    ]

    assert report.run_table(run).splitlines()[-1].endswith(report.FLAG)
    assert report.problems(run) == ["PATCH 1 key: its first request answered 404: b'...'"]


def test_ratios_of_several_runs_are_shown_side_by_side_with_their_median():
    runs = [
        [Outcome(BY_NAME["healthz"], result(requests=r)), Outcome(BY_NAME["patch_1"], result())]
        for r in (2000, 4000, 10000)
    ]

    row = report.ratios_table(runs).splitlines()[-1]

    assert row.split()[-4:] == ["0.500", "0.250", "0.100", "0.250"]
