"""Django's SQLite backend, with writers that wait for each other without sleeping long.

Write transactions start with `BEGIN IMMEDIATE`, which takes SQLite's write lock. When
another connection holds it, SQLite's busy handler sleeps in growing steps (up to
100 ms a step), so a writer may sleep long after the lock is free: that is where a
loaded server's p99 went. Here the lock is asked for without SQLite's busy handler and
asked again after short sleeps (0.1 ms growing to 2 ms), until the same `timeout`
deadline. Everything else keeps the busy timeout of the connection's OPTIONS.
"""

import random
import sqlite3
import time
from pathlib import Path

from django.db import OperationalError
from django.db.backends.sqlite3 import base

FIRST_WAIT_SECONDS = 0.0001
LONGEST_WAIT_SECONDS = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        # The database file's folder (var/ by default) is made where it is needed, not when
        # settings are read: SQLite only says "unable to open database file" without it.
        if not self.is_in_memory_db():
            Path(conn_params["database"]).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE":
            return super()._start_transaction_under_autocommit()
        timeout_ms = int(float(self.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
        raw = self.connection
        deadline = time.monotonic() + timeout_ms / 1000
        wait = FIRST_WAIT_SECONDS
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise
                    if time.monotonic() >= deadline:
                        raise OperationalError(str(error)) from error
                time.sleep(wait * (0.5 + random.random()))
                wait = min(wait * 2, LONGEST_WAIT_SECONDS)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {timeout_ms}")
