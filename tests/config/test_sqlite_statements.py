"""SQLite's statements (config/sqlite): placeholders are converted once per statement shape,
and a remembered conversion reads as Django's own."""

import pytest
from django.db import connection

from config.sqlite import base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own placeholders"),
]


def select(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_a_repeated_statement_is_converted_once_and_answers_each_time():
    base._qmark_cached.cache_clear()
    sql = "SELECT %s, '100%%', %s || '%%s'"

    first = select(sql, [1, "a"])
    again = select(sql, [2, "b"])

    assert (first, again) == ((1, "100%", "a%s"), (2, "100%", "b%s"))
    assert base._qmark_cached.cache_info().hits >= 1
    assert base._qmark(sql) == "SELECT ?, '100%', ? || '%s'"


def test_a_statement_longer_than_the_cached_length_is_converted_but_not_kept():
    base._qmark_cached.cache_clear()
    marks = ", ".join(["%s"] * 3000)
    assert len(marks) > base.CACHED_STATEMENT_LENGTH

    row = select(f"SELECT 2999 IN ({marks}), 3000 IN ({marks})", list(range(3000)) * 2)

    assert row == (1, 0)
    assert base._qmark_cached.cache_info().currsize == 0
