"""The scoring: the penalty-sum fallback (weights, length, caps, levels) and the fitted level model's guarantees."""

from __future__ import annotations

import itertools

import pytest

from replylint.analysis import levels
from replylint.analysis.score import level, report_score, score
from replylint.models import Category, Finding, Latte, LatteStep, Level, Severity, Span


def _finding(severity: str) -> Finding:
    return Finding(
        code="XX101", name="x", category=Category.negative, severity=Severity(severity),
        span=Span(start=0, end=1), excerpt="x", line=1, column=1, message="m",
    )


def test_no_findings_is_100_and_stellar() -> None:
    assert score([], 10) == 100
    assert level(100) is Level.stellar


def test_long_replies_are_not_punished_for_their_length() -> None:
    infos = [_finding("info")] * 3
    assert score(infos, 40) == 91  # 100 − 9 / 1 unit
    assert score(infos, 300) == 98  # 100 − 9 / 4 units
    assert score(infos, 300) > score(infos, 40)


def test_a_warning_caps_below_average_and_an_error_at_unacceptable() -> None:
    assert score([_finding("warning")], 750) == 59
    assert level(59) is Level.below_average
    assert score([_finding("error")], 750) == 39
    assert level(39) is Level.unacceptable


def test_many_warnings_in_a_short_reply_sink_to_unacceptable() -> None:
    assert level(score([_finding("warning")] * 5, 40)) is Level.unacceptable


def test_infos_alone_never_drop_below_average() -> None:
    assert level(score([_finding("info")] * 10, 60)) is Level.average
    assert score([_finding("info")] * 50, 60) == 60


def test_level_boundaries() -> None:
    assert [level(v) for v in (90, 89, 75, 74, 60, 59, 40, 39, 0)] == [
        Level.stellar, Level.above_average, Level.above_average, Level.average, Level.average,
        Level.below_average, Level.below_average, Level.unacceptable, Level.unacceptable,
    ]


# -- the fitted level model (levels.json) ------------------------------------------------------


def _category_finding(severity: str, category: Category) -> Finding:
    return _finding(severity).model_copy(update={"category": category})


def _latte() -> Latte:
    step = LatteStep(present=True)
    return Latte(expected=True, listen=step, acknowledge=step, take_action=step, thank=step, explain=step)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_finding_never_raises_the_fitted_score(lang: str) -> None:
    """Whatever the real replies taught the model, one more finding of any category and severity
    never makes a reply score higher (the fit holds finding weights at zero or below)."""
    assert levels.model(lang) is not None
    learned = {label: 0.5 for label in levels.LEARNED_LABELS}
    categories = [Category.negative, Category.promise, Category.structure, Category.tone, Category.brand,
                  Category.deflection, Category.latte]
    for first, second in itertools.product(categories, repeat=2):
        for severity in ("info", "warning", "error"):
            base = [_category_finding("info", first)]
            more = [*base, _category_finding(severity, second)]
            kwargs = {"latte": _latte(), "words": 60, "channel": "email", "lang": lang, "learned": learned}
            assert report_score(more, **kwargs) <= report_score(base, **kwargs), (first, second, severity)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_with_the_fitted_model_a_warning_is_at_best_average_and_an_error_unacceptable(lang: str) -> None:
    kwargs = {"latte": _latte(), "words": 60, "channel": "email", "lang": lang,
              "learned": {label: 0.0 for label in levels.LEARNED_LABELS}}
    assert report_score([], **kwargs) >= 60
    assert report_score([_category_finding("warning", Category.brand)] * 7, **kwargs) <= 74
    assert level(report_score([_category_finding("error", Category.tone)], **kwargs)) is Level.unacceptable
