"""What every rule kind receives (a `Context`) and returns (`Hit`s).

A kind reads the context and yields hits; it never changes the context and
never sees another rule's hits. Analyses several rules share — LATTE
coverage, readability, the customer's key facts — are computed once per
reply, on first use, and cached on the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from spacy.language import Language as SpacyLanguage
from spacy.tokens import Doc

from ..matching import IndexedDoc, Vocabulary
from ..models import Severity, Suggestion
from ..rulespec import RuleBase

if TYPE_CHECKING:
    from ..brand import BrandProfile
    from ..lexicon import Lexicon


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


@dataclass
class Context:
    text: str  # exactly as the caller gave it
    masked: str  # same length; quoted history and signature blanked out
    doc: Doc  # of `masked`
    index: IndexedDoc
    lang: str
    channel: str
    customer: str | None
    lexicon: Lexicon
    nlp: SpacyLanguage
    vocabulary: Vocabulary
    message_lang: str = "en"
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # config overrides per code
    brand: BrandProfile | None = None  # the brand profile chosen for this check, if any
    _cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def span_chars(self, start: int, end: int) -> tuple[int, int]:
        """Token span → character span."""
        return self.index.char_span(start, end)

    def find(self, lexicon_entry: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        return self.lexicon.find(lexicon_entry, self.index, start, end)

    @property
    def customer_text(self) -> str | None:
        """The customer's message; without one, the lines the reply quotes with ">"."""

        def build() -> str | None:
            from ..prepare import quoted_customer_lines

            if self.customer and self.customer.strip():
                return self.customer
            quoted = quoted_customer_lines(self.text)
            return quoted if quoted.strip() else None

        return self.cached("customer_text", build)

    @property
    def customer_index(self) -> IndexedDoc | None:
        """The customer's message run through the same pipeline, its quoted history masked."""

        def build() -> IndexedDoc | None:
            from ..prepare import prepare

            text = self.customer_text
            if text is None:
                return None
            return IndexedDoc(self.nlp(prepare(text, inline_quotes=False).masked), self.vocabulary)

        return self.cached("customer_index", build)


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
