"""Measure replylint against a labelled corpus: precision, recall and F1 per category.

A corpus is JSON Lines, one reply per line:

    {"id": "it-001", "lang": "it", "channel": "email", "customer": "…" | null,
     "reply": "…", "expect": ["negative", "promise"],
     "latte": {"listen": true, …}, "quality": "good" | "bad"}

`expect` is the set of categories a careful reviewer would flag. A category
counts as flagged by replylint when a finding of that category has severity
warning or error: info findings are advice, not verdicts. The same code runs
the shipped quality benchmark (`benchmarks/quality.py`), the test that keeps
quality from regressing, and a team's own evaluation on its own replies.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..config import Config
from ..models import LATTE_STEPS, Category, Channel, Language, Level, Report, Severity


class CorpusItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    lang: Language
    channel: Channel = "email"
    customer: str | None = None
    reply: str
    expect: list[Category] = Field(default_factory=list)
    latte: dict[str, bool] | None = None
    quality: str | None = None


def load_corpus(path: Path) -> list[CorpusItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(CorpusItem.model_validate(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: {exc}") from None
    return items


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    categories: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    rules: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))  # tp/fp only
    latte_steps: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    levels: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # quality → level
    errors: list[tuple[str, set[str], set[str]]] = field(default_factory=list)  # id, expected, got
    items: int = 0


def flagged(report: Report) -> tuple[set[str], set[str]]:
    """Categories and rule codes flagged at warning or above."""
    hits = [f for f in report.findings if f.severity.rank >= Severity.warning.rank]
    return {f.category.value for f in hits}, {f.code for f in hits}


def evaluate(items: Iterable[CorpusItem], config: Config | None = None) -> Evaluation:
    from .. import check

    result = Evaluation()
    for item in items:
        report = check(item.reply, customer=item.customer, lang=item.lang, channel=item.channel, config=config)
        result.items += 1
        got, codes = flagged(report)
        expected = {c.value for c in item.expect}
        for category in Category:
            name = category.value
            counts = result.categories[name]
            if name in got and name in expected:
                counts.tp += 1
            elif name in got:
                counts.fp += 1
            elif name in expected:
                counts.fn += 1
        for finding in report.findings:
            if finding.code in codes:
                rule_counts = result.rules[finding.code]
                if finding.category.value in expected:
                    rule_counts.tp += 1
                else:
                    rule_counts.fp += 1
                codes.discard(finding.code)  # once per reply
        if item.latte and report.latte:
            for step in LATTE_STEPS:
                truth, seen = item.latte.get(step), getattr(report.latte, step).present
                if truth is None:
                    continue
                counts = result.latte_steps[step]
                counts.tp += truth and seen
                counts.fp += seen and not truth
                counts.fn += truth and not seen
        quality = item.quality or ("good" if not expected else "bad")
        result.levels[quality][(report.level or Level.unacceptable).value] += 1
        if got != expected:
            result.errors.append((item.id, expected, got))
    return result


def table(evaluation: Evaluation, categories: Iterable[str] | None = None) -> str:
    """A plain-text table: category, support, precision, recall, F1."""
    names = list(categories) if categories is not None else sorted(evaluation.categories)
    lines = [f"{'category':<13}{'support':>8}{'flagged':>8}{'precision':>10}{'recall':>8}{'F1':>7}"]
    for name in names:
        c = evaluation.categories[name]
        if not (c.tp or c.fp or c.fn):
            continue
        lines.append(
            f"{name:<13}{c.tp + c.fn:>8}{c.tp + c.fp:>8}{c.precision:>10.2f}{c.recall:>8.2f}{c.f1:>7.2f}"
        )
    return "\n".join(lines)
