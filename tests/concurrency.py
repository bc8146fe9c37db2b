"""Run one function in several threads at once, each with its own database connection."""

import threading

from django.db import connection

WRITERS = 6


def run_concurrently(target, count=WRITERS):
    """Call `target(n)` for n in range(count), all released together; return what they raised."""
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            target(n)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
