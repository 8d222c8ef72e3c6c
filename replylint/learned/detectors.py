"""The shipped text classifiers: one small spaCy pipeline per language, loaded once per process.

A pattern list names the phrasings its authors thought of; real agents
write many more ("Please contact our customer services", "Not something we
can help with here", "Reach out to the seller"). A bag-of-words classifier
trained on reviewers' labels of real replies (`python -m
replylint.learned.train`) catches some of the rest. Each label has a
threshold chosen on the corpus's dev split for precision ≥ 0.90, and a
label whose dev precision could not reach it has no threshold: it never
fires. `meta.json` beside each model says what it was trained on and what
it measured, for `replylint explain`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc
from spacy.util import registry as spacy_registry

if TYPE_CHECKING:
    from ..core.context import Context

MODELS_DIR = Path(__file__).resolve().parent / "models"


@dataclass(frozen=True)
class LabelMeta:
    threshold: float | None  # None: dev precision never reached the target; the label does not fire
    dev_precision: float | None
    dev_recall: float | None
    dev_support: int
    dev_flagged: int


@dataclass(frozen=True)
class Detector:
    lang: str
    nlp: Any  # a spaCy Language with one textcat_multilabel component
    labels: dict[str, LabelMeta]
    meta: dict[str, Any]
    lock: threading.Lock

    def scores_of_tokens(self, docs: list[Doc]) -> list[dict[str, float]]:
        """Each Doc's probability per label, for text the check has already tokenised (the reply's
        Doc, or a Doc built from a sentence's words): no second tokenisation, which took a fifth of a
        check's time. The model reads each token's ORTH hash, the same in every vocabulary, and the
        check's blank pipeline tokenises like the detector's, so the scores are those of the
        detector's own pipeline. spaCy components are not promised thread-safe: one at a time."""
        with self.lock:
            table = self.nlp.get_pipe("textcat_multilabel").predict(docs)
        labels = self.nlp.get_pipe("textcat_multilabel").labels
        return [dict(zip(labels, map(float, row))) for row in table.tolist()]

    def fires(self, label: str, score: float) -> bool:
        meta = self.labels.get(label)
        return meta is not None and meta.threshold is not None and score >= meta.threshold


_NO_TOKENIZER = "replylint.tokens_from_the_check.v1"


class _TokensFromTheCheck:
    """The detector pipeline's tokenizer: none. Text reaches the classifier as the check's Doc."""

    def __call__(self, text: str) -> Doc:
        raise TypeError("replylint's detectors score the check's own Docs (Detector.scores_of_tokens), not text")


@spacy_registry.tokenizers(_NO_TOKENIZER)
def _tokens_from_the_check() -> Callable[[Any], _TokensFromTheCheck]:
    return lambda nlp: _TokensFromTheCheck()


@lru_cache(maxsize=4)
def detector(lang: str, folder: Path = MODELS_DIR) -> Detector | None:
    """The shipped detector for a language, or None when none was trained for it."""
    path = folder / lang
    if not (path / "meta.json").is_file():
        return None
    import spacy

    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    # The detector scores the check's own Docs (`scores_of_tokens`), so its pipeline needs no
    # tokenizer: building spaCy's (the language's ~1,300 exceptions, twice: from the config, then
    # from disk) was 0.3 of the 0.4 s an English detector took to load.
    nlp = spacy.load(path / "model", config={"nlp": {"tokenizer": {"@tokenizers": _NO_TOKENIZER}}}, exclude=["tokenizer"])
    labels = {
        name: LabelMeta(
            threshold=values.get("threshold"), dev_precision=values.get("dev_precision"),
            dev_recall=values.get("dev_recall"), dev_support=values.get("dev_support", 0),
            dev_flagged=values.get("dev_flagged", 0),
        )
        for name, values in meta["labels"].items()
    }
    return Detector(lang, nlp, labels, meta, threading.Lock())


def reply_scores(ctx: Context) -> dict[str, float] | None:
    """The shipped detector's scores for this reply's own words (quotes blanked), computed once per
    reply whatever asks (learned rules, the complaint test of LATTE); None without a detector."""
    found = detector(ctx.lang)
    if found is None:
        return None
    # Rounded: the report shows them, and four decimals are all a threshold needs.
    return ctx.cached("learned_scores", lambda: {k: round(v, 4) for k, v in found.scores_of_tokens([ctx.doc])[0].items()})


def fires(ctx: Context, label: str) -> bool:
    """True when the detector's score for `label` on this reply reaches its dev-chosen threshold."""
    scores = reply_scores(ctx)
    found = detector(ctx.lang)
    return scores is not None and found is not None and found.fires(label, scores.get(label, 0.0))
