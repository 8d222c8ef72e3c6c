"""Quality floors, so precision and recall cannot silently regress.

The self-written corpora (`tests/corpus/*.jsonl`) are regression cases: the
floors sit a little under the figures measured when they were set. Their
structure floors were lowered once, on purpose, when the review guide's
definitions replaced the project's own: a missing greeting, closing or
sign-off alone is now advice (info), and only an e-mail with none of them
is flagged (STR110); the self-written labels still count each one alone. Their
Italian LATTE precision floors were lowered with the guide's rule that a
complaint reply without an action is flagged on its own (LAT103), which the
self-written labels did not follow.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from replylint.evaluation import Evaluation, evaluate, load_corpus

CORPUS = Path(__file__).resolve().parent / "corpus"

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
        "negative": (0.80, 0.90), "latte": (0.50, 0.70), "promise": (0.95, 0.95), "structure": (0.75, 0.65),
        "readability": (0.95, 0.95), "deflection": (0.95, 0.60), "tone": (0.60, 0.35),
    },
    ("holdout", "en"): {
        "negative": (0.95, 0.95), "latte": (0.70, 0.70), "promise": (0.95, 0.95), "structure": (0.75, 0.55),
        "readability": (0.95, 0.95), "deflection": (0.95, 0.75), "tone": (0.95, 0.75),
    },
}


@lru_cache(maxsize=None)
def _evaluation(corpus: str, lang: str) -> Evaluation:
    folder = CORPUS if corpus == "main" else CORPUS / corpus
    return evaluate(load_corpus(folder / f"{lang}.jsonl"))


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
