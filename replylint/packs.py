"""Rule packs: YAML files of rule entries, validated strictly when loaded.

A pack is a YAML list of rules. The shipped packs live in the top-level
`rules/<lang>/` folder of the source tree and inside the wheel as
`replylint/rules/`; a team adds its own folder with the same format. A
broken pack must never half-load: any problem raises `PackError` naming the
file and the rule, so a typo in a team's pack is found when the linter
starts, not silently ignored in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import PackError
from .models import Category, Language, Severity

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


class Examples(_Strict):
    bad: list[str] = Field(min_length=1)
    good: list[str] = Field(min_length=1)


class Suggest(_Strict):
    """How to get out of a finding: advice always, literal replacements when they fit."""

    advice: Localized
    replace: list[str] = Field(default_factory=list)


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


class PhraseRule(RuleBase):
    """Fires on a token pattern, unless an exception pattern says the phrase is benign.

    `unless` cancels a hit it overlaps (an idiom containing the phrase);
    `unless_in_sentence` cancels a hit when it occurs anywhere in the same
    sentence; `requires_in_sentence` demands a companion in the same
    sentence; `unless_nearby` cancels a hit when it occurs in the same or the
    next sentence (an alternative offered right after a refusal).
    """

    kind: Literal["phrase"]
    patterns: list[Pattern] = Field(min_length=1)
    unless: list[Pattern] = Field(default_factory=list)
    unless_in_sentence: list[Pattern] = Field(default_factory=list)
    requires_in_sentence: list[Pattern] = Field(default_factory=list)
    unless_nearby: list[Pattern] = Field(default_factory=list)


Rule = Annotated[Union[PhraseRule], Field(discriminator="kind")]


class _RuleEntry(_Strict):
    rule: Rule


def default_packs_dir() -> Path:
    """The shipped packs: inside the installed package, or the source tree's `rules/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise PackError(f"the shipped rule packs are missing (looked in {here / 'rules'})")


def pack_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise PackError(f"{directory}: rule pack folder not found")
    return sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_file(path: Path) -> list[RuleBase]:
    """Parse and validate one pack file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise PackError(f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read rule pack: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise PackError(f"{path}: a rule pack is a YAML list of rules, got {type(data).__name__}")
    rules: list[RuleBase] = []
    for index, entry in enumerate(data, start=1):
        label = entry.get("code") if isinstance(entry, dict) and entry.get("code") else f"#{index}"
        if not isinstance(entry, dict):
            raise PackError(f"{path}: rule {label}: each rule is a mapping of fields")
        try:
            rules.append(_RuleEntry.model_validate({"rule": entry}).rule)
        except ValidationError as exc:
            raise PackError(f"{path}: rule {label}: {_describe(exc)}") from None
    return rules


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"][1:] if not str(p).startswith("function-"))
        loc = re.sub(r"^phrase\.?", "", loc)
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown field {loc!r}")
        elif error["type"] == "missing":
            parts.append(f"missing field {loc!r}")
        else:
            parts.append(f"{loc or 'value'}: {error['msg']}")
    return "; ".join(parts)


def load_packs(directories: Iterable[Path]) -> tuple[list[RuleBase], dict[tuple[str, str], Path]]:
    """All rules of all folders, refusing a duplicate (code, language) across files."""
    rules: list[RuleBase] = []
    origin: dict[tuple[str, str], Path] = {}
    for directory in directories:
        for path in pack_files(Path(directory)):
            for rule in load_file(path):
                key = (rule.code, rule.lang)
                if key in origin:
                    raise PackError(
                        f"{path}: rule {rule.code}: duplicate code for language {rule.lang!r} "
                        f"(already defined in {origin[key]})"
                    )
                origin[key] = path
                rules.append(rule)
    return rules, origin
