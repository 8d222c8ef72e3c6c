"""Rule kinds: the Python half of a rule. The YAML entry is the other half.

A kind is a class with a pydantic `model` (its YAML fields on top of the
common ones in `replylint.rulespec`), the lexicon entries it needs, and
`run(ctx)` yielding hits. Adding a kind means a module here and an entry in
`KINDS`; packs can then use `kind: <name>`.
"""

from __future__ import annotations

from .context import ContextKind
from .latte import LatteKind
from .phrase import PhraseKind
from .readability import ReadabilityKind
from .regex import RegexKind
from .structure import StructureKind

KINDS = {
    "phrase": PhraseKind,
    "regex": RegexKind,
    "latte": LatteKind,
    "structure": StructureKind,
    "readability": ReadabilityKind,
    "context": ContextKind,
}

__all__ = ["KINDS"]
