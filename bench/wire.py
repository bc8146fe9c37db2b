"""Raw HTTP requests as wrk writes them: read one, compare it with ours, send it as is."""

import http.client
import json
import socket
from dataclasses import dataclass

from bench.scenarios import Request


@dataclass(frozen=True)
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    content: bytes


def parse_raw_request(raw: bytes) -> RawRequest:
    """Split an HTTP/1.1 request into its request line, headers and body."""
    head, _, content = raw.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _version = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, given = line.partition(":")
        headers[name.strip().lower()] = given.strip()
    return RawRequest(method, path, headers, content)


def differences(raw: RawRequest, expected: Request) -> list[str]:
    """Return how a request wrk would send differs from the one bench.scenarios builds."""
    found = []
    if (raw.method, raw.path) != (expected.method, expected.path):
        found.append(f"{raw.method} {raw.path} != {expected.method} {expected.path}")
    for name, wanted in expected.headers.items():
        got = raw.headers.get(name.lower())
        if got != wanted:
            found.append(f"header {name}: {got!r} != {wanted!r}")
    try:
        body = json.loads(raw.content) if raw.content else None
    except ValueError:
        body = raw.content
    if body != expected.body:
        found.append(f"body {body!r:.300} != {expected.body!r:.300}")
    return found


def send(host: str, port: int, raw: bytes, timeout: float = 30.0) -> tuple[int, bytes]:
    """Send `raw` byte for byte over a new connection; return the status and the body."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(raw)
        response = http.client.HTTPResponse(sock, method=parse_raw_request(raw).method)
        response.begin()
        return response.status, response.read()
