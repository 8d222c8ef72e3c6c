"""Agreement measures with their uncertainty: precision, recall and F1 with bootstrap intervals, Cohen's κ, weighted κ.

A figure on a few hundred real replies moves by several points from one
sample to the next, so every figure this project publishes carries a 95%
interval: the percentile bootstrap over replies (resampling whole replies
keeps each reply's categories together). The seed is fixed, so the same
corpus and the same rules print the same intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SAMPLES = 1000
SEED = 20261205


@dataclass(frozen=True)
class Interval:
    value: float | None  # None when undefined (no positives, no flags)
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high)}

    def __str__(self) -> str:
        if self.value is None:
            return "   –"
        if self.low is None or self.high is None:
            return f"{self.value:.2f}"
        return f"{self.value:.2f} [{self.low:.2f}–{self.high:.2f}]"


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


def _percentiles(samples: np.ndarray) -> tuple[float | None, float | None]:
    finite = samples[np.isfinite(samples)]
    if finite.size < BOOTSTRAP_SAMPLES * 0.5:  # undefined in most resamples: no honest interval
        return None, None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


@dataclass(frozen=True)
class BinaryScores:
    """Precision, recall and F1 of one flag against one label, over replies."""

    support: int  # replies labelled positive
    flagged: int  # replies the tool flagged
    true_positives: int
    precision: Interval
    recall: Interval
    f1: Interval

    def as_dict(self) -> dict[str, object]:
        return {
            "support": self.support, "flagged": self.flagged, "tp": self.true_positives,
            "precision": self.precision.as_dict(), "recall": self.recall.as_dict(), "f1": self.f1.as_dict(),
        }


def binary_scores(truth: Sequence[bool], predicted: Sequence[bool], seed: int = SEED) -> BinaryScores:
    t = np.asarray(truth, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    if t.shape != p.shape:
        raise ValueError("truth and predictions differ in length")
    tp, fp, fn = (t & p).sum(), (~t & p).sum(), (t & ~p).sum()

    def point(tp: float, fp: float, fn: float) -> tuple[float | None, float | None, float | None]:
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        return precision, recall, f1

    precision, recall, f1 = point(tp, fp, fn)
    n = t.size
    if n == 0:
        empty = Interval(None, None, None)
        return BinaryScores(0, 0, 0, empty, empty, empty)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, n, size=(BOOTSTRAP_SAMPLES, n))
    tps = (t & p)[index].sum(axis=1).astype(float)
    fps = (~t & p)[index].sum(axis=1).astype(float)
    fns = (t & ~p)[index].sum(axis=1).astype(float)
    p_low, p_high = _percentiles(_ratio(tps, tps + fps))
    r_low, r_high = _percentiles(_ratio(tps, tps + fns))
    f_low, f_high = _percentiles(_ratio(2 * tps, 2 * tps + fps + fns))
    return BinaryScores(
        support=int(t.sum()), flagged=int(p.sum()), true_positives=int(tp),
        precision=Interval(precision, p_low if precision is not None else None, p_high if precision is not None else None),
        recall=Interval(recall, r_low if recall is not None else None, r_high if recall is not None else None),
        f1=Interval(f1, f_low if f1 is not None else None, f_high if f1 is not None else None),
    )


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float | None:
    """Cohen's κ of two raters over the same items (None when chance agreement is total)."""
    if len(a) != len(b):
        raise ValueError("the two raters rated different numbers of items")
    if not a:
        return None
    labels = sorted({*a, *b}, key=str)
    position = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for x, y in zip(a, b):
        table[position[x], position[y]] += 1
    total = table.sum()
    observed = np.trace(table) / total
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / total**2
    if expected >= 1.0:
        return None
    return float((observed - expected) / (1 - expected))


def weighted_kappa(a: Sequence[int], b: Sequence[int], categories: Sequence[int] = (1, 2, 3, 4, 5)) -> float | None:
    """Quadratic weighted κ on an ordinal scale (levels 1–5): near misses cost less than far ones."""
    if len(a) != len(b):
        raise ValueError("the two raters rated different numbers of items")
    if not a:
        return None
    k = len(categories)
    position = {c: i for i, c in enumerate(categories)}
    observed = np.zeros((k, k))
    for x, y in zip(a, b):
        observed[position[x], position[y]] += 1
    weights = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)], dtype=float) / (k - 1) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    denominator = (weights * expected).sum()
    if denominator == 0:
        return None
    return float(1 - (weights * observed).sum() / denominator)


def bootstrap(statistic, columns: Sequence[Sequence[object]], seed: int = SEED) -> Interval:  # type: ignore[no-untyped-def]
    """A statistic of paired columns (κ, agreement…) with its percentile bootstrap interval over items."""
    value = statistic(*columns)
    n = len(columns[0])
    if value is None or n == 0:
        return Interval(value, None, None)
    rng = np.random.default_rng(seed)
    arrays = [list(column) for column in columns]
    samples = []
    for _ in range(BOOTSTRAP_SAMPLES):
        index = rng.integers(0, n, size=n)
        result = statistic(*([column[i] for i in index] for column in arrays))
        samples.append(np.nan if result is None else result)
    low, high = _percentiles(np.asarray(samples, dtype=float))
    return Interval(value, low, high)


def agreement(a: Sequence[object], b: Sequence[object]) -> float | None:
    """Share of items on which two raters agree."""
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b)) / len(a)


def within_one(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Share of items whose levels differ by at most one."""
    if not a:
        return None
    return sum(abs(x - y) <= 1 for x, y in zip(a, b)) / len(a)
