"""The fields every rule entry has, whatever its kind (the YAML schema's common half).

Kind-specific fields live beside each kind's code in `replylint/kinds/`.
"""

from __future__ import annotations

import re
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models import Category, Channel, Language, Severity
from . import backtracking

CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

Pattern = Union[str, list[dict[str, Any]]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """Text every rule carries in both languages, so `explain` can teach in either."""

    it: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.it if lang == "it" else self.en


class Example(_Strict):
    """An example that needs more than a sentence: a whole e-mail, a channel, the customer's message."""

    reply: str = Field(min_length=1)
    customer: str | None = None
    channel: Channel | None = None
    brand: dict[str, Any] | None = None  # a brand profile (replylint.core.brand.BrandProfile fields) for brand rules


class FixExample(_Strict):
    """What `replylint fix` makes of a draft: `before` is rewritten to exactly `after`."""

    before: str = Field(min_length=1)
    after: str
    unsafe: bool = False  # the fix needs --unsafe


class Examples(_Strict):
    bad: list[Union[str, Example]] = Field(min_length=1)
    good: list[Union[str, Example]] = Field(min_length=1)
    fixes: list[FixExample] = Field(default_factory=list)

    @staticmethod
    def as_example(item: Union[str, Example]) -> Example:
        return item if isinstance(item, Example) else Example(reply=item)


class Rewrite(_Strict):
    """A replacement computed from the flagged text: the first match of `pattern` (a regex,
    case-insensitive) inside the finding's excerpt becomes `to` (`\\1` refers to a group), the
    rest of the excerpt stays. Safe unless `unsafe`: safe rewrites cannot change what the reply
    says (a hedge for an absolute, a neutral phrase for a blaming one); `replylint fix` applies
    unsafe ones only when asked."""

    pattern: str
    to: str
    unsafe: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"rewrite pattern does not compile: {exc}") from None
        return value


class Suggest(_Strict):
    """How to get out of a finding: advice always, literal replacements when they fit, rewrites
    of the flagged text when the fix depends on the words matched."""

    advice: Localized
    replace: list[str] = Field(default_factory=list)
    rewrite: list[Rewrite] = Field(default_factory=list)


class RuleBase(_Strict):
    code: str
    name: str
    category: Category
    severity: Severity
    lang: Language
    enabled: bool = True
    summary: Localized = Field(description="What it checks, one sentence.")
    message: Localized
    rationale: Localized = Field(description="Why it matters: the principle behind the rule.")
    suggest: Suggest
    examples: Examples

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not CODE_RE.match(value):
            raise ValueError("a code is 2–5 capital letters and 3 digits, e.g. NEG101")
        return value

    @field_validator("name")
    @classmethod
    def _name_shape(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError("a name is lower-case words joined by hyphens, e.g. dead-end-refusal")
        return value


def compiled_regexes(values: list[str], what: str = "regex") -> list[str]:
    """Validator helper: every value compiles as a Python regex and cannot backtrack
    catastrophically (`backtracking.check`), or the pack fails naming it."""
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{what} {value!r} does not compile: {exc}") from None
        backtracking.check(value)
    return values
