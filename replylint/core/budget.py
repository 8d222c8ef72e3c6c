"""Pack regexes run under a time budget per pattern and per reply.

`core.backtracking` refuses the nested-loop shapes at load, but not every slow
regex has that shape (`(a|a)*$` backtracks through its overlapping branches),
and the pre-send hook must answer whatever a team's pack holds. So the regexes
that packs define run on the `regex` module (the `re`-compatible engine by
Matthew Barnett, a declared dependency), whose matching takes
a timeout; Python's `re` cannot be interrupted. A pattern that runs out of
time on a reply gives no hits on that reply — a missed finding, never a stall.

A budget per pattern alone let a pack of twenty such patterns take twenty
budgets (8.5 s for a 36-character reply), so the engine also gives each reply
one budget for all of its pack regexes together (`per_reply`): 0.2 s plus a
microsecond per character, against about 10 ms that every shipped regex takes
together on a 100,000-character reply. Once it is spent, the remaining
patterns give no hits on that reply.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import regex

# Seconds one pack pattern may take on one reply: a shipped pattern takes well under a
# millisecond on a 100,000-character reply, so this only ever stops a runaway.
PATTERN_BUDGET = 0.25
# Seconds all pack patterns together may take on one reply, and how that grows with its length.
REPLY_BUDGET = 0.2
REPLY_BUDGET_PER_CHAR = 1e-6

_left: ContextVar[list[float] | None] = ContextVar("replylint_regex_budget", default=None)


@contextlib.contextmanager
def per_reply(chars: int) -> Iterator[None]:
    """Inside: every `finditer` draws on one budget for this reply (the engine opens it per check)."""
    token = _left.set([REPLY_BUDGET + REPLY_BUDGET_PER_CHAR * chars])
    try:
        yield
    finally:
        _left.reset(token)


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """The pattern compiled for `finditer` below (`re` flags are accepted)."""
    translated = regex.IGNORECASE if flags & re.IGNORECASE else 0
    return regex.compile(pattern, translated | regex.VERSION0)


def finditer(pattern: Any, text: str, budget: float = PATTERN_BUDGET) -> list[Any]:
    """Every match of `pattern` in `text`, or none when matching outlasts `budget` seconds or what
    is left of the reply's budget."""
    left = _left.get()
    if left is not None:
        if left[0] <= 0:
            return []
        budget = min(budget, left[0])
    started = time.perf_counter()
    try:
        return list(pattern.finditer(text, timeout=budget))
    except TimeoutError:
        return []
    finally:
        if left is not None:
            left[0] -= time.perf_counter() - started
