"""The training report: one self-contained, escaped HTML page whose charts really render.

The charts are SVG drawn in Python, so the only proof they show is a browser:
the page is opened in headless Chromium and the screenshot is searched for
the charts' colours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from screenshots import near, screenshot

from replylint import check
from replylint.analysis.score import level
from replylint.models import LATTE_STEPS, Finding, Level
from replylint.training import report
from replylint.training.grading import FactResult, Grade, StepResult
from replylint.training.history import AgentHistory, Attempt, Store

HOSTILE = '<b>Ann & "Bo"</b>'
HOSTILE_CODE = "<img src=x onerror=alert(1)>"
SHIPPED = "en-lost-parcel"  # a shipped scenario: its title is shown
OWN = ("team-refund-delay", "team-double-charge")  # a team's own scenarios, folder not given: ids are shown

# Agent → scenario → scores of successive attempts (improving), one attempt every half day.
PLAN: dict[str, dict[str, list[int]]] = {
    "Marta Rossi": {SHIPPED: [22, 48, 71, 93], OWN[0]: [35, 62, 80], OWN[1]: [55, 58, 77, 85, 91, 95, 97]},
    HOSTILE: {SHIPPED: [30, 45, 66], OWN[0]: [50, 79]},
}


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    found = check("Dear customer, unfortunately we cannot do anything. It is not our fault. Calm down.",
                  lang="en").findings
    assert found, "the sample reply should have findings"
    return found


def make_grade(agent: str, scenario: str, score: int, when: str, findings: list[Finding]) -> Grade:
    return Grade(
        scenario=scenario, lang="en", agent=agent, score=score, level=level(score),
        findings=findings if score < 60 else [],
        steps=[StepResult(step=s, required=True, present=score >= 75 or s != "thank") for s in LATTE_STEPS],
        facts=[FactResult(id="refund_date", text="Refund on 12 May", used=score >= 60),
               FactResult(id="order_number", text="Order 48213", used=score >= 40)],
        rewrite=None, check_score=score, check_level=level(score), answered_at=when, seconds=90.0, reasons=[],
    )


def fill(store: Store, findings: list[Finding]) -> None:
    for agent, scenarios in PLAN.items():
        slot = 0
        for round_ in range(max(len(scores) for scores in scenarios.values())):
            for scenario, scores in scenarios.items():
                if round_ < len(scores):
                    slot += 1
                    when = f"2024-05-{1 + slot // 2:02d}T{9 + 4 * (slot % 2):02d}:00:00+00:00"
                    store.add(make_grade(agent, scenario, scores[round_], when, findings))
    drill = make_grade(HOSTILE, HOSTILE_CODE, 70, "2024-05-04T08:00:00+00:00", findings)
    store.add(drill, kind="drill")


@pytest.fixture
def store(tmp_path: Path, findings: list[Finding]) -> Store:
    filled = Store(tmp_path / "training.sqlite3")
    fill(filled, findings)
    return filled


def page(store: Store, tmp_path: Path, lang: str = "en", agent: str | None = None) -> tuple[int, str, Path]:
    out = tmp_path / f"report-{lang}.html"
    count = report.write_report(store, out, lang=lang, agent=agent)
    return count, out.read_text(encoding="utf-8"), out


# ---------------------------------------------------------------- Chromium and PNG helpers


# ---------------------------------------------------------------- the HTML


def test_page_is_self_contained_escaped_and_complete(store: Store, tmp_path: Path) -> None:
    count, html, _ = page(store, tmp_path)
    assert count == 2
    for forbidden in ("http://", "https://", "<script", "<link", "url(", "@import"):
        assert forbidden not in html.lower(), forbidden
    assert "&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;" in html
    assert HOSTILE not in html and "<b>Ann" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "Marta Rossi" in html
    assert html.index("&lt;b&gt;Ann") < html.index("<h2>Marta Rossi</h2>"), "agents sorted by name"
    # team chart + per agent: trend, rule codes, missed facts/steps
    assert html.count("<svg") == 1 + 3 * len(PLAN)
    attempts = sum(len(scores) for scenarios in PLAN.values() for scores in scenarios.values()) + 1  # + the drill
    assert html.count("<polyline") == len(PLAN) and html.count("<circle") == attempts
    assert "Training report" in html and "Team overview" in html
    for label in ("unacceptable", "below average", "average", "above average", "stellar"):
        assert label in html
    assert "Parcel stuck in transit before a birthday" in html  # shipped scenario: title
    assert OWN[0] in html and OWN[1] in html  # unknown scenario: its id
    assert "STR103" in html or any(f in html for f in ("NEG122", "LAT103"))
    assert "LATTE: thank" in html and "fact: refund_date" in html
    assert "2024-05-01" in html  # first attempt's date
    assert "<title>" in html and "93 (stellar)" in html  # point tooltips


def test_titles_are_escaped_too() -> None:
    history = AgentHistory("x", [])
    assert "<svg" not in report.render_html([history], {}, generated_at="now")  # no attempts: left out
    store_titles = {"s1": "<script>alert(1)</script>"}
    attempt = Attempt("x", "scenario", "s1", "en", "2024-05-01T09:00:00+00:00", None, 80, Level.above_average,
                      ["A&B"], ["f<1>"], ["listen"])
    html = report.render_html([AgentHistory("x", [attempt])], store_titles, generated_at="now")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A&amp;B" in html and "f&lt;1&gt;" in html


def test_italian_labels(store: Store, tmp_path: Path) -> None:
    _, html, _ = page(store, tmp_path, lang="it")
    assert '<html lang="it">' in html
    for label in ("Rapporto di formazione", "Panoramica del team", "inaccettabile", "inferiore alla media",
                  "nella media", "superiore alla media", "stellare", "Variazione", "informazione: refund_date",
                  "LATTE: ringrazia", "2 operatori", "14 tentativi · 3 scenari provati"):
        assert label in html, label
    assert "Training report" not in html and "below average" not in html and "LATTE: thank" not in html


def test_italian_page_names_latte_steps_in_italian_and_counts_in_the_singular(tmp_path: Path,
                                                                            findings: list[Finding]) -> None:
    store = Store(tmp_path / "one.sqlite3")
    graded = make_grade("Sara", SHIPPED, 50, "2024-05-01T09:00:00+00:00", findings)
    graded.steps = [StepResult(step=s, required=True, present=s not in ("listen", "take_action"))
                    for s in LATTE_STEPS]
    store.add(graded)
    _, html, _ = page(store, tmp_path, lang="it")
    assert "LATTE: ascolta" in html and "LATTE: agisci" in html
    for english in ("LATTE: listen", "LATTE: take action", "take_action"):
        assert english not in html, english
    assert "1 operatore" in html and "1 operatori" not in html
    assert "1 tentativo ·" in html and "1 scenario provato" in html and "1 tentativi" not in html
    _, english_html, _ = page(store, tmp_path, lang="en")
    assert "LATTE: listen" in english_html and "LATTE: take action" in english_html
    assert "1 agent" in english_html and "agent(s)" not in english_html and "1 attempt ·" in english_html


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="report language"):
        report.render_html([], {}, generated_at="now", lang="fr")


def test_write_report_counts_agents_and_filters_one(store: Store, tmp_path: Path) -> None:
    count, html, _ = page(store, tmp_path, agent="Marta Rossi")
    assert count == 1
    assert "Marta Rossi" in html and "Ann" not in html


def test_empty_store_says_so(tmp_path: Path, store: Store) -> None:
    missing = Store(tmp_path / "nobody-trained-yet.sqlite3")
    count, html, _ = page(missing, tmp_path)
    assert count == 0 and "No training attempts yet" in html and "<svg" not in html
    count, html, _ = page(store, tmp_path, agent="nobody")  # an existing store without that agent
    assert count == 0 and "No training attempts yet" in html
    italian = report.render_html([], {}, generated_at="2024-05-01", lang="it")
    assert "Nessun tentativo di formazione" in italian


# ---------------------------------------------------------------- the page in a browser


def test_charts_render_in_headless_chromium(store: Store, tmp_path: Path) -> None:
    _, _, html_file = page(store, tmp_path)
    pixels = screenshot(html_file, tmp_path / "report.png")
    height, width, _ = pixels.shape
    assert (height, width) == (2400, 1200)

    not_white = (pixels < 245).any(axis=2)
    assert not_white.sum() > 50_000, "the page looks blank"

    trend = near(pixels, report.TREND_COLOUR)
    codes = near(pixels, report.CODE_BAR_COLOUR)
    gaps = near(pixels, report.MISSED_BAR_COLOUR)
    assert trend.sum() > 1_000, f"trend line/points barely visible ({trend.sum()} px)"
    assert codes.sum() > 5_000, f"rule-code bars barely visible ({codes.sum()} px)"
    assert gaps.sum() > 2_000, f"missed facts/steps bars barely visible ({gaps.sum()} px)"
    # one trend chart per agent: the line colour appears in two separate bands of rows
    rows = np.flatnonzero(trend.any(axis=1))
    assert rows.size and rows.max() - rows.min() > 500, "expected a trend chart in each agent's section"
    # the team chart's latest-average bars and the level chips use the level colours
    assert near(pixels, report.LEVEL_COLOURS[level(90)]).sum() > 2_000  # Marta: stellar
    assert near(pixels, report.LEVEL_COLOURS[level(72)]).sum() > 2_000  # Ann: average
