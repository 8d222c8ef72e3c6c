"""Italian/English detection that also recognises "neither".

lingua is used because it is accurate on very short texts ("Grazie!",
"Thanks!"), ships its models inside the wheel (nothing is downloaded) and is
fast. It is asked to choose among the supported languages plus the
neighbours a European helpdesk meets most, so that a Spanish reply is
reported as Spanish instead of being forced into Italian. On replies too
short to tell reliably (one or two words) replylint does not claim a third
language: it picks the closer of Italian and English.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

SUPPORTED = ("it", "en")
_OTHERS = ("es", "fr", "de", "pt")
_MIN_WORDS_FOR_OTHER = 3
_MIN_CONFIDENCE_FOR_OTHER = 0.5

_detector = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1 code of the most likely language
    supported: bool
    confidence: float


def _get_detector():  # type: ignore[no-untyped-def]
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                languages = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                    for code in SUPPORTED + _OTHERS
                ]
                _detector = LanguageDetectorBuilder.from_languages(*languages).build()
    return _detector


_SAMPLE_CHARS = 400


def detect(text: str) -> Detection:
    """Most likely language of `text` (the agent's own words, quotes removed).

    Only the first few hundred characters are looked at: a reply does not
    change language halfway, and detection cost grows with length.
    """
    detector = _get_detector()
    sample = text[:_SAMPLE_CHARS]
    values = detector.compute_language_confidence_values(sample)
    scores = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    best = max(scores, key=scores.__getitem__) if scores else "en"
    words = len(sample.split())
    if (
        best not in SUPPORTED
        and words >= _MIN_WORDS_FOR_OTHER
        and scores[best] >= _MIN_CONFIDENCE_FOR_OTHER
    ):
        return Detection(best, False, scores[best])
    it, en = scores.get("it", 0.0), scores.get("en", 0.0)
    choice = "it" if it > en else "en"
    return Detection(choice, True, max(it, en))


def warm_up() -> None:
    """Build the detector now (servers call this before reporting ready)."""
    _get_detector()
