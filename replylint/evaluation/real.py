"""The measure: replylint's judgement against reviewers' labels on real replies (`tests/corpus/real/`).

The corpus keeps the replies (`replies.jsonl`, with their source, licence
and split) apart from the labels: both labellers' raw sets
(`labels/labeller_a.jsonl`, `labels/labeller_b.jsonl`) and the settled set
after a third read of every disagreement (`labels/settled.jsonl`). Labels
follow `review-guide.md`: the categories a reviewer would flag (`expect`),
whether the customer has a problem (`complaint`), the LATTE steps present,
and a service level from 1 (unacceptable) to 5 (stellar).

A reply counts as flagged in a category when replylint reports a finding of
that category at warning or error; info findings are advice. replylint's
own categories map onto the guide's: readability is part of structure,
brand voice part of tone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.levels import GUIDE_CATEGORY as CATEGORY_MAP
from ..config import Config
from ..learned.corpus import (
    DEFAULT_ROOT,
    GUIDE_CATEGORIES,
    SPLITS,
    STEPS,
    GuideCategory,
    Labels,
    RealItem,
    RealReply,
    load_labels,
    load_real,
    load_replies,
)
from ..models import LATTE_STEPS, Level, Report, Severity
from .metrics import (
    BinaryScores,
    Interval,
    agreement,
    binary_scores,
    bootstrap,
    cohen_kappa,
    weighted_kappa,
    within_one,
)

# The report's LATTE step names → the guide's.
REPORT_STEP = dict(zip(STEPS, LATTE_STEPS))
LEVEL_NUMBER = {Level.unacceptable: 1, Level.below_average: 2, Level.average: 3, Level.above_average: 4, Level.stellar: 5}


# -- what replylint says of each reply ---------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """replylint's verdict on one reply, in the labels' terms."""

    flagged: frozenset[str]  # guide categories at warning or above
    codes: frozenset[str]  # rule codes at warning or above
    steps: frozenset[str]  # LATTE steps the report found present
    level: int | None  # 1–5, None when the reply was not checked (another language)


def judge(report: Report) -> Judgement:
    hits = [f for f in report.findings if f.severity.rank >= Severity.warning.rank]
    flagged = {CATEGORY_MAP.get(f.category.value) for f in hits} - {None}
    steps = set()
    if report.latte is not None:
        steps = {step for step in STEPS if getattr(report.latte, REPORT_STEP[step]).present}
    level = LEVEL_NUMBER[report.level] if report.level is not None else None
    return Judgement(frozenset(flagged), frozenset(f.code for f in hits), frozenset(steps), level)  # type: ignore[arg-type]


def judge_all(items: Iterable[RealItem], config: Config | None = None) -> list[Judgement]:
    from .. import check

    return [
        judge(check(item.reply.reply, customer=item.reply.customer, lang=item.reply.lang,
                    channel=item.reply.channel, config=config))
        for item in items
    ]


# -- the figures ------------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything quality.py prints for one set of replies."""

    replies: int
    categories: dict[str, BinaryScores]
    rules: dict[str, dict[str, object]]  # code → fired, on-target, precision
    steps: dict[str, dict[str, object]]  # step → complaint replies, agreement, κ
    levels: dict[str, object]
    channels: dict[str, dict[str, object]] = field(default_factory=dict)
    unchecked: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "replies": self.replies,
            "unchecked": self.unchecked,
            "categories": {name: scores.as_dict() for name, scores in self.categories.items()},
            "rules": self.rules,
            "latte_steps": self.steps,
            "levels": self.levels,
            "channels": self.channels,
        }


def _interval_dict(interval: Interval) -> dict[str, float | None]:
    return interval.as_dict()


def figures(items: Sequence[RealItem], judgements: Sequence[Judgement], *, by_channel: bool = True) -> Figures:
    if len(items) != len(judgements):
        raise ValueError("one judgement per item")
    categories = {
        name: binary_scores([name in i.labels.expect for i in items], [name in j.flagged for j in judgements])
        for name in GUIDE_CATEGORIES
    }
    rules: dict[str, dict[str, object]] = {}
    fired: Counter[str] = Counter()
    on_target: Counter[str] = Counter()
    rule_category = _rule_categories()
    for item, judgement in zip(items, judgements):
        for code in judgement.codes:
            fired[code] += 1
            on_target[code] += rule_category.get(code) in item.labels.expect
    for code in sorted(fired):
        rules[code] = {
            "category": rule_category.get(code), "fired": fired[code], "on_target": on_target[code],
            "precision": round(on_target[code] / fired[code], 4),
        }
    steps: dict[str, dict[str, object]] = {}
    complaints = [(i, j) for i, j in zip(items, judgements) if i.labels.complaint and j.level is not None]
    for step in STEPS:
        truth = [step in i.labels.latte_steps for i, _ in complaints]
        seen = [step in j.steps for _, j in complaints]
        steps[step] = {
            "replies": len(complaints),
            "agreement": _interval_dict(bootstrap(agreement, [truth, seen])),
            "kappa": _round(cohen_kappa(truth, seen)),
            "labelled_present": sum(truth), "found_present": sum(seen),
        }
    checked = [(i.labels.level, j.level) for i, j in zip(items, judgements) if j.level is not None]
    truth_levels = [t for t, _ in checked]
    got_levels = [g for _, g in checked]
    levels = {
        "replies": len(checked),
        "exact": _interval_dict(bootstrap(agreement, [truth_levels, got_levels])),
        "within_one": _interval_dict(bootstrap(within_one, [truth_levels, got_levels])),
        "qwk": _interval_dict(bootstrap(weighted_kappa, [truth_levels, got_levels])),
        "confusion": _confusion(truth_levels, got_levels),
    }
    result = Figures(len(items), categories, rules, steps, levels,
                     unchecked=sum(1 for j in judgements if j.level is None))
    if by_channel:
        for channel in sorted({i.reply.channel for i in items}):
            pairs = [(i, j) for i, j in zip(items, judgements) if i.reply.channel == channel]
            sub = figures([i for i, _ in pairs], [j for _, j in pairs], by_channel=False)
            result.channels[channel] = {
                "replies": sub.replies,
                "categories": {
                    name: {"support": s.support, "flagged": s.flagged, "tp": s.true_positives,
                           "precision": _round(s.precision.value), "recall": _round(s.recall.value)}
                    for name, s in sub.categories.items()
                },
                "level_exact": sub.levels["exact"]["value"],  # type: ignore[index]
                "level_within_one": sub.levels["within_one"]["value"],  # type: ignore[index]
            }
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _confusion(truth: Sequence[int], got: Sequence[int]) -> list[list[int]]:
    """Rows: the reviewer's level 1–5; columns: replylint's."""
    table = [[0] * 5 for _ in range(5)]
    for t, g in zip(truth, got):
        table[t - 1][g - 1] += 1
    return table


def _rule_categories() -> dict[str, str | None]:
    from ..engine import get_engine

    return {rule.code: CATEGORY_MAP.get(rule.category.value) for rule in get_engine().rules}


# -- the labellers' own agreement: the ceiling --------------------------------------------------


def labeller_agreement(root: Path = DEFAULT_ROOT, *, lang: str | None = None, split: str | None = None) -> dict[str, object]:
    """Cohen's κ between the two raw label sets per category, complaint and LATTE step; weighted κ for levels."""
    a = load_labels(root / "labels" / "labeller_a.jsonl")
    b = load_labels(root / "labels" / "labeller_b.jsonl")
    replies = [r for r in load_replies(root) if r.origin == "real" and r.id in a and r.id in b
               and (lang is None or r.lang == lang) and (split is None or r.split == split)]
    pairs = [(a[r.id], b[r.id]) for r in replies]
    out: dict[str, object] = {"replies": len(pairs)}
    out["complaint"] = _kappa_dict([x.complaint for x, _ in pairs], [y.complaint for _, y in pairs])
    out["categories"] = {
        name: {**_kappa_dict([name in x.expect for x, _ in pairs], [name in y.expect for _, y in pairs]),
               "positives_a": sum(name in x.expect for x, _ in pairs),
               "positives_b": sum(name in y.expect for _, y in pairs)}
        for name in GUIDE_CATEGORIES
    }
    both = [(x, y) for x, y in pairs if x.complaint and y.complaint]
    out["latte_steps"] = {
        step: {**_kappa_dict([step in x.latte_steps for x, _ in both], [step in y.latte_steps for _, y in both]),
               "replies": len(both)}
        for step in STEPS
    }
    levels_a = [x.level for x, _ in pairs]
    levels_b = [y.level for _, y in pairs]
    out["levels"] = {
        "exact": _round(agreement(levels_a, levels_b)),
        "within_one": _round(within_one(levels_a, levels_b)),
        "qwk": _interval_dict(bootstrap(weighted_kappa, [levels_a, levels_b])),
    }
    return out


def _kappa_dict(a: list[bool], b: list[bool]) -> dict[str, object]:
    return {"kappa": _interval_dict(bootstrap(cohen_kappa, [a, b])), "agreement": _round(agreement(a, b))}


__all__ = [
    "CATEGORY_MAP", "DEFAULT_ROOT", "GUIDE_CATEGORIES", "SPLITS", "STEPS", "Figures", "GuideCategory", "Judgement",
    "Labels", "RealItem", "RealReply", "figures", "judge", "judge_all", "labeller_agreement", "load_labels",
    "load_real", "load_replies",
]
