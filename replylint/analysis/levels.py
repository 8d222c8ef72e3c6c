"""Service levels a reviewer would give: a mapping fitted on labelled real replies, not a fixed penalty sum.

A fixed sum of penalties (15 a warning, 30 an error) disagreed with
reviewers most of the time on real replies: it sent four in five plain,
competent replies to "above average" and a single missing sign-off to
"below average". Reviewers weigh findings by kind and channel: a blame
phrase sinks a reply, a missing greeting in a chat does not matter. So
the level comes from a linear model over what the report already holds —
warnings per category of the review guide, errors, advice, LATTE coverage,
length, channel, the trained detectors' scores — fitted per language on the corpus's `train` split, with
four cut points between the five levels (`python -m
replylint.evaluation.fit_levels`; `levels.json` records what it was fitted
on and how it did on `dev`).

The score stays 0–100 and monotone with the level: the model's continuous
estimate is mapped piecewise-linearly so that each cut point lands on a
level's lower bound (40, 60, 75, 90). Without a fitted model for a
language, the old penalty sum (`score.score`) is used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..learned.corpus import GUIDE_CATEGORIES
from ..models import LATTE_STEPS, Finding, Latte, Severity

MODEL_FILE = Path(__file__).resolve().parent / "levels.json"

# replylint's categories → the review guide's: readability is part of structure, brand voice part of tone,
# and meta findings (an unused accept marker) are no verdict on the reply.
GUIDE_CATEGORY: dict[str, str | None] = {
    "negative": "negative", "promise": "promise", "structure": "structure", "readability": "structure",
    "tone": "tone", "brand": "tone", "deflection": "deflection", "latte": "latte", "quality": None,
}
CHANNELS = ("email", "chat", "social", "sms")
LEARNED_LABELS = ("negative", "promise", "tone", "deflection", "latte", "complaint")
FEATURES: tuple[str, ...] = (
    *(f"warn_{c}" for c in GUIDE_CATEGORIES),
    "errors", "infos", "latte_expected", "steps_present", "log_words",
    *(f"channel_{c}" for c in CHANNELS),
    *(f"learned_{label}" for label in LEARNED_LABELS),
)
LEVEL_FLOORS = (40, 60, 75, 90)  # the score at each cut point: below average, average, above average, stellar


def features(
    findings: Sequence[Finding], latte: Latte | None, words: int, channel: str, learned: dict[str, float] | None
) -> list[float]:
    """What the level model reads from a report, in FEATURES order (a missing detector score reads 0.5)."""
    warned: dict[str, int] = {c: 0 for c in GUIDE_CATEGORIES}
    errors = infos = 0
    for finding in findings:
        if finding.severity is Severity.info:
            infos += 1
            continue
        if finding.severity is Severity.error:
            errors += 1
        category = GUIDE_CATEGORY.get(finding.category.value)
        if category is not None:
            warned[category] += 1
    steps = 0
    if latte is not None:
        steps = sum(getattr(latte, step).present for step in LATTE_STEPS)
    return [
        *(float(min(warned[c], 2)) for c in GUIDE_CATEGORIES),
        float(min(errors, 2)), float(min(infos, 5)),
        float(bool(latte and latte.expected)), float(steps), math.log1p(words),
        *(float(channel == c) for c in CHANNELS),
        *(float((learned or {}).get(label, 0.5)) for label in LEARNED_LABELS),
    ]


@dataclass(frozen=True)
class LevelModel:
    weights: tuple[float, ...]
    bias: float
    cuts: tuple[float, float, float, float]  # estimate at the lower edge of levels 2, 3, 4, 5

    def estimate(self, values: Sequence[float]) -> float:
        return self.bias + sum(w * v for w, v in zip(self.weights, values))

    def score(self, values: Sequence[float]) -> int:
        """0–100, with each cut point on a level's lower bound, linear in between (monotone)."""
        y = self.estimate(values)
        c = self.cuts
        span = max(c[3] - c[0], 1e-6) / 3
        xs = (c[0] - span * 2, c[0], c[1], c[2], c[3], c[3] + span)
        ys = (0.0, 40.0, 60.0, 75.0, 90.0, 100.0)
        if y <= xs[0]:
            return 0
        if y >= xs[-1]:
            return 100
        for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            if y <= x1:
                value = y0 + (y1 - y0) * (y - x0) / max(x1 - x0, 1e-9)
                # a score that rounds up onto a floor would cross into the next level before the cut point
                return min(int(math.floor(value)), int(y1) - 1) if y < x1 else int(y1)
        return 100


@lru_cache(maxsize=4)
def model(lang: str, path: Path = MODEL_FILE) -> LevelModel | None:
    """The fitted model for a language, or None (then the penalty sum is used)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8")).get("languages", {}).get(lang)
    if not data or list(data["features"]) != list(FEATURES):
        return None
    return LevelModel(tuple(data["weights"]), float(data["bias"]), tuple(data["cuts"]))  # type: ignore[arg-type]
