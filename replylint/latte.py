"""LATTE coverage of a reply: Listen, Acknowledge, Take action, Thank, Explain.

Acknowledge, Take action, Thank and Explain are recognised from cue phrases
in the language's lexicon (`latte_acknowledge`, …). Listen is different: a
reply listens when it picks up what the customer actually said, so when the
customer's message is given it is judged by overlap — the same order
number, or at least two of the customer's content words (lemmas, not stop
words, not generic service words) — and only without the message by
restating cues ("ho letto che…", "I see that your order…"), which also
count when the message is given.

LATTE is *expected* when the customer's message shows a complaint or
problem; without the message, when the reply itself apologises.
"""

from __future__ import annotations

import re

from .kinds.base import Context
from .models import LATTE_STEPS, Latte, LatteStep, Span

ORDER_NUMBER = re.compile(r"(?<![\w-])(?:[A-Za-z]{1,4}[-/]?)?#?\d{4,}(?![\w-])")
_MIN_SHARED_WORDS = 2


def analyse(ctx: Context) -> Latte:
    return ctx.cached("latte", lambda: _analyse(ctx))


def _analyse(ctx: Context) -> Latte:
    steps: dict[str, LatteStep] = {}
    for step in LATTE_STEPS:
        cues = [Span(start=a, end=b) for a, b in _char_spans(ctx, ctx.find(f"latte_{step}"))]
        if step == "listen" and ctx.customer_index is not None:
            shared = shared_facts(ctx)
            present = bool(cues) or any(ORDER_NUMBER.fullmatch(ctx.text[s.start : s.end]) for s in shared) or (
                len({ctx.text[s.start : s.end].lower() for s in shared}) >= _MIN_SHARED_WORDS
            )
            evidence = sorted([*cues, *shared], key=lambda s: s.start)
        else:
            evidence, present = cues, bool(cues)
        steps[step] = LatteStep(present=present, evidence=evidence[:5])
    return Latte(expected=complaint_expected(ctx), **steps)


def complaint_expected(ctx: Context) -> bool:
    """A complaint in the customer's message; without it, the reply apologising for something."""

    def compute() -> bool:
        customer = ctx.customer_index
        if customer is not None:
            return bool(ctx.lexicon.find("complaint", customer))
        return bool(ctx.find("apology"))

    return ctx.cached("complaint", compute)


def order_numbers(text: str) -> list[str]:
    return [m.group(0).lstrip("#") for m in ORDER_NUMBER.finditer(text)]


def shared_facts(ctx: Context) -> list[Span]:
    """Spans of the reply that repeat the customer's order numbers or content words."""

    def compute() -> list[Span]:
        customer = ctx.customer_index
        if customer is None:
            return []
        numbers = {n.lower() for n in order_numbers(ctx.customer or "")}
        generic = ctx.lexicon.words.get("generic", frozenset())
        stop_words = ctx.nlp.Defaults.stop_words
        wanted = {
            t.lemma_
            for t in customer.doc
            if t.is_alpha and len(t.text) >= 4 and t.lower_ not in stop_words and t.lemma_ not in generic
            and t.lower_ not in generic
        }
        spans: list[Span] = []
        for m in ORDER_NUMBER.finditer(ctx.masked):
            if m.group(0).lstrip("#").lower() in numbers:
                spans.append(Span(start=m.start(), end=m.end()))
        for token in ctx.doc:
            if token.is_alpha and len(token.text) >= 4 and token.lemma_ in wanted and token.lower_ not in stop_words:
                spans.append(Span(start=token.idx, end=token.idx + len(token.text)))
        return sorted(spans, key=lambda s: s.start)

    return ctx.cached("shared_facts", compute)


def _char_spans(ctx: Context, token_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(ctx.span_chars(s, e) for s, e in token_spans)
