"""How fast this machine is running right now, as one number to print next to timings.

A shared or virtual machine's speed drifts (on the 2-core VM replylint is
developed on, the same check took 2 ms or 3 ms minutes apart), so a figure
without the machine's speed at the time cannot be compared with another.
`python_loop_ms` times a fixed pure-Python workload (dictionary updates, the
kind of work a check does); lower is faster.
"""

from __future__ import annotations

import time


def python_loop_ms(repeats: int = 3) -> float:
    """Best of `repeats` timings of a fixed 300,000-step dictionary loop, in milliseconds of CPU."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        counts: dict[int, int] = {}
        for i in range(300_000):
            key = i & 1023
            counts[key] = counts.get(key, 0) + i
        best = min(best, time.process_time() - started)
    return best * 1000
