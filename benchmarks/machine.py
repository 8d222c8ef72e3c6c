"""How fast this machine is running right now, as one number to print next to timings.

A shared or virtual machine's speed drifts (on the 2-core VM replylint is
developed on, the same check took 2 ms or 3 ms minutes apart), so a figure
without the machine's speed at the time cannot be compared with another.
`python_loop_ms` times a fixed pure-Python workload (scattered dictionary
updates, the kind of work a check does); lower is faster.
"""

from __future__ import annotations

import time


def python_loop_ms(repeats: int = 3) -> float:
    """Best of `repeats` timings of a fixed workload, in milliseconds of CPU.

    300,000 lookups and updates scattered over a dictionary of 200,000 keys:
    like a check, it is sensitive to what neighbours on a shared machine do
    to the caches, not only to the clock speed.
    """
    table = {k: k for k in range(200_000)}
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        key = 1
        for _ in range(300_000):
            key = (key * 1_103_515_245 + 12_345) % 200_000
            table[key] = table[key] + 1
        best = min(best, time.process_time() - started)
    return best * 1000
