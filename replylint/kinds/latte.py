"""The `latte` rule kind: one LATTE step missing, or an apology that leads nowhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from spacy.vocab import Vocab

from ..analysis.latte import analyse, customer_order_numbers, order_numbers
from ..analysis.layout import layout, tokens_in
from ..models import Severity, Suggestion
from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import Hit


class LatteRule(RuleBase):
    """A missing step fires at full severity when LATTE is expected (a complaint), as info otherwise.

    `add` is a sentence the agent can paste in, in the rule's language;
    `add_with_order` is used instead when an order number is known, with
    `{order}` filled in.
    """

    kind: Literal["latte"]
    step: Literal["listen", "acknowledge", "take_action", "thank", "explain", "apology_only"]
    add: str
    add_with_order: str | None = None
    min_missing: int | None = None  # default: the kind's DEFAULT_MIN_MISSING; a team's [params.CODE] wins


def body_sentences(ctx: Context) -> list[tuple[int, int]]:
    """Character spans of the sentences between greeting and sign-off that contain words."""

    def compute() -> list[tuple[int, int]]:
        shape = layout(ctx)
        first, last = tokens_in(ctx, shape.body_start, shape.body_end)
        spans = []
        for s, e in ctx.index.sentences_between(first, last):
            s, e = max(s, first), min(e, last)
            if ctx.index.words_between(s, e):
                start, end = ctx.span_chars(s, e)
                spans.append((start, start + len(ctx.text[start:end].rstrip())))
        return spans

    return ctx.cached("body_sentences", compute)


class LatteKind:
    model = LatteRule
    lexicon_needs = (
        "latte_listen", "latte_acknowledge", "latte_take_action", "latte_thank", "latte_explain",
        "apology", "complaint", "greeting", "signoff",
    )

    # A missing step is a warning only when LATTE is expected *and* at least this many
    # steps are missing: one step that a cue list failed to see is the commonest false
    # alarm on a good complaint reply, while replies a reviewer flags miss several.
    param_names = {"min_missing"}
    DEFAULT_MIN_MISSING = 2

    def __init__(self, rule: LatteRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule

    def run(self, ctx: Context) -> Iterator[Hit]:
        coverage = analyse(ctx)
        step = self.rule.step
        if step == "apology_only":
            # Cue evidence only: the canned "your request has been taken in charge and we'll let you
            # know" is what this rule is for, and the learned step detector reads it as explaining.
            yield from self._apology_only(ctx, bool(coverage.take_action.evidence or coverage.explain.evidence))
            return
        if getattr(coverage, step).present:
            return
        start, end = self._where(ctx)
        if start == end:
            return
        default = self.rule.min_missing if self.rule.min_missing is not None else self.DEFAULT_MIN_MISSING
        min_missing = ctx.params.get(self.rule.code, {}).get("min_missing", default)
        serious = coverage.expected and len(coverage.missing) >= min_missing
        yield Hit(start, end, suggestions=(self._suggestion(ctx),), severity=None if serious else Severity.info)

    def _apology_only(self, ctx: Context, has_action: bool) -> Iterator[Hit]:
        if has_action:
            return
        apologies = ctx.find("apology")
        if apologies:
            start, end = ctx.span_chars(*apologies[0])
            yield Hit(start, end, suggestions=(self._suggestion(ctx),))

    def _where(self, ctx: Context) -> tuple[int, int]:
        """Point at the first body sentence (for listen/acknowledge) or the last one."""
        sentences = body_sentences(ctx)
        if not sentences:
            return 0, 0
        return sentences[0] if self.rule.step in ("listen", "acknowledge") else sentences[-1]

    def _suggestion(self, ctx: Context) -> Suggestion:
        numbers = customer_order_numbers(ctx) or ctx.cached("order_numbers", lambda: order_numbers(ctx.masked))
        if numbers and self.rule.add_with_order:
            sentence = self.rule.add_with_order.format(order=numbers[0])
        else:
            sentence = self.rule.add
        advice = self.rule.suggest.advice.get(ctx.message_lang)
        return Suggestion(advice=f"{advice} {sentence}".strip(), insert=sentence)
