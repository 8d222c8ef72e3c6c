"""A time limit a check honours from the inside.

The server gives a long reply or a batch to a worker thread and answers 504
when the time limit passes; but Python cannot stop a thread, so the check
would go on using a core and holding its language's pipeline lock, and the
next short reply of that language, checked on the event loop, would wait for
the lock. So the thread's work carries the limit itself: the check looks at
the clock before each rule (each takes milliseconds even on the longest
reply) and between the replies of a batch, and stops with `CheckTimeout`.
Library calls carry no limit unless the caller sets one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import CheckTimeout

_local = threading.local()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Checks run in this thread inside the block stop with `CheckTimeout` once `seconds` have passed."""
    previous = getattr(_local, "until", None)
    _local.until = time.monotonic() + seconds
    _local.seconds = seconds
    try:
        yield
    finally:
        _local.until = previous


def remaining() -> float | None:
    """Seconds left of this thread's time limit (0 when it has passed); None when it has none."""
    until = getattr(_local, "until", None)
    return None if until is None else max(0.0, until - time.monotonic())


def check_time() -> None:
    """Raise `CheckTimeout` when this thread's time limit has passed; nothing when it has none."""
    until = getattr(_local, "until", None)
    if until is not None and time.monotonic() > until:
        raise CheckTimeout(f"the check took longer than {_local.seconds:g} s")
