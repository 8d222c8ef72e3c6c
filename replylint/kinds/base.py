"""What every rule kind returns (`Hit`s) and the shape every kind has.

A kind reads the per-reply `Context` (`replylint.core.context`) and yields
hits; it never changes the context and never sees another rule's hits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from ..core.context import Context
from ..core.rulespec import RuleBase
from ..models import Severity, Suggestion


@dataclass(frozen=True)
class Hit:
    """A place where a rule fires, in character offsets of the caller's text.

    The optional fields override the rule's defaults for this one hit: a
    message with the numbers filled in, suggestions built from the reply,
    a severity lowered to info when the situation does not call for more.
    """

    start: int
    end: int
    message: str | None = None
    suggestions: tuple[Suggestion, ...] | None = None
    severity: Severity | None = None
    values: dict[str, Any] | None = None  # fills {placeholders} in the rule's message


class CheckedKind:
    """Base of the code kinds that run one named `check` with tunable `params`.

    `PARAMS` maps each check to its parameters and their defaults. Unknown
    parameters in a pack fail at load; the effective value of a parameter is
    the default, then the rule's YAML, then the team's config
    (`[params.CODE]`), which the engine validates against `param_names`.
    """

    PARAMS: ClassVar[dict[str, dict[str, float]]] = {}
    rule: Any

    def __init__(self, rule: Any, vocab: Any, tokenize: Callable[[str], list[str]]) -> None:
        from ..errors import PackError

        self.rule = rule
        unknown = set(getattr(rule, "params", {})) - self.param_names
        if unknown:
            raise PackError(
                f"unknown params for check {rule.check!r}: {', '.join(sorted(unknown))} "
                f"(known: {', '.join(sorted(self.param_names)) or 'none'})"
            )

    @property
    def param_names(self) -> set[str]:
        return set(self.PARAMS.get(self.rule.check, {}))

    def params(self, ctx: Context) -> dict[str, Any]:
        return {
            **self.PARAMS.get(self.rule.check, {}),
            **getattr(self.rule, "params", {}),
            **ctx.params.get(self.rule.code, {}),
        }


class Kind(Protocol):
    """A rule kind: built once from its YAML entry, run once per reply."""

    model: ClassVar[type[RuleBase]]
    lexicon_needs: ClassVar[tuple[str, ...]]
    rule: RuleBase

    def run(self, ctx: Context) -> Iterable[Hit]: ...


def starts_clause(doc: Any, i: int, text: str, openers: frozenset[str]) -> bool:
    """Whether token i opens a sentence, a line, or a clause after one of `openers` (so a capital
    there says nothing about a name or a courtesy form). `text` is the Doc's text, which
    `doc.text` would build again on every call."""
    if i == 0 or doc[i].is_sent_start:
        return True
    j = i - 1
    while j >= 0 and doc[j].is_space:
        if "\n" in doc[j].text:
            return True
        j -= 1
    if j < 0:
        return True
    previous = doc[j]
    if "\n" in previous.whitespace_ or "\n" in text[previous.idx + len(previous.text) : doc[i].idx]:
        return True
    return previous.text in openers or previous.text.endswith((".", "!", "?", ":"))
