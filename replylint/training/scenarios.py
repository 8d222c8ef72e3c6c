"""Scenarios as data: YAML files, shipped in the wheel and in a team's own folder.

A scenario is what a new agent would face on a real shift: the customer's
message (one or more turns), the channel, the facts the agent can look up,
and what a good answer must do with them. Shipped scenarios live in the
top-level `scenarios/<lang>/` folder (installed as `replylint/scenarios`);
a team adds its own with `--scenarios DIR` or `training.scenarios` in the
config. A malformed file stops loading with the file and the field named:
a scenario that silently loses its facts would grade every agent wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..core.brand import BrandProfile
from ..core.packs import shipped_folder
from ..errors import ScenarioError
from ..models import LATTE_STEPS

Channel = Literal["email", "chat", "social", "sms"]
Step = Literal["listen", "acknowledge", "take_action", "thank", "explain"]

# The situations a new agent must have practised (issue #14): the shipped set covers each in
# both languages, and a team's scenarios may name any of these or "other".
SITUATIONS = (
    "lost_parcel", "damaged_item", "late_delivery", "wrong_item", "refund_delay", "billing_error",
    "double_charge", "account_locked", "out_of_stock", "cancellation", "return_outside_policy",
    "price_complaint", "angry_public_post", "praise", "presale_question", "subscription_renewal",
    "privacy_request", "technical_fault", "complaint_about_agent", "must_refuse",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


class Fact(BaseModel):
    """A fact a good answer must use, and the words that show it was used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Short name, unique in the scenario (shown when the fact is missed).")
    text: str = Field(min_length=1, description="The fact as the agent should convey it (shown as feedback).")
    any: list[str] = Field(
        min_length=1,
        description=("The answer uses the fact when it contains any of these (case, accents and punctuation "
                     "ignored; separators inside numbers too: '48 213' matches '48213')."),
    )

    @field_validator("any")
    @classmethod
    def _not_blank(cls, values: list[str]) -> list[str]:
        if any(not normalise(v) for v in values):
            raise ValueError("every alternative needs a letter or a digit")
        return values


class Scenario(BaseModel):
    """One training ticket."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=1)
    lang: Literal["it", "en"]
    channel: Channel = "email"
    situation: str = Field(description=f"One of {', '.join(SITUATIONS)} or 'other'.")
    brand: BrandProfile | None = Field(default=None, description="The brand's voice, when it matters here.")
    customer: list[str] = Field(min_length=1, description="The customer's messages, oldest first.")
    facts: list[str] = Field(min_length=1, description="What the agent can look up: order, policy, dates.")
    required_facts: list[Fact] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1, description="LATTE steps a good answer takes here.")
    model_answer: str = Field(min_length=1)
    hints: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("lower-case letters, digits and '-', 2 to 64 characters")
        return value

    @field_validator("situation")
    @classmethod
    def _known_situation(cls, value: str) -> str:
        if value not in (*SITUATIONS, "other"):
            raise ValueError(f"unknown situation {value!r}")
        return value

    @field_validator("customer", "facts", "hints")
    @classmethod
    def _no_blank_lines(cls, values: list[str]) -> list[str]:
        if any(not isinstance(v, str) or not v.strip() for v in values):
            raise ValueError("every entry must be non-empty text")
        return values

    @model_validator(mode="after")
    def _unique_fact_ids(self) -> Scenario:
        ids = [f.id for f in self.required_facts]
        if len(ids) != len(set(ids)):
            raise ValueError("required_facts: two facts share an id")
        if len(self.steps) != len(set(self.steps)):
            raise ValueError("steps: a step is listed twice")
        return self

    @property
    def customer_text(self) -> str:
        """The whole conversation so far, as the check's `customer` context."""
        return "\n\n".join(self.customer)

    @property
    def ordered_steps(self) -> list[str]:
        return [step for step in LATTE_STEPS if step in self.steps]


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as blanks, numbers without inner separators: the form
    fact alternatives and answers are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"(?<=\d)[\s.,\-–—/:]+(?=\d)", "", plain)
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


def shipped_dir() -> Path:
    """The shipped scenarios: inside the installed package, or the source tree's `scenarios/`."""
    found, expected = shipped_folder("scenarios")
    if found is None:
        raise ScenarioError(f"the shipped scenarios are missing (looked in {expected})")
    return found


def load_file(path: Path) -> Scenario:
    """One scenario file, or `ScenarioError` naming the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise ScenarioError(f"{path}: not valid YAML{line}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping of fields (id, title, lang, …)")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(file)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ScenarioError(f"{path}: field {field}: {first['msg']}{more}") from None


def load_scenarios(folders: Iterable[Path] | None = None, *, shipped: bool = True) -> list[Scenario]:
    """The shipped scenarios and those of `folders` (YAML files, searched recursively), sorted by
    language and id. Two scenarios with one id is an error naming both files: a team's scenario
    does not silently replace a shipped one."""
    sources = [shipped_dir()] if shipped else []
    for folder in folders or ():
        if not Path(folder).is_dir():
            raise ScenarioError(f"{folder}: scenario folder not found")
        sources.append(Path(folder))
    seen: dict[str, Path] = {}
    found: list[Scenario] = []
    for folder in sources:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file()):
            scenario = load_file(path)
            if scenario.id in seen:
                raise ScenarioError(f"{path}: field id: {scenario.id!r} is already used by {seen[scenario.id]}")
            seen[scenario.id] = path
            found.append(scenario)
    return sorted(found, key=lambda s: (s.lang, s.id))


def find(scenarios: list[Scenario], scenario_id: str) -> Scenario:
    for scenario in scenarios:
        if scenario.id == scenario_id:
            return scenario
    raise ScenarioError(f"no scenario {scenario_id!r} (see 'replylint train list')")
