"""Every rule's own examples: each bad one fires the rule, each good one does not.

This is the contract of a rule pack (issue #2): a rule is not done until its
examples pass here, and a rule without examples cannot even load.
"""

from __future__ import annotations

import pytest

from replylint.authoring.examples import cases, run_case
from replylint.engine import get_engine

ENGINE = get_engine()
RULES = sorted(ENGINE.rules, key=lambda r: (r.lang, r.code))
CASES = cases(RULES)


def _params(which: str) -> list:
    return [pytest.param(case, id=case.id) for case in CASES if case.which == which]


@pytest.mark.parametrize("case", _params("bad"))
def test_bad_example_fires(case) -> None:
    result = run_case(case)
    assert result.passed and result.fired, result.describe()


@pytest.mark.parametrize("case", _params("good"))
def test_good_example_is_silent(case) -> None:
    result = run_case(case)
    assert result.passed and not result.fired, result.describe()


def test_every_rule_has_bad_and_good_examples() -> None:
    for rule in RULES:
        assert rule.examples.bad and rule.examples.good, rule.code


@pytest.mark.parametrize("lang", ["it", "en"])
def test_negative_packs_have_at_least_twelve_rules(lang: str) -> None:
    codes = {r.code for r in RULES if r.lang == lang and r.category.value == "negative"}
    assert len(codes) >= 12, sorted(codes)
