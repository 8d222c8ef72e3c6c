"""Public data models of a check: everything a caller receives is one of these.

They are pydantic v2 models so that a report can cross a process boundary
(JSON over HTTP, a CLI pipe) and come back as the same typed object.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Severity(str, Enum):
    """How much a finding matters; ordered so policies can say "at or above"."""

    info = "info"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.info: 0, Severity.warning: 1, Severity.error: 2}


class Category(str, Enum):
    """The families of the rule catalogue (domain.md §1–§6); the corpus labels use the same names."""

    negative = "negative"
    latte = "latte"
    promise = "promise"
    structure = "structure"
    readability = "readability"
    deflection = "deflection"
    tone = "tone"
    brand = "brand"
    quality = "quality"


class Level(str, Enum):
    """The five service levels a score maps onto (domain.md §7)."""

    unacceptable = "unacceptable"
    below_average = "below_average"
    average = "average"
    above_average = "above_average"
    stellar = "stellar"


LEVEL_LABELS: dict[Level, dict[str, str]] = {
    Level.unacceptable: {"en": "unacceptable", "it": "inaccettabile"},
    Level.below_average: {"en": "below average", "it": "inferiore alla media"},
    Level.average: {"en": "average", "it": "nella media"},
    Level.above_average: {"en": "above average", "it": "superiore alla media"},
    Level.stellar: {"en": "stellar", "it": "stellare"},
}

Language = Literal["it", "en"]
Channel = Literal["email", "chat", "social", "sms"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """Character offsets into the text exactly as the caller passed it (end exclusive)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError("span end must not be before its start")
        return self


class Suggestion(_Frozen):
    """A way out of a finding.

    `replacement` is text that can be pasted over the finding's span as it
    is; `insert` is a sentence to add next to the span (a missing LATTE
    step); when neither makes sense only `advice` is given. `unsafe`: the
    change could alter what the reply says, so `replylint fix` applies it
    only with `--unsafe` (an insert always counts as unsafe).
    """

    advice: str
    replacement: str | None = None
    insert: str | None = None
    unsafe: bool = False


class Finding(_Frozen):
    code: str
    name: str
    category: Category
    severity: Severity
    span: Span
    excerpt: str
    line: int = Field(ge=1, description="1-based line of span.start")
    column: int = Field(ge=1, description="1-based column of span.start")
    message: str
    suggestions: list[Suggestion] = Field(default_factory=list)


class Note(_Frozen):
    """Something the caller should know about the check itself, not the reply."""

    code: str
    message: str


class LatteStep(_Frozen):
    present: bool
    evidence: list[Span] = Field(default_factory=list, description="Where the reply does this step.")


class Latte(_Frozen):
    """LATTE coverage: Listen, Acknowledge, Take action, Thank, Explain (domain.md §2)."""

    expected: bool = Field(
        description="True when the customer message or the reply shows a complaint or problem; "
        "then every step is expected, otherwise missing steps are only informational."
    )
    listen: LatteStep
    acknowledge: LatteStep
    take_action: LatteStep
    thank: LatteStep
    explain: LatteStep

    @property
    def missing(self) -> list[str]:
        return [step for step in LATTE_STEPS if not getattr(self, step).present]


LATTE_STEPS = ("listen", "acknowledge", "take_action", "thank", "explain")


class Readability(_Frozen):
    """Gulpease (Italian, 0–100) or Flesch reading ease (English, higher is easier)."""

    metric: Literal["gulpease", "flesch"]
    score: float
    words: int = Field(ge=0)
    sentences: int = Field(ge=0)
    words_per_sentence: float = Field(ge=0)
    longest_sentence_words: int = Field(ge=0)


class Report(_Frozen):
    language: Language | None = Field(
        description="Language the reply was checked as; None when it is neither Italian nor English."
    )
    detected_language: str | None = Field(
        default=None, description="What language detection saw (ISO 639-1), even when unsupported."
    )
    channel: Channel = "email"
    findings: list[Finding] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    score: int | None = Field(
        default=None, ge=0, le=100, description="0–100; None when the reply could not be checked."
    )
    level: Level | None = Field(default=None, description="Service level of the score.")
    words: int = Field(ge=0)
    latte: Latte | None = Field(default=None, description="LATTE coverage, when the reply was checked.")
    readability: Readability | None = Field(default=None, description="Always reported for a checked reply.")
    learned: dict[str, float] | None = Field(
        default=None,
        description="The trained detectors' scores (0–1) for this reply, per label, when the language has them; "
        "the level model reads them.",
    )

    def at_or_above(self, severity: Severity | str) -> list[Finding]:
        """Findings whose severity is at least `severity` (what a fail-on policy needs)."""
        floor = Severity(severity).rank
        return [f for f in self.findings if f.severity.rank >= floor]
