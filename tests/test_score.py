"""The scoring formula: severity weights, length normalisation, caps, levels."""

from __future__ import annotations

from replylint.models import Category, Finding, Level, Severity, Span
from replylint.analysis.score import level, score


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
