"""Django's SQLite backend, with writers that wait for each other without sleeping long.

Write transactions start with `BEGIN IMMEDIATE`, which takes SQLite's write lock. When
another connection holds it, SQLite's busy handler sleeps in growing steps (up to
100 ms a step), so a writer may sleep long after the lock is free: that is where a
loaded server's p99 went. Here the lock is asked for without SQLite's busy handler and
asked again after short sleeps (0.1 ms growing to 2 ms), until the same `timeout`
deadline. Everything else keeps the busy timeout of the connection's OPTIONS.

Threads of one process (gunicorn's gthread workers) first queue on a lock of their own
for the database file, so that they hand the write lock to each other the moment it is
free instead of finding it taken and sleeping; only writers of other processes poll.

Each statement's `%s` placeholders are converted to SQLite's `?` once per process and
statement shape, not by a regular expression on every execute.
"""

import functools
import random
import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path

from django.db import OperationalError
from django.db.backends.sqlite3 import base

FIRST_WAIT_SECONDS = 0.0001
LONGEST_WAIT_SECONDS = 0.002

# One lock per database file, held by this process's writer from BEGIN IMMEDIATE to
# COMMIT or ROLLBACK.
_writers: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


# Statements remembered per process, and the longest remembered: bulk inserts of hundreds
# of rows are long and rare, and would only crowd the cache (at most ~4 MB).
CACHED_STATEMENTS = 512
CACHED_STATEMENT_LENGTH = 8192


def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


_qmark_cached = functools.lru_cache(maxsize=CACHED_STATEMENTS)(_qmark)


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, remembering each statement's placeholders converted.

    Django rewrites every statement's `%s` into `?` with a regular expression on each
    execute; the hot path runs the same few statements on every request, so each shape is
    converted once per process.
    """

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            if len(query) > CACHED_STATEMENT_LENGTH:
                return _qmark(query)
            return _qmark_cached(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

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
        deadline = time.monotonic() + timeout_ms / 1000
        lock = _writers[self.settings_dict["NAME"]]
        if not lock.acquire(timeout=timeout_ms / 1000):
            raise OperationalError("database is locked")
        try:
            self._begin_immediate(timeout_ms, deadline)
        except BaseException:
            lock.release()
            raise
        self._writer_lock = lock

    def _begin_immediate(self, timeout_ms: int, deadline: float) -> None:
        raw = self.connection
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

    def _release_writer(self) -> None:
        lock, self._writer_lock = getattr(self, "_writer_lock", None), None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            # A failed COMMIT leaves the transaction open: the rollback that follows releases.
            if self.connection is None or not self.connection.in_transaction:
                self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()
