"""The `structure` rule kind: layout checks that are code, tuned by YAML parameters.

Which check a rule runs is its `check`; thresholds are `params` (a team can
override them per code in its config, e.g. `[params.STR104] max_words = 150`).
`channels` limits a rule to the channels where the convention holds: a
sign-off belongs in an e-mail, not in a chat bubble.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field
from spacy.vocab import Vocab

from ..analysis.layout import layout
from ..models import Channel
from ..core.rulespec import RuleBase
from ..text.scan import findall_words
from ..core.context import Context
from .base import CheckedKind, Hit

Check = Literal[
    "greeting", "closing", "signoff", "bare_email", "wall_of_text", "exclamations", "channel_length",
    "numbered_steps",
]

_WORD = re.compile(r"\w+")
_HANDLE = re.compile(r"\s*@[\w.-]+")

# check → (parameter → default)
_PARAMS: dict[str, dict[str, float]] = {
    "greeting": {},
    "closing": {},
    "signoff": {},
    "bare_email": {},
    "wall_of_text": {"max_words": 120},
    "exclamations": {"max_marks": 3, "min_run": 3},
    "channel_length": {"social": 280, "sms": 160},
    "numbered_steps": {"min_markers": 3},
}


class StructureRule(RuleBase):
    kind: Literal["structure"]
    check: Check
    channels: list[Channel] = Field(default_factory=lambda: ["email", "chat", "social", "sms"])
    params: dict[str, float] = Field(default_factory=dict)


class StructureKind(CheckedKind):
    model = StructureRule
    lexicon_needs = ("greeting", "closing", "signoff", "step_markers")
    PARAMS = _PARAMS

    def __init__(self, rule: StructureRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        super().__init__(rule, vocab, tokenize)
        self._run: Callable[[Context, dict[str, float]], Iterator[Hit]] = getattr(self, f"_{rule.check}")

    def run(self, ctx: Context) -> Iterator[Hit]:
        if ctx.channel not in self.rule.channels:
            return
        yield from self._run(ctx, self.params(ctx))

    def _greeting(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        shape = layout(ctx)
        if shape.greeting is None and shape.lines:
            first = shape.lines[0]
            yield Hit(first.start, first.end)

    def _closing(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        if ctx.find("closing"):
            return
        shape = layout(ctx)
        body = [line for line in shape.lines if shape.body_start <= line.start < shape.body_end]
        if body:
            yield Hit(body[-1].start, body[-1].end)

    def _signoff(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        shape = layout(ctx)
        if not shape.signoff and len(shape.lines) >= 1:
            last = shape.lines[-1]
            yield Hit(last.start, last.end)

    def _bare_email(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        """Neither a greeting nor any closing (farewell, invitation to write back, sign-off).

        Each one alone is a nice-to-have (STR101–STR103 are info); an e-mail with
        none of them reads like a note pasted out of a ticket, which is what a
        reviewer flags (review-guide.md, structure).
        """
        shape = layout(ctx)
        if shape.greeting is not None or shape.signoff or not shape.lines or ctx.find("closing"):
            return
        first = shape.lines[0]
        if _HANDLE.match(first.text):  # "@maria …" addresses the customer, as issue trackers do
            return
        yield Hit(first.start, first.end)

    def _wall_of_text(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        limit = int(params["max_words"])
        shape = layout(ctx)
        # In a chat every line is a bubble of its own: five short messages are not one block.
        blocks = [(line.start, line.end) for line in shape.lines] if ctx.channel == "chat" else shape.paragraphs
        for start, end in blocks:
            words = len(findall_words(_WORD, ctx.masked[start:end], str.isalnum))
            if words > limit:
                yield Hit(start, end, values={"words": words, "limit": limit})

    def _exclamations(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        limit = int(params["max_marks"])
        if "!" not in ctx.masked:
            return
        runs = list(re.finditer("!{%d,}" % max(2, int(params["min_run"])), ctx.masked))
        if runs:
            for run in runs:
                yield Hit(run.start(), run.end(), values={"count": len(run.group(0)), "limit": limit})
            return
        marks = [m.start() for m in re.finditer("!", ctx.masked)]
        if len(marks) > limit:
            yield Hit(marks[limit], marks[limit] + 1, values={"count": len(marks), "limit": limit})

    def _channel_length(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        limit = params.get(ctx.channel)
        if limit is None:
            return
        own = ctx.masked.rstrip()
        length = len(" ".join(own.split()))
        if length > limit:
            # Point at where the text goes past the limit (counting collapsed white space).
            seen, cut = 0, len(own)
            for i, ch in enumerate(own):
                if not ch.isspace() or (i and not own[i - 1].isspace()):
                    seen += 1
                if seen > limit:
                    cut = i
                    break
            yield Hit(cut, len(own), values={"length": length, "limit": int(limit), "channel": ctx.channel})

    def _numbered_steps(self, ctx: Context, params: dict[str, float]) -> Iterator[Hit]:
        shape = layout(ctx)
        if shape.has_list:
            return
        needed = int(params["min_markers"])
        markers = ctx.find("step_markers")
        by_sentence: dict[tuple[int, int], int] = {}
        for start, _ in markers:
            sentence = ctx.index.sentence_of(start)
            by_sentence[sentence] = by_sentence.get(sentence, 0) + 1
        for (s, e), count in sorted(by_sentence.items()):
            if count + 1 >= needed:  # the first step rarely has a marker
                start, end = ctx.span_chars(s, e)
                yield Hit(start, start + len(ctx.text[start:end].rstrip()), values={"steps": count + 1})

