"""The `phrase` rule kind: a token pattern with exceptions, judged per sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field
from spacy.vocab import Vocab

from ..core.matching import PatternGroup, longest_first
from ..core.patterns import compile_all
from ..core.rulespec import Pattern, RuleBase
from ..core.context import Context
from .base import Hit


class PhraseRule(RuleBase):
    """Fires on a token pattern, unless an exception pattern says the phrase is benign.

    `unless` cancels a hit it overlaps (an idiom containing the phrase);
    `unless_in_sentence` cancels a hit when it occurs anywhere in the same
    sentence; `requires_in_sentence` demands a companion in the same
    sentence; `unless_nearby` cancels a hit when it occurs in the same or the
    next sentence (an alternative offered right after a refusal).
    """

    kind: Literal["phrase"]
    patterns: list[Pattern] = Field(min_length=1)
    unless: list[Pattern] = Field(default_factory=list)
    unless_in_sentence: list[Pattern] = Field(default_factory=list)
    requires_in_sentence: list[Pattern] = Field(default_factory=list)
    unless_nearby: list[Pattern] = Field(default_factory=list)


_ROLES = ("patterns", "unless", "unless_in_sentence", "requires_in_sentence", "unless_nearby")


class PhraseKind:
    model = PhraseRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: PhraseRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        self.groups: dict[str, PatternGroup] = {}
        for role in _ROLES:
            compiled = compile_all(getattr(rule, role), tokenize)
            if compiled:
                self.groups[role] = PatternGroup(vocab, f"{rule.code}:{role}", compiled)

    def run(self, ctx: Context) -> list[Hit]:
        # Plain functions, not generators: this runs for some 45 rules on every reply,
        # and most return at the first line.
        return [Hit(*ctx.span_chars(start, end)) for start, end in self.token_hits(ctx)]

    def token_hits(self, ctx: Context) -> list[tuple[int, int]]:
        """Token spans where the rule fires, after every exception has had its say."""
        index = ctx.index
        groups = self.groups
        main = groups["patterns"].find(index)
        if not main:
            return []
        unless = groups.get("unless")
        in_sentence_unless = groups.get("unless_in_sentence")
        required = groups.get("requires_in_sentence")
        nearby_unless = groups.get("unless_nearby")
        hits = []
        for start, end in longest_first(main):
            s_start, s_end = index.sentence_of(start)
            if unless and any(s < end and start < e for s, e in unless.find(index, s_start, s_end)):
                continue
            if in_sentence_unless and in_sentence_unless.find(index, s_start, s_end):
                continue
            if required and not required.find(index, s_start, s_end):
                continue
            if nearby_unless and nearby_unless.find(index, s_start, index.next_sentence_end(s_end)):
                continue
            hits.append((start, end))
        return hits
