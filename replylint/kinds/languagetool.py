"""The `languagetool` rule kind: grammar findings that come from a LanguageTool server.

The matches arrive from the server the user configured (`[languagetool] url`),
after the rules have run; the engine turns them into findings of these rules
(see `replylint/engine/grammar.py`). The kind itself never fires: it exists so
that each grammar code has a YAML entry like any other rule — messages in both
languages, `replylint explain`, select/ignore/severity — and so that which
LanguageTool matches land on which code is written in the pack (`check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar, Literal

from spacy.vocab import Vocab

from ..core.context import Context
from ..core.rulespec import RuleBase
from .base import Hit


class LanguageToolRule(RuleBase):
    kind: Literal["languagetool"]
    check: Literal["grammar", "style"] = "grammar"
    # The bad examples need a LanguageTool server to fire: `replylint packs test` and the shipped
    # examples' test leave them out; tests/test_grammar.py runs them against a stand-in server.
    fires_offline: ClassVar[bool] = False


class LanguageToolKind:
    model = LanguageToolRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: LanguageToolRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule

    def run(self, ctx: Context) -> Iterator[Hit]:
        return iter(())
