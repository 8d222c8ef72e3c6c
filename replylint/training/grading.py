"""Grade a trainee's answer to a scenario: the check's findings plus what only the scenario knows.

`replylint.check` judges a reply without knowing the case; its level model
was fitted on real replies, which reviewers put at "below average" or
"average" nearly always, so it almost never says "stellar" whatever the
reply. In training the scenario says what the answer had to contain: the
facts (order number, date, refund amount) and the LATTE steps this case
needs. The training grade is the transparent penalty sum of `analysis.score`
(info 3, warning 15, error 30, per 75 words; an error caps at 39, a warning
at 59) with two more kinds of penalty:

* a required fact missing: 15 and the warning cap (59) — an answer that
  leaves out the refund date is not ready to send;
* a required LATTE step missing: 10 and a cap of 74 (average at best);
* an answer in the other language than the customer's: capped at 39.

So an answer with no warning, every fact and every step is "stellar" unless
advice findings pile up, and the reason for any lower level is listed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from .. import check, fix
from ..analysis.score import level as level_of
from ..analysis.score import score as penalty_score
from ..config import Config
from ..models import LATTE_STEPS, Finding, Level, Report, Severity
from ..text.language import detect as detect_language
from .scenarios import Scenario, normalise

FACT_PENALTY, FACT_CAP = 15, 59
STEP_PENALTY, STEP_CAP = 10, 74
WRONG_LANGUAGE_CAP = 39  # an English answer to an Italian customer cannot be sent
_BRAND = "scenario"


class FactResult(BaseModel):
    id: str
    text: str
    used: bool


class StepResult(BaseModel):
    step: str
    required: bool
    present: bool


class Grade(BaseModel):
    """One graded attempt, as the CLI prints it and the history stores it."""

    scenario: str
    lang: str
    agent: str
    score: int = Field(ge=0, le=100)
    level: Level
    findings: list[Finding]
    steps: list[StepResult]
    facts: list[FactResult]
    rewrite: str | None = Field(description="`replylint fix`'s safe rewrite of the answer, when it changes anything.")
    check_score: int | None = Field(description="What `replylint check` alone says, for comparison.")
    check_level: Level | None
    answered_at: str = Field(description="UTC, ISO 8601.")
    seconds: float | None = Field(description="Time spent writing the answer, when known.")
    reasons: list[str] = Field(description="Why the grade is not higher, in the scenario's language.")

    @property
    def facts_used(self) -> list[str]:
        return [f.id for f in self.facts if f.used]

    @property
    def facts_missed(self) -> list[str]:
        return [f.id for f in self.facts if not f.used]

    def summary(self) -> dict[str, Any]:
        """The JSON form of `replylint train --answer`: everything a learning platform stores."""
        data = self.model_dump(mode="json")
        data["facts_used"], data["facts_missed"] = self.facts_used, self.facts_missed
        return data


def uses_fact(answer: str, alternatives: list[str]) -> bool:
    haystack = f" {normalise(answer)} "
    return any(f" {normalise(alt)} " in haystack for alt in alternatives)


def _config(scenario: Scenario, config: Config | None) -> Config:
    base = config or Config()
    if scenario.brand is None:
        return base
    return base.model_copy(update={"brands": {**base.brands, _BRAND: scenario.brand}, "brand": _BRAND})


def grade(
    scenario: Scenario, answer: str, *, agent: str = "", config: Config | None = None, seconds: float | None = None
) -> Grade:
    """Check `answer` in the scenario's context and grade it (see the module docstring)."""
    settings = {"customer": scenario.customer_text, "lang": scenario.lang, "channel": scenario.channel,
                "config": _config(scenario, config)}
    report: Report = check(answer, **settings)  # type: ignore[arg-type]
    fixed = fix(answer, **settings)  # type: ignore[arg-type]
    findings = report.findings
    facts = [FactResult(id=f.id, text=f.text, used=uses_fact(answer, f.any)) for f in scenario.required_facts]
    present = {step: bool(report.latte and getattr(report.latte, step).present) for step in LATTE_STEPS}
    steps = [StepResult(step=s, required=s in scenario.steps, present=present[s]) for s in LATTE_STEPS]
    value = penalty_score(findings, report.words)
    missed_facts = [f for f in facts if not f.used]
    missed_steps = [s for s in steps if s.required and not s.present]
    value -= FACT_PENALTY * len(missed_facts) + STEP_PENALTY * len(missed_steps)
    if missed_facts:
        value = min(value, FACT_CAP)
    if missed_steps:
        value = min(value, STEP_CAP)
    written_in = detect_language(answer).language
    wrong_language = written_in != scenario.lang and len(answer.split()) >= 3
    if wrong_language:
        value = min(value, WRONG_LANGUAGE_CAP)
    value = max(0, min(100, value))
    reasons = _reasons(scenario.lang, findings, missed_facts, missed_steps)
    if wrong_language:
        reasons.insert(0, _REASONS["language"][scenario.lang])
    return Grade(
        scenario=scenario.id, lang=scenario.lang, agent=agent, score=value, level=level_of(value),
        findings=findings, steps=steps, facts=facts, rewrite=fixed.text if fixed.edits else None,
        check_score=report.score, check_level=report.level,
        answered_at=datetime.now(UTC).isoformat(timespec="seconds"), seconds=seconds,
        reasons=reasons,
    )


# The LATTE steps as a trainee reads them, in the terminal and in the team lead's report.
STEP_NAMES = {
    "listen": {"en": "listen", "it": "ascolta"},
    "acknowledge": {"en": "acknowledge", "it": "riconosci"},
    "take_action": {"en": "take action", "it": "agisci"},
    "thank": {"en": "thank", "it": "ringrazia"},
    "explain": {"en": "explain", "it": "spiega"},
}


def step_name(step: str, lang: str) -> str:
    """A LATTE step's name in `lang`; an id this version does not know (an old history row) as it is."""
    return STEP_NAMES[step][lang] if step in STEP_NAMES else step.replace("_", " ")


# Counted reasons, (singular, plural): "1 avviso", "2 avvisi".
_COUNTED = {
    "error": {"en": ("1 error: must be fixed before sending", "{n} errors: must be fixed before sending"),
              "it": ("1 errore: da correggere prima dell'invio", "{n} errori: da correggere prima dell'invio")},
    "warning": {"en": ("1 warning", "{n} warnings"), "it": ("1 avviso", "{n} avvisi")},
}
_REASONS = {
    "language": {"en": "the answer is not in English, the customer's language",
                 "it": "la risposta non è in italiano, la lingua del cliente"},
    "fact": {"en": "fact not used: {text}", "it": "informazione non usata: {text}"},
    "step": {"en": "LATTE step missing: {step}", "it": "passo LATTE mancante: {step}"},
}


def _reasons(lang: str, findings: list[Finding], facts: list[FactResult], steps: list[StepResult]) -> list[str]:
    out = []
    for severity in (Severity.error, Severity.warning):
        n = sum(f.severity is severity for f in findings)
        if n:
            one, many = _COUNTED[severity.value][lang]
            out.append(one if n == 1 else many.format(n=n))
    out += [_REASONS["fact"][lang].format(text=f.text) for f in facts]
    out += [_REASONS["step"][lang].format(step=step_name(s.step, lang)) for s in steps]
    return out


