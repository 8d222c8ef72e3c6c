"""Readability of a reply: Gulpease for Italian, Flesch reading ease for English.

Gulpease comes straight from textstat (it needs only letters, words and
sentences). textstat's English Flesch counts syllables through NLTK's
cmudict, which it tries to *download* on first use — impossible on an
offline helpdesk server — so for English the Flesch formula is applied here
with textstat's own word and sentence counts and syllables from pyphen's
hyphenation dictionary (textstat's own fallback for words cmudict lacks),
which ships inside the pyphen wheel.

Line breaks end sentences in a reply (a greeting line, a list item), so each
line is closed with a full stop before counting: otherwise "Ciao Marco" and
the first sentence would count as one long sentence.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from .models import Readability

_LINE_END = re.compile(r"(?<![.!?…:;])[ \t]*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_textstat_lock = threading.Lock()  # textstat keeps the language as global state


def _sentences(text: str) -> list[str]:
    closed = _LINE_END.sub(". ", text + "\n")
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(closed)) if _WORD.search(s)]


def measure(text: str, lang: str) -> Readability | None:
    """Readability of the agent's own text (quotes already removed); None if there are no words."""
    sentences = _sentences(text)
    words = [w for s in sentences for w in _WORD.findall(s)]
    if not words:
        return None
    per_sentence = [len(_WORD.findall(s)) for s in sentences]
    body = " ".join(sentences)
    if lang == "it":
        import textstat

        with _textstat_lock:
            textstat.set_lang("it")
            value = float(textstat.gulpease_index(body))
        metric = "gulpease"
    else:
        syllables = sum(_syllables(w.lower()) for w in words)
        value = 206.835 - 1.015 * (len(words) / len(sentences)) - 84.6 * (syllables / len(words))
        metric = "flesch"
    return Readability(
        metric=metric,  # type: ignore[arg-type]
        score=round(value, 1),
        words=len(words),
        sentences=len(sentences),
        words_per_sentence=round(len(words) / len(sentences), 1),
        longest_sentence_words=max(per_sentence),
    )


@lru_cache(maxsize=1)
def _hyphenator():  # type: ignore[no-untyped-def]
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=50_000)
def _syllables(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1
