"""SQLite's writers (config/sqlite): threads of one process queue on a lock of their own
for the database file, and every way a transaction ends hands it on."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from config.sqlite import base
from customers.models import Account
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own write lock"),
]


def _account(name: str, slug: str) -> Account:
    return Account.objects.create(name=name, slug=slug, site_id=Account.new_site_id())


def writer_lock():
    return base._writers[connection.settings_dict["NAME"]]


def test_concurrent_writers_of_one_process_all_commit():
    def write(n):
        for round_ in range(10):
            with transaction.atomic():
                _account(f"writer {n}.{round_}", f"w-{n}-{round_}")

    assert run_concurrently(write, count=8) == []
    assert Account.objects.filter(name__startswith="writer ").count() == 80
    assert not writer_lock().locked()


def test_the_lock_is_held_from_begin_to_commit_only():
    assert not writer_lock().locked()
    with transaction.atomic():
        _account("held", "held")
        assert writer_lock().locked()
    assert not writer_lock().locked()
    assert Account.objects.filter(slug="held").exists()


class Refused(Exception):
    pass


def _write_then_fail():
    with transaction.atomic():
        _account("rolled back", "rolled-back")
        raise Refused


def test_a_rolled_back_transaction_hands_the_lock_on():
    with pytest.raises(Refused):
        _write_then_fail()
    assert not writer_lock().locked()
    assert not Account.objects.filter(slug="rolled-back").exists()
    with transaction.atomic():
        _account("after", "after")
    assert Account.objects.filter(slug="after").exists()


def test_a_writer_that_cannot_get_the_lock_in_time_is_refused(settings):
    lock = writer_lock()
    lock.acquire()  # another thread of this process holds it
    options = connection.settings_dict["OPTIONS"]
    timeout = options.get("timeout")
    options["timeout"] = 0.05
    try:
        with pytest.raises(OperationalError, match="locked"), transaction.atomic():
            _account("never", "never")
    finally:
        lock.release()
        if timeout is None:
            options.pop("timeout")
        else:
            options["timeout"] = timeout
    assert not Account.objects.filter(slug="never").exists()
    # Refused before BEGIN: nothing of it holds the lock.
    assert not lock.locked()


def test_a_waiting_writer_starts_as_soon_as_the_holder_commits():
    started = threading.Event()
    release = threading.Event()
    order = []

    def holder():
        try:
            with transaction.atomic():
                _account("first", "first")
                started.set()
                release.wait(timeout=5)
                order.append("first")
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert started.wait(timeout=5)
    waiter = threading.Timer(0.05, release.set)
    waiter.start()
    with transaction.atomic():
        order.append("second")
        _account("second", "second")
    thread.join(timeout=5)
    assert order == ["first", "second"]
    assert set(Account.objects.values_list("slug", flat=True)) >= {"first", "second"}
