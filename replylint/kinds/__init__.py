"""Rule kinds: the Python half of a rule. The YAML entry is the other half.

Adding a kind means a module here with a class built from its pydantic rule
model, plus an entry in `KINDS`.
"""

from __future__ import annotations

from .phrase import PhraseKind

KINDS = {"phrase": PhraseKind}

__all__ = ["KINDS", "PhraseKind"]
