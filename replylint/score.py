"""Score 0–100 and the five service levels.

Penalties are weighted by severity and divided by the reply's length in
units of 75 words (Acrolinx's normalisation): two warnings in a 600-word
answer weigh less than two warnings in a 40-word chat message, but a short
reply is never divided by less than one unit. Any error-level finding caps
the score below "average": an error is something that should not be sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Finding, Level, Severity

WEIGHTS = {Severity.info: 3.0, Severity.warning: 15.0, Severity.error: 30.0}
WORDS_PER_UNIT = 75
ERROR_CAP = 59

# Lower bound of each level, from the top down.
LEVEL_FLOORS = (
    (90, Level.stellar),
    (75, Level.above_average),
    (60, Level.average),
    (40, Level.below_average),
    (0, Level.unacceptable),
)


def score(findings: Iterable[Finding], words: int) -> int:
    findings = list(findings)
    units = max(1.0, words / WORDS_PER_UNIT)
    penalty = sum(WEIGHTS[f.severity] for f in findings) / units
    value = max(0, round(100 - penalty))
    if any(f.severity is Severity.error for f in findings):
        value = min(value, ERROR_CAP)
    return value


def level(value: int) -> Level:
    for floor, name in LEVEL_FLOORS:
        if value >= floor:
            return name
    return Level.unacceptable
