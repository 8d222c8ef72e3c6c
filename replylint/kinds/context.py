"""The `context` rule kind: checks that read the customer's message next to the reply."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ..analysis.latte import analyse, complaint_expected, shared_facts
from ..analysis.layout import layout
from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import CheckedKind, Hit

_PARAMS: dict[str, dict[str, float]] = {"generic_reply": {"min_customer_words": 6}}


class ContextRule(RuleBase):
    """`generic_reply`: the customer asked or complained, and the reply repeats none of
    their facts and neither does nor schedules anything.

    Without the customer's message the rule stays silent: it cannot know.
    """

    kind: Literal["context"]
    check: Literal["generic_reply"]
    params: dict[str, float] = Field(default_factory=dict)


class ContextKind(CheckedKind):
    model = ContextRule
    lexicon_needs: tuple[str, ...] = ("complaint", "apology", "greeting", "signoff")
    PARAMS = _PARAMS

    def run(self, ctx: Context) -> Iterator[Hit]:
        if not ctx.customer or not ctx.customer.strip():  # quoted lines are not enough here
            return
        params = self.params(ctx)
        if len(re.findall(r"\w+", ctx.customer)) < params["min_customer_words"]:
            return
        asks = "?" in ctx.customer or complaint_expected(ctx)
        if not asks or shared_facts(ctx):
            return
        coverage = analyse(ctx)
        # A specific answer in other words: doing something is not canned. Cue evidence only: the
        # learned step detector also counts "your request has been taken in charge", the canned line itself.
        if coverage.take_action.evidence or coverage.explain.evidence:
            return
        shape = layout(ctx)
        start, end = shape.body_start, shape.body_end
        text = ctx.text[start:end]
        start += len(text) - len(text.lstrip())
        end = start + len(text.strip())
        if end > start:
            yield Hit(start, end)
