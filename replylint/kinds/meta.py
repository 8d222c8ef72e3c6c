"""The `meta` rule kind: findings about the check itself, produced by the engine.

META101 (an accept marker that silences nothing) needs every other rule's
hits, which no kind sees; the engine fills its hits in (see engine.py). The
kind exists so that the rule has a YAML entry like any other: a code,
messages in both languages, examples, and select/ignore/severity work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from spacy.vocab import Vocab

from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import Hit


class MetaRule(RuleBase):
    kind: Literal["meta"]
    check: Literal["unused_accept"]


class MetaKind:
    model = MetaRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: MetaRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule

    def run(self, ctx: Context) -> Iterator[Hit]:
        return iter(())
