"""Give each mutant's test run its own SQLite test database.

mutmut runs each mutant's tests in a process forked from one that has already loaded the
settings, so every run would otherwise create and delete the same database file at once.
"""

import os

from django.conf import settings

_BASE_NAMES: dict[str, str] = {}


def pytest_sessionstart(session) -> None:
    """Name this process's SQLite test databases after its process id."""
    for alias, database in settings.DATABASES.items():
        test = database.get("TEST") or {}
        if "sqlite" not in database["ENGINE"] or not test.get("NAME"):
            continue
        base = _BASE_NAMES.setdefault(alias, test["NAME"])
        test["NAME"] = f"{base}-{os.getpid()}"
