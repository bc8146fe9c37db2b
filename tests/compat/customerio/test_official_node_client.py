"""The official npm `customerio-node` client, unchanged, against the Customer.io host.

A small Node script (node/client.cjs) makes each call; `make node-deps` installs the
client from the npm registry into var/node (the tests do so themselves when it is
missing). Every check reads the native API.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.compat.customerio.conftest import VENDOR_HOST

HERE = Path(__file__).resolve().parent / "node"
ROOT = HERE.parents[3]
NODE_DIR = ROOT / "var" / "node"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: `make node-deps` installs it (Debian's nodejs)"
)


@pytest.fixture(scope="module")
def node_client():
    """Return the folder holding customerio-node, installed from the npm registry if missing."""
    if not (NODE_DIR / "node_modules" / "customerio-node").is_dir():
        result = subprocess.run(
            ["make", "-s", "node-deps"], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"make node-deps failed:\n{result.stdout}\n{result.stderr}"
    return NODE_DIR / "node_modules"


def call(server, node_client, method: str, *args) -> dict:
    """Make one TrackClient call; only the url (host and port), site id and key are set."""
    spec = {
        "siteId": server.site_id,
        "apiKey": server.key,
        "url": f"https://{VENDOR_HOST}:{server.port}/api/v1",
        "method": method,
        "args": list(args),
    }
    env = {**os.environ, "NODE_PATH": str(node_client), "NODE_EXTRA_CA_CERTS": server.ca_file}
    result = subprocess.run(
        [NODE, str(HERE / "client.cjs"), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["ok"], answer
    return answer


def customers(server, **identifier) -> list[dict]:
    return server.native("/api/customers", identifier)["customers"]


def test_identify_track_and_destroy(cio_server, node_client):
    call(cio_server, node_client, "identify", "node/ann", {"email": "Node@Example.com", "seats": 3})

    [ann] = customers(cio_server, user_id="node/ann")
    assert (ann["email"], ann["properties"]) == ("node@example.com", {"seats": 3})

    call(cio_server, node_client, "identify", "node/ann", {"seats": "unlimited", "plan": "pro"})
    [ann] = customers(cio_server, user_id="node/ann")
    assert ann["properties"] == {"seats": 3, "plan": "pro"}

    call(cio_server, node_client, "track", "node/ann", {"name": "purchased", "data": {"p": 1}})
    [event] = cio_server.native("/api/events", {"user_id": "node/ann"})["events"]
    assert (event["name"], event["properties"]) == ("purchased", {"p": 1})

    call(cio_server, node_client, "destroy", "node/ann")
    assert customers(cio_server, user_id="node/ann") == []
    call(cio_server, node_client, "destroy", "node/ann")


def test_an_email_id_names_the_person_holding_it(cio_server, node_client):
    call(cio_server, node_client, "identify", "node_bob", {"email": "bob.node@example.com"})

    call(cio_server, node_client, "identify", "BOB.node@example.com", {"plan": "team"})

    [bob] = customers(cio_server, email="bob.node@example.com")
    assert (bob["user_id"], bob["properties"]) == ("node_bob", {"plan": "team"})
