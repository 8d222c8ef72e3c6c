"""Every rule's own examples: each bad one fires the rule, each good one does not.

This is the contract of a rule pack (issue #2): a rule is not done until its
examples pass here, and a rule without examples cannot even load.
"""

from __future__ import annotations

import pytest

import replylint
from replylint.engine import get_engine
from replylint.core.rulespec import Examples

ENGINE = get_engine()
RULES = sorted(ENGINE.rules, key=lambda r: (r.lang, r.code))


def _cases(which: str) -> list:
    return [
        pytest.param(rule, example, id=f"{rule.lang}-{rule.code}-{which}{i}")
        for rule in RULES
        for i, example in enumerate(getattr(rule.examples, which), start=1)
    ]


def _codes(rule, item) -> list[str]:
    """Codes at warning or above (or any severity for a rule that is info by design)."""
    example = Examples.as_example(item)
    config: dict = {"select": [rule.code]}
    if example.brand is not None:
        config.update(brands={"example": example.brand}, brand="example")
    report = replylint.check(
        example.reply, customer=example.customer, channel=example.channel, lang=rule.lang, config=config,
    )
    floor = rule.severity.rank
    return [f.code for f in report.findings if f.severity.rank >= floor]


@pytest.mark.parametrize(("rule", "example"), _cases("bad"))
def test_bad_example_fires(rule, example) -> None:
    assert rule.code in _codes(rule, example), f"{rule.code} should fire on: {example}"


@pytest.mark.parametrize(("rule", "example"), _cases("good"))
def test_good_example_is_silent(rule, example) -> None:
    assert rule.code not in _codes(rule, example), f"{rule.code} should stay silent on: {example}"


def test_every_rule_has_bad_and_good_examples() -> None:
    for rule in RULES:
        assert rule.examples.bad and rule.examples.good, rule.code


@pytest.mark.parametrize("lang", ["it", "en"])
def test_negative_packs_have_at_least_twelve_rules(lang: str) -> None:
    codes = {r.code for r in RULES if r.lang == lang and r.category.value == "negative"}
    assert len(codes) >= 12, sorted(codes)
