"""The `regex` rule kind: for what tokens cannot see — placeholders, capitals, markup.

`{{first_name}}` or `[Nome]` are split apart by any tokenizer, and shouting
is a matter of letter case, so these rules match regular expressions on the
agent's own text (quoted history already blanked out).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field, field_validator
from spacy.vocab import Vocab

from ..core.budget import compile_pattern, finditer
from ..core.rulespec import RuleBase, compiled_regexes
from ..core.context import Context
from .base import Hit


class RegexRule(RuleBase):
    """`patterns` fire; a hit overlapping a match of `unless` is dropped."""

    kind: Literal["regex"]
    patterns: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)
    ignore_case: bool = False

    @field_validator("patterns", "unless")
    @classmethod
    def _compiles(cls, values: list[str]) -> list[str]:
        return compiled_regexes(values)


class RegexKind:
    model = RegexRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: RegexRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        flags = re.IGNORECASE if rule.ignore_case else 0
        self._patterns = [compile_pattern(p, flags) for p in rule.patterns]
        self._unless = [compile_pattern(p, flags) for p in rule.unless]

    def run(self, ctx: Context) -> Iterator[Hit]:
        text = ctx.masked
        exceptions: list[tuple[int, int]] | None = None  # looked for only once a pattern matches
        taken: list[tuple[int, int]] = []
        for pattern in self._patterns:
            for m in finditer(pattern, text):
                start, end = m.span()
                if exceptions is None:
                    exceptions = [(m.start(), m.end()) for u in self._unless for m in finditer(u, text)]
                if start == end or any(s < end and start < e for s, e in exceptions + taken):
                    continue
                taken.append((start, end))
                yield Hit(start, end)
