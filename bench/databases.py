"""Throw-away databases for a benchmark: a SQLite file, or a PostgreSQL database."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

POSTGRES_DATABASE = "ca_bench"


@contextmanager
def sqlite_database(directory: Path) -> Iterator[str]:
    """Yield the URL of a new SQLite file in `directory` (removed with the directory)."""
    yield f"sqlite:///{directory / 'bench.sqlite3'}"


def with_database(url: str, name: str) -> str:
    """Return `url` naming database `name` instead of its own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _drop(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def postgres_database(admin_url: str, name: str = POSTGRES_DATABASE) -> Iterator[str]:
    """Create database `name` afresh through `admin_url`, yield its URL, then drop it."""
    _drop(admin_url, name)
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(admin_url, name)
    finally:
        _drop(admin_url, name)
