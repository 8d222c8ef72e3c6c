"""Italian/English detection that also recognises "neither".

lingua is used because it is accurate on very short texts ("Grazie!",
"Thanks!"), ships its models inside the wheel (nothing is downloaded) and is
fast. It is asked to choose among the supported languages plus the
neighbours a European helpdesk meets most, and the Malay and Indonesian
that the real corpus's airline source answers in, so that a Spanish or a
Malay reply is reported as such instead of being forced into Italian or
English (`tests/corpus/real/make/other_languages.py` counts them). On replies too
short to tell reliably (one or two words) replylint does not claim a third
language: it picks the closer of Italian and English.

Detection sits on the path of every request that does not name its
language, so it is kept cheap: the wide detector reads only the
first 200 characters, and when it is already near-certain that a reply of
ten words or more is Italian or English, the full-accuracy pair detector
is not asked again (on the 1,800 replies of the corpora and the benchmark
the decision was the same in every case, at a third of the cost).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

SUPPORTED = ("it", "en")
_OTHERS = ("es", "fr", "de", "pt", "nl", "ms", "id")
_MIN_WORDS_FOR_OTHER = 3
_MIN_CONFIDENCE_FOR_OTHER = 0.5

_detectors: dict[str, object] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1 code of the most likely language
    supported: bool
    confidence: float


def _detector(kind: str):  # type: ignore[no-untyped-def]
    """`pair`: Italian vs English, full accuracy (short replies need it).
    `wide`: nine languages, low-accuracy mode — only asked whether a reply of
    several words is in another language, where trigrams suffice; it loads in
    a tenth of the time, which matters for a command-line cold start."""
    detector = _detectors.get(kind)
    if detector is None:
        with _lock:
            detector = _detectors.get(kind)
            if detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                codes = SUPPORTED if kind == "pair" else SUPPORTED + _OTHERS
                languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
                builder = LanguageDetectorBuilder.from_languages(*languages)
                if kind == "wide":
                    builder = builder.with_low_accuracy_mode()
                detector = _detectors[kind] = builder.build()
    return detector


# Words that are Italian or English and no word of the other languages asked about
# (Spanish, French, German, Portuguese, Dutch, Malay, Indonesian). On a reply of a few words lingua may see
# French in "Non dipende da noi." or German in "Boh, non saprei."; one of these
# words settles that the reply is one of ours, and the pair detector picks which.
_ITALIAN_WORDS = frozenset(
    "noi voi dipende saprei boh grazie perché però anche questo questa quello quella sono siamo "
    "della dello degli delle nella nello nelle negli nel gli già più ancora sempre niente nulla "
    "arrangiati arrangiatevi ciao buongiorno buonasera salve gentile cordiali saluti scusa scusi "
    "ci abbiamo avete hanno è risolto risolta corretto corretta aggiunto eseguito rilasciato rimanda".split()
)
_ENGLISH_WORDS = frozenset(
    "the and with you your we our this that please thanks thank it is are deal sorry can't don't "
    "will won't have has of what which there here let by".split()
)
_SHORT = 8  # words: below this, a reply holding one of those words is never called another language
_MEDIUM = 25


def _ours(sample: str, words: int) -> bool:
    """True when a reply is plainly one of ours by its function words: one of them in a short reply,
    two different ones in a reply of up to _MEDIUM words (product names in German or Portuguese
    quoted in an English chat turn tipped lingua over)."""
    found = {w.strip(".,;:!?¿¡«»\"'()").lower() for w in sample.split()}
    ours = len(found & _ITALIAN_WORDS) + len(found & _ENGLISH_WORDS)
    return (words < _SHORT and ours >= 1) or (words <= _MEDIUM and ours >= 2)


# Links, addresses, handles, hashtags and agent initials carry no language: "https://t.co/…"
# made lingua call a two-line English tweet Portuguese.
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|[@#]\w+|(?<!\w)[\^/]\s?[A-Z]{1,3}\b"
    r"|\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"  # commit hashes
)

_SAMPLE_CHARS = 400
_WIDE_SAMPLE_CHARS = 200  # enough trigrams to tell Spanish from Italian
_SURE, _MIN_WORDS_FOR_SURE = 0.95, 10  # the wide detector's answer stands: no second opinion


def _scores(kind: str, sample: str) -> dict[str, float]:
    values = _detector(kind).compute_language_confidence_values(sample)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def detect(text: str) -> Detection:
    """Most likely language of `text` (the agent's own words, quotes removed).

    Only the first few hundred characters are looked at: a reply does not
    change language halfway, and detection cost grows with length.
    """
    sample = text[: _SAMPLE_CHARS * 2]
    sample = _NOISE.sub(" ", sample)
    sample = sample[:_SAMPLE_CHARS]
    words = len(sample.split())
    if words >= _MIN_WORDS_FOR_OTHER and not _ours(sample, words):
        wide = _scores("wide", sample[:_WIDE_SAMPLE_CHARS])
        best = max(wide, key=wide.__getitem__) if wide else "en"
        if best not in SUPPORTED and wide[best] >= _MIN_CONFIDENCE_FOR_OTHER:
            return Detection(best, False, wide[best])
        if best in SUPPORTED and wide[best] >= _SURE and words >= _MIN_WORDS_FOR_SURE:
            return Detection(best, True, wide[best])
    pair = _scores("pair", sample)
    it, en = pair.get("it", 0.0), pair.get("en", 0.0)
    return Detection("it" if it > en else "en", True, max(it, en))


# Short and long, in both languages: between them they make each detector load every
# language model it uses.
_WARM_UP_SAMPLES = (
    "Grazie!", "Thanks!", "Va bene, grazie mille", "Sounds good, thank you",
    "Buongiorno, il suo ordine è partito ieri e arriverà domani in giornata, grazie ancora.",
    "Hello, your order left our warehouse yesterday and should arrive tomorrow, thanks again.",
)


def warm_up() -> None:
    """Build the detectors and load their language models now (servers call this before
    reporting ready). lingua loads a model the first time it needs it: without this, the
    first replies after start-up took 70-400 ms more."""
    for sample in _WARM_UP_SAMPLES:
        # Both detectors on every sample: `detect` itself may settle a sample by its words alone.
        _scores("wide", sample)
        _scores("pair", sample)
        detect(sample)
