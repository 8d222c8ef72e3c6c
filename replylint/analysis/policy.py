"""The pre-send decision: allow, warn or block a reply, from its report.

A team writes the policy in its config file:

    [policy]
    block_on_error = true        # any error-level finding blocks the send
    min_score = 40               # a score under this blocks the send
    warn_on_warning = true       # warning-level findings warn (the agent may still send)

    [policy.channels.chat]       # per channel ...
    min_score = 30

    [policy.brands.acme]         # ... and per brand (wins over the channel)
    min_score = 60
    [policy.brands.acme.channels.sms]   # brand + channel, the most specific
    block_on_error = false

Overrides only name what they change; everything else comes from the level
above. Precedence: base < channel < brand < brand + channel.

This module depends on `models` only, so `config` can import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Finding, Report, Severity
from .score import report_score

Decision = Literal["allow", "warn", "block"]
_RANK: dict[str, int] = {"allow": 0, "warn": 1, "block": 2}


class PolicyOverride(BaseModel):
    """Fields a brand or channel may change; None keeps the value from the level above."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    block_on_error: bool | None = None
    min_score: int | None = Field(default=None, ge=0, le=100)
    warn_on_warning: bool | None = None
    warn_on_info: bool | None = None
    warn_below_score: int | None = Field(default=None, ge=0, le=100)
    unchecked: Decision | None = None
    block_codes: list[str] | None = None


class BrandPolicy(PolicyOverride):
    channels: dict[str, PolicyOverride] = Field(
        default_factory=dict, description="Overrides for this brand on one channel."
    )


class Policy(BaseModel):
    """What the pre-send hook does with a report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    block_on_error: bool = Field(default=True, description="Block when any finding is an error.")
    min_score: int | None = Field(
        default=None, ge=0, le=100, description="Block when the score is under this (None: no floor)."
    )
    warn_on_warning: bool = Field(default=True, description="Warn when any finding is a warning.")
    warn_on_info: bool = Field(default=False, description="Warn when any finding is informational.")
    warn_below_score: int | None = Field(
        default=None, ge=0, le=100, description="Warn when the score is under this (None: no floor)."
    )
    unchecked: Decision = Field(
        default="allow",
        description="Decision for a reply that could not be checked (not Italian or English, nothing to check).",
    )
    block_codes: list[str] = Field(
        default_factory=list, description="Codes or prefixes that block whatever their severity."
    )
    channels: dict[str, PolicyOverride] = Field(default_factory=dict)
    brands: dict[str, BrandPolicy] = Field(default_factory=dict)

    def resolve(self, *, brand: str | None = None, channel: str | None = None) -> Policy:
        """The effective policy for one brand and channel (without the override tables)."""
        values = self.model_dump(exclude={"channels", "brands"})
        layers: list[PolicyOverride] = []
        if channel is not None and channel in self.channels:
            layers.append(self.channels[channel])
        brand_policy = self.brands.get(brand) if brand is not None else None
        if brand_policy is not None:
            layers.append(brand_policy)
            if channel is not None and channel in brand_policy.channels:
                layers.append(brand_policy.channels[channel])
        for layer in layers:
            values.update(layer.model_dump(exclude_none=True, exclude={"channels"}))
        return Policy.model_validate(values)

    def decide(
        self,
        report: Report,
        *,
        brand: str | None = None,
        accept: Iterable[str] = (),
    ) -> tuple[Decision, list[Reason]]:
        """Decision and reasons for `report`.

        Findings whose code matches `accept` (codes or prefixes the agent has
        acknowledged) are still reported but do not count towards the
        decision, and the score the floors compare against is recomputed
        without them.
        """
        effective = self.resolve(brand=brand, channel=report.channel)
        accepted = tuple(code.strip().upper() for code in accept if code and code.strip())
        counted = [f for f in report.findings if not f.code.startswith(accepted or ("\0",))]
        reasons: list[Reason] = []

        if report.score is None:
            note = report.notes[0].code if report.notes else "not-checked"
            reasons.append(
                Reason(
                    code="not-checked",
                    decision=effective.unchecked,
                    message=f"the reply was not checked ({note}); policy 'unchecked' is {effective.unchecked}",
                )
            )
            return effective.unchecked, reasons

        score = (
            report_score(counted, latte=report.latte, words=report.words, channel=report.channel,
                         lang=report.language, learned=report.learned)
            if len(counted) != len(report.findings) else report.score
        )
        block_codes = tuple(c.strip().upper() for c in effective.block_codes if c.strip())
        if block_codes:
            hits = _codes(f for f in counted if f.code.startswith(block_codes))
            if hits:
                reasons.append(Reason(code="blocked-code", decision="block", codes=hits,
                                      message=f"findings the policy always blocks: {', '.join(hits)}"))
        if effective.block_on_error:
            reasons += _by_severity(counted, Severity.error, "error-finding", "block", "error-level findings")
        if effective.min_score is not None and score < effective.min_score:
            reasons.append(Reason(code="score-below-minimum", decision="block",
                                  message=f"score {score} is under the minimum of {effective.min_score}"))
        if effective.warn_on_warning:
            reasons += _by_severity(counted, Severity.warning, "warning-finding", "warn", "warning-level findings")
        if effective.warn_on_info:
            reasons += _by_severity(counted, Severity.info, "info-finding", "warn", "informational findings")
        if effective.warn_below_score is not None and score < effective.warn_below_score:
            reasons.append(Reason(code="score-below-warning", decision="warn",
                                  message=f"score {score} is under the warning floor of {effective.warn_below_score}"))
        decision: Decision = max((r.decision for r in reasons), key=_RANK.__getitem__, default="allow")
        return decision, reasons


def _by_severity(
    findings: list[Finding], severity: Severity, code: str, decision: Decision, label: str
) -> list[Reason]:
    """One reason naming the codes of the findings at exactly this severity, or none."""
    hits = _codes(f for f in findings if f.severity is severity)
    return [Reason(code=code, decision=decision, codes=hits, message=f"{label}: {', '.join(hits)}")] if hits else []


class Reason(BaseModel):
    """Why the decision is what it is: one line for the agent, and the codes behind it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Literal[
        "not-checked", "blocked-code", "error-finding", "score-below-minimum",
        "warning-finding", "info-finding", "score-below-warning",
    ]
    decision: Decision
    message: str
    codes: list[str] = Field(default_factory=list)


def _codes(findings: Iterable[Finding]) -> list[str]:
    return sorted({f.code for f in findings})
