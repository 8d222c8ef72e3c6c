"""The `context` rule kind: checks that read the customer's message next to the reply."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import Field
from spacy.vocab import Vocab

from ..latte import complaint_expected, shared_facts
from ..layout import layout
from ..rulespec import RuleBase
from .base import Context, Hit

_PARAMS: dict[str, dict[str, float]] = {"generic_reply": {"min_customer_words": 6}}


class ContextRule(RuleBase):
    """`generic_reply`: the customer asked or complained, and the reply repeats none of their facts.

    Without the customer's message the rule stays silent: it cannot know.
    """

    kind: Literal["context"]
    check: Literal["generic_reply"]
    params: dict[str, float] = Field(default_factory=dict)


class ContextKind:
    model = ContextRule
    lexicon_needs: tuple[str, ...] = ("complaint", "apology", "greeting", "signoff")

    def __init__(self, rule: ContextRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule

    def run(self, ctx: Context) -> Iterator[Hit]:
        if not ctx.customer or ctx.customer_index is None:
            return
        params: dict[str, Any] = {**_PARAMS[self.rule.check], **self.rule.params, **ctx.params.get(self.rule.code, {})}
        if len(re.findall(r"\w+", ctx.customer)) < params["min_customer_words"]:
            return
        asks = "?" in ctx.customer or complaint_expected(ctx)
        if not asks or shared_facts(ctx):
            return
        shape = layout(ctx)
        start, end = shape.body_start, shape.body_end
        text = ctx.text[start:end]
        start += len(text) - len(text.lstrip())
        end = start + len(text.strip())
        if end > start:
            yield Hit(start, end)
