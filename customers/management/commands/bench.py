"""manage.py bench: throughput and latency of the native API, in-process, as ratios.

Runs real requests through Django's full stack (middleware, auth, DRF, database)
with the test client, on a throw-away account that is deleted afterwards.
"""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.test import Client

from customers.models import Account
from customers.services import Actor, account_get_or_create, api_key_create

URL = "/api/customers/properties"


class Command(BaseCommand):
    help = "Measure requests per second and latency of the native API endpoints."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=300, help="Requests per scenario.")

    def handle(self, *args, **options):
        count = options["requests"]
        account, _ = account_get_or_create(name=f"bench-{time.time_ns()}")
        try:
            _, key = api_key_create(account=account, scope="admin", actor=Actor(system="bench"))
            client = Client(HTTP_X_API_KEY=key, HTTP_HOST="127.0.0.1")
            self._prepare(client)
            results = {name: self._measure(call, count) for name, call in self._scenarios(client)}
        finally:
            Account.objects.filter(pk=account.pk).delete()
        base = results["PUT 1 key"]["rps"]
        self.stdout.write(f"{'scenario':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'vs PUT 1':>10}")
        for name, figures in results.items():
            self.stdout.write(
                f"{name:<28}{figures['rps']:>9.0f}{figures['p50']:>9.2f}{figures['p95']:>9.2f}"
                f"{figures['rps'] / base:>10.2f}"
            )
        per_key = results["PUT 50 keys"]["rps"] * 50 / base
        self.stdout.write(f"values written per second, 50-key PUT vs 1-key PUT: {per_key:.1f}x")

    def _prepare(self, client):
        for n in range(200):
            body = {"email": f"c{n}@example.com", "properties": {f"k{i}": i for i in range(50)}}
            client.put(URL, json.dumps(body), content_type="application/json")

    def _scenarios(self, client):
        def put(properties):
            body = json.dumps({"email": "c1@example.com", "properties": properties})
            return lambda n: client.put(URL, body, content_type="application/json")

        yield "PUT 1 key", put({"k0": 1})
        yield "PUT 50 keys", put({f"k{i}": i + 1 for i in range(50)})
        yield (
            "PATCH 1 key",
            lambda n: client.patch(
                f"{URL}/k3", json.dumps({"email": "c2@example.com", "value": n}), "application/json"
            ),
        )
        yield "GET 50 properties", lambda n: client.get(URL, {"email": "c3@example.com"})
        yield "GET customers (50/page)", lambda n: client.get("/api/customers")
        yield "GET customers k1>=1", lambda n: client.get("/api/customers?k1>=1")
        yield "GET /api/properties", lambda n: client.get("/api/properties")

        def event(n):
            body = {
                "name": "order_shipped",
                "customer": {"external_id": "usr_bench", "properties": {"plan": "pro"}},
                "properties": {"order": n},
            }
            return client.post("/api/events", json.dumps(body), "application/json")

        yield "POST /api/events", event

    def _measure(self, call, count: int) -> dict:
        latencies = []
        started = time.perf_counter()
        for n in range(count):
            t0 = time.perf_counter()
            response = call(n)
            latencies.append((time.perf_counter() - t0) * 1000)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{response.status_code}: {response.content[:200]!r}")
        elapsed = time.perf_counter() - started
        latencies.sort()
        return {
            "rps": count / elapsed,
            "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1],
        }
