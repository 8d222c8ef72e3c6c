"""The `brand` rule kind: the brand profile's own rules (domain.md §5).

Each rule runs one `check` against the profile chosen for the reply
(`ctx.brand`); without a profile, or when the profile leaves that field
unset, the rule is silent. The phrases, names and policies are the team's
data (the profile in its config); the cue lists the checks rely on
(apologies, bad news, English slang and stiff formulas) are lexicon entries.

- `avoid`: a phrase the brand never uses → the replacement as suggestion.
- `terms`: a product or brand name written with other capitals or spacing
  ("orange peeler 2000") → the exact spelling.
- `emoji`: never → every emoji or emoticon; positive-only → an emoji in or
  right after a sentence that apologises or gives bad news.
- `exclamations`: more "!" than `max_exclamations` → the first one too many.
- `signoff` / `greeting`: an e-mail without the required sign-off / opening.
- `formality` (English): `formal` → contractions and slang; `casual` →
  stiff formulas ("we regret to inform you", "kindly").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field
from spacy.vocab import Vocab

from ..core.brand import BrandProfile, text_matcher
from ..analysis.layout import layout
from ..models import Channel, Suggestion
from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import Hit
from .tone_context import EMOJI, EMOTICON

Check = Literal["avoid", "terms", "emoji", "exclamations", "signoff", "greeting", "formality"]

_HISTORY = re.compile(
    r"(?im)^[ \t]*(?:(?:on|il giorno|il|in data)\b[^\n]{0,200}?\b(?:wrote|ha scritto)[ \t]*:[ \t]*$"
    r"|-{2,}[ \t]*(?:original message|messaggio originale)[ \t]*-{2,})"
)
_EXPANSIONS = {
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not", "didn't": "did not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "haven't": "have not",
    "hasn't": "has not", "couldn't": "could not", "wouldn't": "would not", "shouldn't": "should not",
    "i'm": "I am", "i've": "I have", "i'll": "I will", "i'd": "I would", "we're": "we are", "we've": "we have",
    "we'll": "we will", "we'd": "we would", "you're": "you are", "you've": "you have", "you'll": "you will",
    "you'd": "you would", "it's": "it is", "that's": "that is", "there's": "there is", "here's": "here is",
    "let's": "let us", "they're": "they are", "they'll": "they will", "what's": "what is",
}


class BrandRule(RuleBase):
    kind: Literal["brand"]
    check: Check
    channels: list[Channel] = Field(default_factory=lambda: ["email", "chat", "social", "sms"])


class BrandKind:
    model = BrandRule
    lexicon_needs: tuple[str, ...] = ("apology", "complaint", "formal_breaches", "casual_breaches")

    def __init__(self, rule: BrandRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        if rule.check != "formality":
            self.lexicon_needs = ("apology", "complaint")
        self._run: Callable[[Context, BrandProfile], Iterator[Hit]] = getattr(self, f"_{rule.check}")

    def run(self, ctx: Context) -> Iterator[Hit]:
        if ctx.brand is None or ctx.channel not in self.rule.channels:
            return
        yield from self._run(ctx, ctx.brand)

    # -- phrases and names --------------------------------------------------

    def _avoid(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        advice = self.rule.suggest.advice.get(ctx.message_lang)
        for phrase, replacement in brand.avoid.items():
            for m in _phrase_regex(phrase).finditer(ctx.masked):
                found = m.group(0)
                yield Hit(
                    m.start(), m.end(),
                    suggestions=(Suggestion(advice=advice, replacement=_match_case(replacement, found)),),
                    values={"phrase": found, "replacement": replacement},
                )

    def _terms(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        advice = self.rule.suggest.advice.get(ctx.message_lang)
        found: list[tuple[int, int, str]] = []
        for term in brand.terms:
            for m in _term_regex(term).finditer(ctx.masked):
                if not _inside_address(ctx.masked, m.start(), m.end()):
                    found.append((m.start(), m.end(), term))
        right = [(s, e) for s, e, term in found if ctx.masked[s:e] == term]
        for start, end, term in sorted(found):
            text = ctx.masked[start:end]
            if text == term or any(s <= start and end <= e and (s, e) != (start, end) for s, e in right):
                continue
            yield Hit(start, end, suggestions=(Suggestion(advice=advice, replacement=term),),
                      values={"term": term, "found": text})

    # -- voice ----------------------------------------------------------------

    def _emoji(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        if brand.emoji == "allowed":
            return
        marks = [m for m in (*EMOJI.finditer(ctx.masked), *EMOTICON.finditer(ctx.masked))]
        sad: list[tuple[int, int]] = []
        if brand.emoji == "positive-only" and marks:
            sad = _bad_news_sentences(ctx)
        for m in sorted(marks, key=lambda m: m.start()):
            if brand.emoji == "positive-only" and not any(s <= m.start() < e for s, e in sad):
                continue
            yield Hit(m.start(), m.end(), values={"policy": brand.emoji},
                      suggestions=(Suggestion(advice=self.rule.suggest.advice.get(ctx.message_lang), replacement=""),))

    def _exclamations(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        limit = brand.max_exclamations
        if limit is None:
            return
        marks = [m.start() for m in re.finditer("!", ctx.masked)]
        if len(marks) > limit:
            at = marks[limit]
            yield Hit(at, at + 1, values={"count": len(marks), "limit": limit})

    def _signoff(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        if brand.signoff is None:
            return
        history = _HISTORY.search(ctx.text)
        own = ctx.text[: history.start()] if history else ctx.text
        own = "\n".join(line for line in own.splitlines() if not line.lstrip().startswith(">"))
        if text_matcher(brand.signoff).search(own):
            return
        lines = layout(ctx).lines
        if not lines:
            return
        last = lines[-1]
        insert = None if brand.signoff.strip().startswith("/") else brand.signoff
        yield Hit(last.start, last.end, values={"signoff": brand.signoff},
                  suggestions=(Suggestion(advice=self.rule.suggest.advice.get(ctx.message_lang), insert=insert),))

    def _greeting(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        if brand.greeting is None:
            return
        lines = layout(ctx).lines
        if not lines or text_matcher(brand.greeting).match(lines[0].text):
            return
        first = lines[0]
        yield Hit(first.start, first.end, values={"greeting": brand.greeting})

    def _formality(self, ctx: Context, brand: BrandProfile) -> Iterator[Hit]:
        wanted = brand.formality_for(ctx.lang)
        if wanted not in ("formal", "casual"):
            return
        entry = "formal_breaches" if wanted == "formal" else "casual_breaches"
        advice = self.rule.suggest.advice.get(ctx.message_lang)
        for start, end in sorted(set(ctx.find(entry))):
            s, e = ctx.span_chars(start, end)
            text = ctx.text[s:e]
            expanded = _EXPANSIONS.get(text.lower().replace("’", "'"))
            suggestion = Suggestion(advice=advice, replacement=_match_case(expanded, text) if expanded else None)
            yield Hit(s, e, suggestions=(suggestion,), values={"formality": wanted, "found": text})


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _term_regex(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s\-‐]+", term) if w]
    return re.compile(r"(?<![\w@/.])" + r"[\s\-‐]*".join(words) + r"(?![\w@]|\.\w)", re.IGNORECASE)


def _inside_address(text: str, start: int, end: int) -> bool:
    """Whether a match sits inside a URL or an e-mail address (spelled by other rules)."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    chunk = text[left : right if right != -1 else len(text)]
    return "://" in chunk or "www." in chunk.lower() or "@" in chunk


def _bad_news_sentences(ctx: Context) -> list[tuple[int, int]]:
    """Char ranges of sentences that apologise or report a problem, and the sentence right after."""
    index = ctx.index
    bounds = [*index.sentence_starts, index.length]
    ranges: list[tuple[int, int]] = []
    for k in range(len(bounds) - 1):
        s, e = bounds[k], bounds[k + 1]
        if s >= e:
            continue
        if ctx.find("apology", s, e) or ctx.find("complaint", s, e):
            start = ctx.doc[s].idx
            after = bounds[k + 2] if k + 2 < len(bounds) else index.length
            last = ctx.doc[after - 1]
            ranges.append((start, last.idx + len(last.text)))
    return ranges


def _match_case(replacement: str, found: str) -> str:
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement
