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
        span = self.doc[start:end]
        return span.start_char, span.end_char

    def find(self, lexicon_entry: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        return self.lexicon.find(lexicon_entry, self.index, start, end)

    @property
    def customer_index(self) -> IndexedDoc | None:
        """The customer's message, run through the same pipeline (quotes masked too)."""

        def build() -> IndexedDoc | None:
            if not self.customer or not self.customer.strip():
                return None
            from ..prepare import prepare

            return IndexedDoc(self.nlp(prepare(self.customer).masked), self.vocabulary)

        return self.cached("customer_index", build)


class Kind(Protocol):
    """A rule kind: built once from its YAML entry, run once per reply."""

    model: ClassVar[type[RuleBase]]
    lexicon_needs: ClassVar[tuple[str, ...]]
    rule: RuleBase

    def run(self, ctx: Context) -> Iterable[Hit]: ...
