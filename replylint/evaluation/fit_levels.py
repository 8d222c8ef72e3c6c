"""Fit the level model on the real corpus: `python -m replylint.evaluation.fit_levels`.

    python -m replylint.evaluation.fit_levels [--corpus tests/corpus/real] [--out replylint/analysis/levels.json]

Per language: ridge regression of the reviewers' settled level (1–5) on the
report's features (`analysis.levels.FEATURES`), fitted on `train`, with the
weights of finding counts held non-positive (a finding never raises a
level); then the
four cut points between levels, chosen on `train` for the best quadratic
weighted κ (a grid over the estimate's quantiles). `dev` is only measured
and recorded; `test` is never read. Deterministic: no sampling anywhere.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from ..analysis.levels import FEATURES, MODEL_FILE, LevelModel, features
from ..learned.corpus import DEFAULT_ROOT, RealItem, load_real
from .metrics import agreement, weighted_kappa, within_one

RIDGE = 1.0
# Positions of the features that count findings: a finding may lower the level, never raise it.
FINDING_FEATURES = [i for i, name in enumerate(FEATURES) if name.startswith("warn_") or name in ("errors", "infos")]


def _matrix(items: list[RealItem]) -> tuple[np.ndarray, np.ndarray]:
    from .. import check

    rows, levels = [], []
    for item in items:
        report = check(item.reply.reply, customer=item.reply.customer, lang=item.reply.lang,
                       channel=item.reply.channel, config={"packs": []})
        if report.level is None:
            continue
        rows.append(features(report.findings, report.latte, report.words, report.channel, report.learned))
        levels.append(item.labels.level)
    return np.asarray(rows, dtype=float), np.asarray(levels, dtype=float)


def _level_of(estimates: np.ndarray, cuts: tuple[float, ...]) -> list[int]:
    return [1 + sum(e >= c for c in cuts) for e in estimates]


def _ridge(centred: np.ndarray, target: np.ndarray, free: list[int]) -> np.ndarray:
    weights = np.zeros(centred.shape[1])
    sub = centred[:, free]
    weights[free] = np.linalg.solve(sub.T @ sub + RIDGE * np.eye(len(free)), sub.T @ target)
    return weights


def fit(x: np.ndarray, y: np.ndarray) -> LevelModel:
    """Ridge regression in which a finding never raises the level: the weights of the finding
    counts (warnings per category, errors, advice) may not be positive. Unconstrained, the
    Italian fit gave tone warnings +0.31 (brand warnings count as tone and almost never fire on
    real replies), so a draft scored higher the more brand rules it broke. A weight that comes out
    positive is fixed at zero and the rest refitted, until none does."""
    mean = x.mean(axis=0)
    centred = x - mean
    target = y - y.mean()
    free = list(range(x.shape[1]))
    while True:
        weights = _ridge(centred, target, free)
        wrong = [i for i in FINDING_FEATURES if i in free and weights[i] > 0]
        if not wrong:
            break
        free.remove(max(wrong, key=lambda i: weights[i]))
    bias = float(y.mean() - mean @ weights)
    estimates = x @ weights + bias
    grid = sorted(set(np.round(np.quantile(estimates, np.linspace(0.01, 0.99, 60)), 4)))
    truth = [int(v) for v in y]
    best: tuple[float, tuple[float, ...]] = (-2.0, (1.5, 2.5, 3.5, 4.5))
    for low, high in itertools.combinations(grid, 2):  # cuts for levels 3 and 4; 2 and 5 searched around them
        for c2 in [g for g in grid if g < low][-6:] or [low - 1.0]:
            for c5 in [g for g in grid if g > high][:6] or [high + 1.0]:
                cuts = (c2, low, high, c5)
                kappa = weighted_kappa(truth, _level_of(estimates, cuts))
                if kappa is not None and kappa > best[0] + 1e-9:
                    best = (kappa, cuts)
    return LevelModel(tuple(float(w) for w in weights), bias, tuple(float(c) for c in best[1]))  # type: ignore[arg-type]


def measure(model: LevelModel, x: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    predicted = _level_of(np.asarray([model.estimate(row) for row in x]), model.cuts)
    truth = [int(v) for v in y]
    return {"replies": len(truth), "exact": agreement(truth, predicted), "within_one": within_one(truth, predicted),
            "qwk": weighted_kappa(truth, predicted)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    if not (args.corpus / "replies.jsonl").is_file():
        print(f"fit_levels: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    # Fit on the rules alone: the features must not depend on a previous fit.
    if args.out.exists():
        args.out.unlink()
    from ..analysis import levels

    levels.model.cache_clear()
    payload: dict[str, object] = {"features": list(FEATURES), "languages": {}}
    for lang in ("it", "en"):
        x_train, y_train = _matrix(load_real(args.corpus, lang=lang, split="train"))
        x_dev, y_dev = _matrix(load_real(args.corpus, lang=lang, split="dev"))
        model = fit(x_train, y_train)
        train_figures, dev_figures = measure(model, x_train, y_train), measure(model, x_dev, y_dev)
        payload["languages"][lang] = {  # type: ignore[index]
            "features": list(FEATURES), "weights": [round(w, 6) for w in model.weights],
            "bias": round(model.bias, 6), "cuts": [round(c, 6) for c in model.cuts],
            "fitted_on": {"split": "train", **{k: _round(v) for k, v in train_figures.items()}},
            "dev": {k: _round(v) for k, v in dev_figures.items()},
        }
        print(f"{lang}: train {train_figures}  dev {dev_figures}")
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    levels.model.cache_clear()
    return 0


def _round(value: float | int | None) -> float | int | None:
    return round(value, 4) if isinstance(value, float) else value


if __name__ == "__main__":
    sys.exit(main())
