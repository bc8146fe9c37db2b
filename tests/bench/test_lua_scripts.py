"""The Lua scripts build, request for request, what bench.scenarios builds (needs wrk)."""

import socket
import threading

import pytest

from bench import wire, wrk
from bench.scenarios import BY_NAME, SCENARIOS, BenchData

pytestmark = pytest.mark.skipif(not wrk.installed(), reason="wrk is not installed")
DATA = BenchData(key="ca_0123abcd_secret", site_id="site0123", customers=2_000, first_id=41)


@pytest.fixture(scope="module")
def url():
    """A loopback address that accepts connections: wrk connects before building requests."""
    listener = socket.create_server(("127.0.0.1", 0))

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_lua_script_builds_the_request_bench_scenarios_builds(url, scenario):
    for offset in (0, 1, 499, 500, 12_345):
        arguments = {**DATA.script_args(), **scenario.options, "offset": str(offset)}
        raw = wrk.first_request(scenario.script, url, arguments)

        found = wire.differences(wire.parse_raw_request(raw), scenario.build(DATA, offset))

        assert found == [], offset


def test_a_difference_is_reported(url):
    scenario = BY_NAME["helpcrunch_patch"]  # addresses customers by id
    raw = wrk.first_request(scenario.script, url, {**DATA.script_args(), "offset": "5"})
    other = BenchData(**{**DATA.__dict__, "first_id": DATA.first_id + 1})

    found = wire.differences(wire.parse_raw_request(raw), scenario.build(other, 5))

    assert found == [
        "PATCH /compat/helpcrunch/v1/customers/46 != PATCH /compat/helpcrunch/v1/customers/47"
    ]
