"""Pack regexes run under a time budget per reply.

`core.backtracking` refuses the nested-loop shapes at load, but not every slow
regex has that shape (`(a|a)*$` backtracks through its overlapping branches),
and the pre-send hook must answer whatever a team's pack holds. So the regexes
that packs define run on the `regex` module (the `re`-compatible engine by
Matthew Barnett, a declared dependency), whose matching takes
a timeout; Python's `re` cannot be interrupted. A pattern that runs out of
time on a reply gives no hits on that reply — a missed finding, never a stall.
"""

from __future__ import annotations

import re
from typing import Any

import regex

# Seconds one pack pattern may take on one reply: a shipped pattern takes well under a
# millisecond on a 100,000-character reply, so this only ever stops a runaway.
PATTERN_BUDGET = 0.25


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """The pattern compiled for `finditer` below (`re` flags are accepted)."""
    translated = regex.IGNORECASE if flags & re.IGNORECASE else 0
    return regex.compile(pattern, translated | regex.VERSION0)


def finditer(pattern: Any, text: str, budget: float = PATTERN_BUDGET) -> list[Any]:
    """Every match of `pattern` in `text`, or none when matching outlasts `budget` seconds."""
    try:
        return list(pattern.finditer(text, timeout=budget))
    except TimeoutError:
        return []
