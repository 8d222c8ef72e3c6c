"""Run a pack's own examples as tests: every bad one must fire its rule, every good one must not.

This is the contract of a rule (the shipped packs' parametrised test calls
`run_case` too), so a team develops its own rules the way the shipped ones
are developed: write the examples first, then the pattern, and
`replylint packs test DIR` says which examples still fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import check
from ..core.rulespec import Example, Examples, RuleBase
from ..engine import get_engine

Which = Literal["bad", "good"]


@dataclass(frozen=True)
class ExampleCase:
    rule: RuleBase
    which: Which
    number: int  # 1-based, in the order of the pack
    example: Example

    @property
    def id(self) -> str:
        return f"{self.rule.lang}-{self.rule.code}-{self.which}{self.number}"


@dataclass(frozen=True)
class ExampleResult:
    case: ExampleCase
    fired: bool
    source: Path | None = None

    @property
    def passed(self) -> bool:
        return self.fired == (self.case.which == "bad")

    def describe(self) -> str:
        """One line, like a test runner's failure line."""
        case = self.case
        expectation = "should fire on" if case.which == "bad" else "should stay silent on"
        where = f"{self.source}: " if self.source else ""
        reply = " ".join(case.example.reply.split())
        return f"{where}{case.rule.code} [{case.rule.lang}] {case.which} #{case.number}: {expectation}: {reply!r}"


def cases(rules: Iterable[RuleBase]) -> list[ExampleCase]:
    """Every example of these rules, bad ones first within a rule, in a stable order.

    The bad examples of a rule whose findings come from a server (`fires_offline = False`: the
    `languagetool` kind) are left out: offline they cannot fire. tests/test_grammar.py runs them
    against a stand-in LanguageTool server.
    """
    return [
        ExampleCase(rule, which, number, Examples.as_example(item))
        for rule in sorted(rules, key=lambda r: (r.lang, r.code))
        for which in ("bad", "good")
        if which == "good" or getattr(rule, "fires_offline", True)
        for number, item in enumerate(getattr(rule.examples, which), start=1)
    ]


def run_case(case: ExampleCase, packs: Sequence[Path] = ()) -> ExampleResult:
    """Check the example with only its rule selected; it fires at the rule's own severity or above.

    A rule that lowers its severity for a situation (info when the customer is
    not upset, say) has not fired for that example.
    """
    rule, example = case.rule, case.example
    config: dict[str, object] = {"select": [rule.code], "packs": [str(p) for p in packs]}
    if example.brand is not None:
        config.update(brands={"example": example.brand}, brand="example")
    report = check(example.reply, customer=example.customer, channel=example.channel, lang=rule.lang, config=config)
    floor = rule.severity.rank
    fired = any(f.code == rule.code and f.severity.rank >= floor for f in report.findings)
    return ExampleResult(case, fired)


def run_pack(folder: Path) -> list[ExampleResult]:
    """The examples of every rule defined in `folder`, checked with the shipped packs plus this one.

    Loading the folder is the first test: a pack error (bad YAML, unknown
    field, an ambiguous pattern) raises `PackError` naming file and rule.
    """
    folder = Path(folder).resolve()
    engine = get_engine([folder])
    own = [rule for rule in engine.rules if folder in engine.origin[(rule.code, rule.lang)].parents]
    return [
        ExampleResult(result.case, result.fired, engine.origin[(result.case.rule.code, result.case.rule.lang)])
        for result in (run_case(case, [folder]) for case in cases(own))
    ]
