"""The `readability` rule kind: a reply too hard to read, or one sentence too long."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ..analysis.layout import layout, tokens_in
from ..analysis.readability import measure
from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import CheckedKind, Hit

_PARAMS: dict[str, dict[str, float]] = {
    "score": {"min_score": 40, "min_words": 40},
    "sentence_length": {"max_words": 35},
}


class ReadabilityRule(RuleBase):
    """`score`: Gulpease (it) / Flesch (en) under `min_score` on a reply of at least `min_words`.
    `sentence_length`: a sentence longer than `max_words`."""

    kind: Literal["readability"]
    check: Literal["score", "sentence_length"]
    params: dict[str, float] = Field(default_factory=dict)


def readability(ctx: Context):  # type: ignore[no-untyped-def]
    """The reply's readability, measured once and shared with the report."""
    return ctx.cached("readability", lambda: measure(ctx.masked, ctx.lang))


class ReadabilityKind(CheckedKind):
    model = ReadabilityRule
    lexicon_needs: tuple[str, ...] = ("greeting", "signoff")
    PARAMS = _PARAMS

    def run(self, ctx: Context) -> Iterator[Hit]:
        params = self.params(ctx)
        shape = layout(ctx)
        first, last = tokens_in(ctx, shape.body_start, shape.body_end)
        if self.rule.check == "score":
            measured = readability(ctx)
            if measured is None or measured.words < params["min_words"]:
                return
            if measured.score < params["min_score"]:
                start, end = ctx.span_chars(first, last)
                yield Hit(start, start + len(ctx.text[start:end].rstrip()),
                          values={"score": round(measured.score), "limit": round(params["min_score"]),
                                  "metric": measured.metric})
            return
        limit = int(params["max_words"])
        for s, e in ctx.index.sentences_between(first, last):
            words = ctx.index.words_between(s, e)
            if words > limit:
                start, end = ctx.span_chars(s, e)
                yield Hit(start, start + len(ctx.text[start:end].rstrip()), values={"words": words, "limit": limit})
