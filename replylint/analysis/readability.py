"""Readability of a reply: Gulpease for Italian, Flesch reading ease for English.

Gulpease comes straight from textstat (it needs only letters, words and
sentences). textstat's English Flesch counts syllables through NLTK's
cmudict, which it tries to *download* on first use — impossible on an
offline helpdesk server — so for English the Flesch formula is applied here,
with the words and sentences counted below and syllables from pyphen's
hyphenation dictionary (textstat's own fallback for words cmudict lacks),
which ships inside the pyphen wheel.

Line breaks end sentences in a reply (a greeting line, a list item), so each
line is closed with a full stop before counting: otherwise "Ciao Marco" and
the first sentence would count as one long sentence.
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
from functools import lru_cache
from types import ModuleType
from typing import Any

from ..models import Readability
from ..text.caches import WORD_CACHE_LIMIT
from ..text.scan import findall_words

_CLOSED = ".!?…:;"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_textstat_lock = threading.Lock()  # textstat keeps the language as global state


def _sentences(text: str) -> list[tuple[str, list[str]]]:
    """The sentences that hold words, each with its words."""
    closed = _close_lines(text + "\n")
    found = ((s, findall_words(_WORD, s, str.isalpha)) for s in (m.group(0).strip() for m in _SENTENCE.finditer(closed)))
    return [(s, words) for s, words in found if words]


def _close_lines(text: str) -> str:
    """`re.sub(r"(?<![.!?…:;])[ \t]*\n", ". ", text)`: a line break not after sentence
    punctuation closes the sentence. Line by line, in linear time: the regex, tried at
    every blank of a long run of spaces or tabs with no line break after it, rescanned the
    run each time (a reply of 100,000 blanks took 12 s)."""
    lines = text.split("\n")
    out: list[str] = []
    before = ""  # the character before the current line: a line break, or nothing at the start
    for line in lines[:-1]:
        body = line.rstrip(" \t")
        blanks = line[len(body):]
        last = body[-1] if body else before
        if last and last in _CLOSED:
            # The pattern would start one blank later, or not match at all.
            out.append(body + (blanks[0] + ". " if blanks else "\n"))
        else:
            out.append(body + ". ")
        before = "\n"
    out.append(lines[-1])
    return "".join(out)


def measure(text: str, lang: str) -> Readability | None:
    """Readability of the agent's own text (quotes already removed); None if there are no words."""
    split = _sentences(text)
    sentences = [s for s, _ in split]
    words = [w for _, sentence_words in split for w in sentence_words]
    if not words:
        return None
    per_sentence = [len(sentence_words) for _, sentence_words in split]
    body = " ".join(sentences)
    if lang == "it":
        with _textstat_lock:
            textstat = _textstat()
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


def warm_up() -> None:
    """Import textstat and load pyphen's English dictionary now, rather than on the first
    Italian and English replies (the dictionary alone is ~0.1 s)."""
    with _textstat_lock:
        _textstat()
    _hyphenator()


def _textstat() -> ModuleType:
    """textstat, imported without loading NLTK (call with `_textstat_lock` held).

    textstat imports NLTK when it is imported, for one thing only: English
    syllables from cmudict, which replylint never asks it for. NLTK in turn
    imports SciPy: about 1.2 s and 45 MiB on every cold start that checks
    Italian. So while textstat is imported, NLTK's name is held by a stand-in
    that imports the real NLTK the first time anything of it is used; the
    stand-in is gone from `sys.modules` once textstat is in, so any other
    `import nltk` in the process is an ordinary one.
    """
    if "textstat" in sys.modules or "nltk" in sys.modules:
        import textstat

        return textstat
    stand_in = _ImportOnUse("nltk")
    sys.modules["nltk"] = stand_in
    try:
        import textstat
    finally:
        if sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]
    return textstat


class _ImportOnUse(ModuleType):
    """Stands in for a module: the first attribute asked for imports the real one."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:  # asked while it still holds the name
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


@lru_cache(maxsize=1)
def _hyphenator():  # type: ignore[no-untyped-def]
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=WORD_CACHE_LIMIT)
def _syllables(word: str) -> int:
    hyphenator = _hyphenator()
    count = len(hyphenator.positions(word)) + 1
    # Pyphen memoises every word it has hyphenated, without a bound; this function's own cache
    # is the bounded one.
    memo = getattr(getattr(hyphenator, "hd", None), "cache", None)
    if isinstance(memo, dict) and len(memo) > WORD_CACHE_LIMIT:
        memo.clear()
    return count
