"""Run work in threads released at the same moment, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_together(work: Callable[[int], object], count: int, *, timeout: float = 60) -> list:
    """work(i) for i in range(count), all released by one barrier; an exception is returned as is."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            start.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # reported by the caller's assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
