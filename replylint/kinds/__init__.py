"""Rule kinds: the Python half of a rule. The YAML entry is the other half.

A kind is a class with a pydantic `model` (its YAML fields on top of the
common ones in `replylint.core.rulespec`), the lexicon entries it needs, and
`run(ctx)` yielding hits. Adding a kind means a module here and an entry in
`KINDS`; packs can then use `kind: <name>`.
"""

from __future__ import annotations

from .brand import BrandKind
from .context import ContextKind
from .latte import LatteKind
from .languagetool import LanguageToolKind
from .learned import LearnedKind
from .meta import MetaKind
from .phrase import PhraseKind
from .readability import ReadabilityKind
from .regex import RegexKind
from .register import RegisterKind
from .spelling import SpellingKind
from .structure import StructureKind
from .tone_context import ToneContextKind

KINDS = {
    "phrase": PhraseKind,
    "regex": RegexKind,
    "latte": LatteKind,
    "structure": StructureKind,
    "readability": ReadabilityKind,
    "context": ContextKind,
    "register": RegisterKind,
    "spelling": SpellingKind,
    "brand": BrandKind,
    "tone_context": ToneContextKind,
    "meta": MetaKind,
    "learned": LearnedKind,
    "languagetool": LanguageToolKind,
}

RULE_MODELS = {name: kind.model for name, kind in KINDS.items()}
"""What the pack loader validates each YAML entry against, by its `kind`."""

__all__ = ["KINDS", "RULE_MODELS"]
