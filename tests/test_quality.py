"""Quality floors, so judgement cannot silently regress.

Two measures, kept apart on purpose:

* **Real replies** (`tests/corpus/real/`, the `dev` split): the measure the
  project is judged by. The floors sit at the figures measured when the
  learned detectors, the per-rule precision floor and the fitted level model
  landed, rounded down; they are far from the goals (precision 0.90, recall
  0.80), and README says so. A category whose precision is undefined on dev
  (replylint flagged nothing) only has its recall held. `test` is never read
  here: it is for reporting.
* **Self-written replies** (`tests/corpus/*.jsonl`): regression cases for
  the rules as designed, not evidence of quality. They run with every rule
  its pack enables, including those the real-reply measure turns off by
  default (`rules/measured.json`), so that a rule kept off for its record on
  real replies still does what its examples say. Their structure floors
  were lowered once, on purpose, when the review guide's definitions
  replaced the project's own (a missing greeting, closing or sign-off alone
  is advice); their Italian LATTE precision floors with the guide's rule
  that a complaint reply without an action is flagged on its own (LAT103);
their Italian held-out LATTE recall floor (0.70 → 0.60) when the learned
step detector landed: it lifted step agreement on real dev (Italian
explain 0.33 → 0.66, English action 0.43 → 0.74) and reads a few short
self-written replies as explaining where their labels say not.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from replylint.config import Config
from replylint.engine import get_engine
from replylint.evaluation import Evaluation, evaluate, load_corpus
from replylint.evaluation.real import Figures, figures, judge_all
from replylint.learned.corpus import load_real

CORPUS = Path(__file__).resolve().parent / "corpus"
REAL = CORPUS / "real"

# -- real replies, dev split ------------------------------------------------------------------

# lang → category → (precision floor or None, recall floor), default configuration
REAL_DEV_FLOORS: dict[str, dict[str, tuple[float | None, float]]] = {
    "en": {
        "negative": (0.90, 0.18), "promise": (0.65, 0.45), "structure": (0.90, 0.12),
        "deflection": (0.70, 0.15), "latte": (0.88, 0.35),
    },
    "it": {
        "structure": (0.90, 0.90), "tone": (0.90, 0.08),
    },
}
# lang → (exact, within one, quadratic-weighted κ) floors for the service level
REAL_DEV_LEVEL_FLOORS: dict[str, tuple[float, float, float]] = {
    "en": (0.55, 0.94, 0.22),
    "it": (0.50, 0.94, 0.33),
}


@lru_cache(maxsize=None)
def _real_dev(lang: str) -> Figures:
    items = load_real(REAL, lang=lang, split="dev")
    return figures(items, judge_all(items), by_channel=False)


@pytest.mark.parametrize(
    ("lang", "category"), [(lang, category) for lang, floors in REAL_DEV_FLOORS.items() for category in floors]
)
def test_real_dev_category_floor(lang: str, category: str) -> None:
    scores = _real_dev(lang).categories[category]
    precision_floor, recall_floor = REAL_DEV_FLOORS[lang][category]
    if precision_floor is not None:
        assert scores.precision.value is not None, f"real dev {lang} {category}: nothing flagged"
        assert scores.precision.value >= precision_floor, f"real dev {lang} {category}: precision {scores.precision}"
    assert scores.recall.value is not None
    assert scores.recall.value >= recall_floor, f"real dev {lang} {category}: recall {scores.recall}"


@pytest.mark.parametrize("lang", ["en", "it"])
def test_real_dev_level_floor(lang: str) -> None:
    levels = _real_dev(lang).levels
    exact, within_one, qwk = (levels[key]["value"] for key in ("exact", "within_one", "qwk"))  # type: ignore[index]
    floors = REAL_DEV_LEVEL_FLOORS[lang]
    assert exact >= floors[0] and within_one >= floors[1] and qwk >= floors[2], (
        f"real dev {lang} levels: exact {exact}, ±1 {within_one}, QWK {qwk}"
    )


@pytest.mark.parametrize("lang", ["en", "it"])
def test_no_rule_on_by_default_is_below_its_floor_on_real_dev(lang: str) -> None:
    """A rule that shouts wrongly on real replies is off until someone fixes it (rules/measured.json)."""
    engine = get_engine()
    active = engine.active(lang, Config())
    noisy = [code for code in active if (m := engine.measured.get((code, lang))) is not None and m.below_floor]
    assert noisy == []


# -- self-written replies ----------------------------------------------------------------------

# (corpus, lang) → category → (precision floor, recall floor)
FLOORS: dict[tuple[str, str], dict[str, tuple[float, float]]] = {
    ("main", "it"): {
        "negative": (0.95, 0.95), "latte": (0.88, 0.85), "promise": (0.95, 0.95), "structure": (0.90, 0.90),
        "readability": (0.88, 0.95), "deflection": (0.95, 0.95), "tone": (0.95, 0.95),
    },
    ("main", "en"): {
        "negative": (0.95, 0.95), "latte": (0.95, 0.95), "promise": (0.95, 0.88), "structure": (0.90, 0.83),
        "readability": (0.88, 0.95), "deflection": (0.95, 0.95), "tone": (0.95, 0.95),
    },
    # The held-out replies were never used for tuning: lower floors, but floors all the same.
    ("holdout", "it"): {
        "negative": (0.80, 0.90), "latte": (0.50, 0.60), "promise": (0.95, 0.95), "structure": (0.75, 0.65),
        "readability": (0.95, 0.95), "deflection": (0.95, 0.60), "tone": (0.60, 0.35),
    },
    ("holdout", "en"): {
        "negative": (0.95, 0.95), "latte": (0.70, 0.70), "promise": (0.95, 0.95), "structure": (0.75, 0.55),
        "readability": (0.95, 0.95), "deflection": (0.95, 0.75), "tone": (0.95, 0.75),
    },
}


def _as_designed(lang: str) -> Config:
    """Every rule its pack enables for `lang`, including those off by their real-reply record."""
    engine = get_engine()
    codes = sorted({
        rule.code for rule in engine.rules
        if rule.lang == lang and (rule.enabled or (rule.code, lang) in engine.off_by_measure)
    })
    return Config(select=codes)


@lru_cache(maxsize=None)
def _evaluation(corpus: str, lang: str) -> Evaluation:
    folder = CORPUS if corpus == "main" else CORPUS / corpus
    return evaluate(load_corpus(folder / f"{lang}.jsonl"), config=_as_designed(lang))


@pytest.mark.parametrize(
    ("corpus", "lang", "category"),
    [(corpus, lang, category) for (corpus, lang), floors in FLOORS.items() for category in floors],
)
def test_category_quality_floor(corpus: str, lang: str, category: str) -> None:
    counts = _evaluation(corpus, lang).categories[category]
    precision_floor, recall_floor = FLOORS[(corpus, lang)][category]
    assert counts.precision >= precision_floor, f"{corpus}/{lang} {category}: precision {counts.precision:.2f}"
    assert counts.recall >= recall_floor, f"{corpus}/{lang} {category}: recall {counts.recall:.2f}"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_corpus_is_balanced_and_labelled(lang: str) -> None:
    items = load_corpus(CORPUS / f"{lang}.jsonl")
    assert len(items) >= 150
    assert len(load_corpus(CORPUS / "holdout" / f"{lang}.jsonl")) >= 60
    good = [i for i in items if not i.expect]
    assert abs(len(good) - len(items) / 2) <= len(items) * 0.1
    assert sum(1 for i in items if i.customer) >= 0.6 * len(items)
