"""Run one function in many threads at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def race(fn: Callable[[int], Any], count: int,
         timeout: float = 120) -> tuple[list[Any], list[BaseException]]:
    """Call ``fn(i)`` for i in range(count), all threads released together.

    Returns (results, errors); each call lands in exactly one of them.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            result = fn(i)
        except BaseException as exc:  # noqa: B036 - reported to the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run, args=(i,), daemon=True)
               for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), 'a racing thread hung'
    return results, errors
