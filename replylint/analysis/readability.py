"""Readability of a reply: Gulpease for Italian, Flesch reading ease for English.

Both are computed here, from counts this module makes; no textstat at run time.

Gulpease keeps the counting of textstat (which computed it before), so
that every score, and every finding the score rules give, stays what it
was (RDB101's threshold was set on these scores): characters are every
non-blank character, punctuation and digits included, per blank-separated
token; sentences are the pieces between runs of . ! ? that hold more than
two words (at least one). The textbook counts (letters per word, every
sentence) give scores 4 to 11 points higher on average and move 59 of the
989 corpus replies of 40 words or more across RDB101's threshold.

English Flesch is the formula applied to the words and sentences counted
below, with syllables from pyphen's hyphenation dictionary, which ships
inside the pyphen wheel. (textstat counts English syllables through NLTK's
cmudict, which it tries to *download* on first use — impossible on an
offline helpdesk server.)

Line breaks end sentences in a reply (a greeting line, a list item), so each
line is closed with a full stop before counting: otherwise "Ciao Marco" and
the first sentence would count as one long sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Readability
from ..text.caches import WORD_CACHE_LIMIT
from ..text.scan import findall_words

_CLOSED = ".!?…:;"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_STOPS = re.compile(r"[.!?]+")  # Gulpease's sentence ends (textstat's: not "…")
_WORDISH = re.compile(r"\w")


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
        value = _gulpease(body)
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


def _is_word(token: str) -> bool:
    """A blank-separated token that holds a word character: letter, digit or _ (textstat's word)."""
    return token.isalnum() or _WORDISH.search(token) is not None


def _gulpease(body: str) -> float:
    """89 + 300·sentences/words − 10·characters/tokens, counted as textstat 0.7 counts them
    (`textstat.gulpease_index`, equal to the last digit on every corpus reply): tokens are the
    blank-separated pieces, characters all their characters, words the tokens that hold a
    word character, sentences the pieces between runs of . ! ? with more than two words.

    One pass over the tokens: a token with . ! or ? in it ends a piece inside itself.
    """
    tokens = body.split()
    words = sentences = in_piece = characters = 0
    for token in tokens:
        characters += len(token)
        if token.isalpha():  # most tokens: a word, and no sentence end in it
            words += 1
            in_piece += 1
        elif "." not in token and "!" not in token and "?" not in token:
            if _is_word(token):
                words += 1
                in_piece += 1
        else:
            words += _is_word(token)
            for k, part in enumerate(_STOPS.split(token)):
                if k:  # a run of stops before this part: the piece so far is a sentence
                    sentences += in_piece > 2
                    in_piece = 0
                if part and _is_word(part):
                    in_piece += 1
    sentences += in_piece > 2
    if not words:
        return 0.0
    # textstat's order of operations, so that the float is the same to the last bit
    return (300 * (max(1, sentences) / words)) - (10 * (characters / len(tokens))) + 89


def warm_up() -> None:
    """Load pyphen's English dictionary now, rather than on the first English reply (~0.1 s)."""
    _hyphenator()


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
