"""The per-reply context every rule kind and analysis reads.

Built once per reply by the engine: the caller's text, the same text with
quoted history and signature blanked out, its spaCy `Doc` and match index,
the customer's message, the chosen brand profile. Analyses that several
rules share (LATTE coverage, layout, the customer's key facts) are computed
on first use and cached here, so no rule computes them twice and no rule
sees another rule's hits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.language import Language as SpacyLanguage
from spacy.tokens import Doc

from .matching import IndexedDoc, Vocabulary

if TYPE_CHECKING:
    from .brand import BrandProfile
    from .lexicon import Lexicon


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
            from ..text.prepare import quoted_customer_lines

            if self.customer and self.customer.strip():
                return self.customer
            quoted = quoted_customer_lines(self.text)
            return quoted if quoted.strip() else None

        return self.cached("customer_text", build)

    @property
    def customer_index(self) -> IndexedDoc | None:
        """The customer's message run through the same pipeline, its quoted history masked."""

        def build() -> IndexedDoc | None:
            from ..text.prepare import prepare

            text = self.customer_text
            if text is None:
                return None
            return IndexedDoc(self.nlp(prepare(text, inline_quotes=False).masked), self.vocabulary)

        return self.cached("customer_index", build)
