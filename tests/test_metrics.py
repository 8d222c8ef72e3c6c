"""The agreement measures the quality figures rest on, checked against hand-computed values."""

from __future__ import annotations

import pytest

from replylint.evaluation.metrics import (
    agreement,
    binary_scores,
    bootstrap,
    cohen_kappa,
    weighted_kappa,
    within_one,
)


def test_cohen_kappa_matches_the_textbook_example() -> None:
    # 50 items: both yes 20, a-yes/b-no 5, a-no/b-yes 10, both no 15 → po 0.70, pe 0.50, κ 0.40
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa([True] * 5, [True] * 5) is None  # chance agreement is total


def test_quadratic_weighted_kappa() -> None:
    assert weighted_kappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    # a constant one-level shift keeps most of the ordering: κw stays high, exact agreement is 0
    a, b = [1, 2, 3, 4, 5, 1, 2, 3, 4], [2, 3, 4, 5, 5, 2, 3, 4, 5]
    assert 0.7 < weighted_kappa(a, b) < 1.0
    assert agreement(a, b) == pytest.approx(1 / 9)
    assert within_one(a, b) == 1.0
    # reversed order is worse than chance
    assert weighted_kappa([1, 2, 4, 5], [5, 4, 2, 1]) < 0
    # hand-computed: a=[1,1,5,5], b=[1,5,1,5] → observed weighted disagreement 0.5, expected 0.5 → 0
    assert weighted_kappa([1, 1, 5, 5], [1, 5, 1, 5]) == pytest.approx(0.0)


def test_binary_scores_and_their_intervals() -> None:
    truth = [True] * 40 + [False] * 60
    predicted = [True] * 30 + [False] * 10 + [True] * 10 + [False] * 50
    scores = binary_scores(truth, predicted)
    assert (scores.support, scores.flagged, scores.true_positives) == (40, 40, 30)
    assert scores.precision.value == pytest.approx(0.75)
    assert scores.recall.value == pytest.approx(0.75)
    assert scores.f1.value == pytest.approx(0.75)
    for interval in (scores.precision, scores.recall, scores.f1):
        assert interval.low < interval.value < interval.high
        assert interval.high - interval.low < 0.4
    assert binary_scores(truth, predicted) == scores  # fixed seed: the same figures every run


def test_undefined_figures_are_none_not_zero_or_one() -> None:
    scores = binary_scores([False, False, True], [False, False, False])
    assert scores.precision.value is None  # nothing flagged
    assert scores.recall.value == 0.0
    none = binary_scores([False] * 3, [False] * 3)
    assert none.precision.value is None and none.recall.value is None and none.f1.value is None


def test_bootstrap_interval_brackets_the_statistic() -> None:
    a = [1, 2, 3, 4, 5] * 20
    b = [1, 2, 3, 5, 4] * 20
    interval = bootstrap(weighted_kappa, [a, b])
    assert interval.low <= interval.value <= interval.high
    assert bootstrap(weighted_kappa, [[], []]).value is None


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        cohen_kappa([True], [True, False])
    with pytest.raises(ValueError):
        binary_scores([True], [True, False])
