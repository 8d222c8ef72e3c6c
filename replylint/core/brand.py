"""Brand profiles: the constant voice a support team writes in (domain.md §5).

A config holds several profiles, chosen by name (`check(..., brand="acme")`,
`replylint check --brand acme`, or `brand = "acme"` in the config file):

    [brands.acme]
    formality = "lei"                  # it: tu | lei | voi; en: casual | neutral | formal
    emoji = "never"                    # never | positive-only | allowed
    max_exclamations = 1
    avoid = { "problema" = "situazione" }
    terms = ["Orange Peeler 2000"]
    signoff = "Il team Acme"           # required at the end of an e-mail
    greeting = "Gentile"               # how an e-mail must open

`formality` is one value (it applies to the language it belongs to: tu/lei/voi
to Italian replies, casual/neutral/formal to English ones) or a table with
both, `formality = { it = "lei", en = "formal" }`. `signoff` and `greeting`
are literal text (compared case-insensitively, white space collapsed) or a
`/regular expression/`. Rules that need a profile stay silent without one.
"""

from __future__ import annotations

import re
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

ItalianFormality = Literal["tu", "lei", "voi"]
EnglishFormality = Literal["casual", "neutral", "formal"]
_FORMALITY_LANG = {"tu": "it", "lei": "it", "voi": "it", "casual": "en", "neutral": "en", "formal": "en"}


class Formality(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    it: ItalianFormality | None = None
    en: EnglishFormality | None = None


class BrandProfile(BaseModel):
    """One brand's voice. Every field is optional: an unset field checks nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    formality: Union[Formality, None] = Field(
        default=None, description="it: tu | lei | voi; en: casual | neutral | formal (one value or {it, en})."
    )
    emoji: Literal["never", "positive-only", "allowed"] = Field(
        default="allowed", description="never | positive-only (not next to an apology or bad news) | allowed."
    )
    max_exclamations: int | None = Field(default=None, ge=0, description="Most '!' one reply may have.")
    avoid: dict[str, str] = Field(
        default_factory=dict, description="Phrase the brand never uses → the phrase it uses instead."
    )
    terms: list[str] = Field(default_factory=list, description="Names with their exact spelling and capitals.")
    signoff: str | None = Field(default=None, description="Required e-mail sign-off: text or /regex/.")
    greeting: str | None = Field(default=None, description="Required e-mail opening: text or /regex/.")

    @field_validator("formality", mode="before")
    @classmethod
    def _one_or_both(cls, value: object) -> object:
        if isinstance(value, str):
            lang = _FORMALITY_LANG.get(value.strip().lower())
            if lang is None:
                raise ValueError("expected one of tu, lei, voi (Italian) or casual, neutral, formal (English)")
            return {lang: value.strip().lower()}
        return value

    @field_validator("avoid")
    @classmethod
    def _no_empty_phrases(cls, value: dict[str, str]) -> dict[str, str]:
        if any(not k.strip() for k in value):
            raise ValueError("an avoided phrase must not be empty")
        return value

    @field_validator("terms")
    @classmethod
    def _no_empty_terms(cls, value: list[str]) -> list[str]:
        if any(not t.strip() for t in value):
            raise ValueError("a term must not be empty")
        return [t.strip() for t in value]

    @field_validator("signoff", "greeting")
    @classmethod
    def _text_or_regex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("must not be empty")
        if _is_regex(value):
            try:
                re.compile(value.strip()[1:-1])
            except re.error as exc:
                raise ValueError(f"expected a valid regular expression between slashes ({exc})") from None
        return value

    def formality_for(self, lang: str) -> str | None:
        return getattr(self.formality, lang, None) if self.formality is not None else None


def _is_regex(value: str) -> bool:
    value = value.strip()
    return len(value) > 2 and value.startswith("/") and value.endswith("/")


def text_matcher(value: str) -> re.Pattern[str]:
    """A brand's signoff/greeting as a compiled, case-insensitive pattern."""
    if _is_regex(value):
        return re.compile(value.strip()[1:-1], re.IGNORECASE | re.MULTILINE)
    words = [re.escape(w) for w in value.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)
