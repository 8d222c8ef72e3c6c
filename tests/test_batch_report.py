"""The batch report: one self-contained, escaped HTML page whose charts really render.

The summaries are gathered from synthetic result rows (no grading needed), so every figure on the
page is known in advance. The charts are SVG drawn in Python, so the only proof they show is a
browser: the page is opened in headless Chromium, as the training report's test does, and the
screenshot is searched for the charts' colours and shapes.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from screenshots import near, screenshot

from replylint.analysis.score import level
from replylint.batch import report
from replylint.batch.summary import Gatherer, Summary
from replylint.models import Level
from replylint.reporting import CODE_BAR_COLOUR, LEVEL_COLOURS, TREND_COLOUR

HOSTILE = '<b>Ann & "Bo"</b>'
HOSTILE_ESCAPED = "&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;"
HOSTILE_CODE = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "<i>T&1</i>"
HOSTILE_FILE = 'march <export> & "b".csv'
AGENTS = ("Marta Rossi", HOSTILE, "Luca Bianchi")
OFFSETS = {"Marta Rossi": 8, HOSTILE: -10, "Luca Bianchi": 0}
BASE = (6, 22, 35, 44, 52, 63, 70, 78, 86, 95)  # one reply per level band and more, per agent and week
WEEKS = 4  # ISO weeks 2026-W10 … W13

HEADINGS = {
    "en": ("Score distribution", "Levels per agent", "Top rules per language", "Trend by week",
           "Lowest-scoring replies"),
    "it": ("Distribuzione dei punteggi", "Livelli per operatore", "Regole più frequenti per lingua",
           "Andamento per settimana", "Risposte con il punteggio più basso"),
}


def codes_for(score: int, j: int) -> list[str]:
    if score < 40:
        return ["NEG122", "LAT101"]
    if score < 60:
        return ["NEG122"] if j % 2 else ["STR103"]
    if score < 75:
        return ["LAT103"]
    if score < 90:
        return ["RDB101"] if j % 2 == 0 else []
    return []


def ok(row: int, score: int, *, agent: Any, date: Any, language: str, codes: list[str],
       id_: Any = None) -> dict[str, Any]:
    return {"row": row, "id": f"T-{row}" if id_ is None else id_, "agent": agent, "date": date, "status": "ok",
            "language": language, "score": score, "level": level(score).value, "codes": codes}


def failed(row: int, status: str) -> dict[str, Any]:
    return {"row": row, "id": f"T-{row}", "agent": "Marta Rossi", "date": None, "status": status,
            "language": None, "score": None, "level": None, "codes": []}


def records() -> list[dict[str, Any]]:
    """3 agents (one hostile) × 4 weeks × 10 replies over every level, improving week by week; both
    languages; an undated reply, one without an agent, a hostile id and code; six rows not graded."""
    out: list[dict[str, Any]] = []
    for week in range(WEEKS):
        for agent in AGENTS:
            for j, base in enumerate(BASE):
                score = max(0, min(100, base + OFFSETS[agent] + 3 * week))
                row = len(out) + 1
                date = f"2026-03-{2 + 7 * week + j % 5:02d}T10:{j:02d}:00Z"
                out.append(ok(row, score, agent=agent, date=date, language="it" if j % 3 == 0 else "en",
                              codes=codes_for(score, j)))
    out.append(ok(len(out) + 1, 3, agent=None, date=None, language="en", codes=["NEG122", HOSTILE_CODE],
                  id_=HOSTILE_ID))
    out.append(ok(len(out) + 1, 55, agent=HOSTILE, date="not a date", language="it", codes=["STR103"]))
    for status in ("error: row 9: text column missing", "error: internal error (KeyError)", "error: x",
                   "empty", "empty", "unsupported-language"):
        out.append(failed(len(out) + 1, status))
    return out


def gather(rows: list[dict[str, Any]]) -> Summary:
    gatherer = Gatherer()
    for record in rows:
        gatherer.add(record)
    return gatherer.summary()


@pytest.fixture(scope="module")
def summary() -> Summary:
    return gather(records())


def render(summary: Summary, lang: str = "en", **extra: Any) -> str:
    return report.render_html(summary, title="Replies of March", generated_at="2026-04-01 09:00 UTC",
                              sources=["zendesk.csv", HOSTILE_FILE], lang=lang, **extra)


def section(html: str, key: str) -> str:
    match = re.search(rf'<section id="{key}">(.*?)</section>', html, re.DOTALL)
    assert match, f"no section {key!r}"
    return match.group(1)


# ---------------------------------------------------------------- the HTML


def test_page_is_self_contained(summary: Summary) -> None:
    html = render(summary)
    lowered = html.lower()
    for forbidden in ("<script", "http://", "https://", "<link", "<iframe", "<object", "<embed", "url(",
                      "@import", "javascript:"):
        assert forbidden not in lowered, forbidden
    tags = re.findall(r"<[a-z][^>]*>", html, re.IGNORECASE)
    assert tags, "no markup at all"
    for tag in tags:
        for attribute in re.findall(r'\b(?:src|href|xlink:href|action)\s*=\s*"([^"]*)"', tag, re.IGNORECASE):
            assert attribute.startswith(("data:", "#")), tag
        assert not re.search(r"\son[a-z]+\s*=", tag, re.IGNORECASE), f"event handler in {tag}"


def test_user_strings_are_escaped(summary: Summary) -> None:
    html = render(summary, rule_names={"NEG122": "<u>blame</u>"})
    assert HOSTILE not in html and HOSTILE_ESCAPED in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<i>T&1</i>" not in html and "&lt;i&gt;T&amp;1&lt;/i&gt;" in html
    assert "march &lt;export&gt; &amp; &quot;b&quot;.csv" in html and "<export>" not in html
    assert "<u>" not in html and "NEG122 · &lt;u&gt;blame&lt;/u&gt;" in html
    title = report.render_html(summary, title="<title>x</title>", generated_at="<now>", sources=[])
    assert "&lt;title&gt;x&lt;/title&gt;" in title and "&lt;now&gt;" in title


def test_header_shows_the_run(summary: Summary) -> None:
    html = render(summary)
    head = html[html.index("<header>"):html.index("</header>")]
    assert summary.rows == 3 * 10 * WEEKS + 2 + 6 and summary.graded == 3 * 10 * WEEKS + 2
    assert f"<b>{summary.rows}</b>" in head and f"<b>{summary.graded}</b>" in head
    assert "zendesk.csv" in head
    assert f"<b>{summary.mean_score:.1f}</b>" in head
    assert '<li class="bad"><b>3</b> errors</li>' in head
    assert "<b>2</b> empty" in head and "<b>1</b> unsupported language" in head
    assert "English" in head and "Italian" in head
    for name in ("unacceptable", "below average", "average", "above average", "stellar"):
        assert name in head


@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_section_is_there(summary: Summary, lang: str) -> None:
    html = render(summary, lang=lang)
    assert f'<html lang="{lang}">' in html
    positions = []
    for heading in HEADINGS[lang]:
        assert f"<h2>{heading}</h2>" in html, heading
        positions.append(html.index(f"<h2>{heading}</h2>"))
    assert positions == sorted(positions), "sections out of order"
    other = HEADINGS["it" if lang == "en" else "en"]
    assert not any(heading in html for heading in other), "headings of the other language"
    # one histogram, one level bar per agent, one rule chart per language, one trend chart
    agents = len(summary.agents)
    assert agents == 4  # the three agents and the row without one
    assert html.count("<svg") == 1 + agents + 2 + 1
    assert html.count("<polyline") == 1 and html.count("<circle") == WEEKS


def test_italian_labels(summary: Summary) -> None:
    html = render(summary, lang="it")
    for label in ("Operatore", "Risposte", "Punteggio medio", "errori", "vuote", "lingua non supportata",
                  "Italiano", "Inglese", "(nessun operatore)", "inaccettabile", "stellare"):
        assert label in html, label
    assert "Graded" not in html and "(no agent)" not in html


def test_histogram_bars_take_the_colour_of_their_level(summary: Summary) -> None:
    chart = report.histogram(summary, "en")
    bands = re.findall(r"<g><title>score (\d+)–\d+: (\d+) replies[^<]*</title>(.*?)</g>", chart)
    assert [int(n) for _, n in [(b[0], b[1]) for b in bands]] == summary.score_histogram
    for low, n, body in bands:
        fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', body)
        if int(n) == 0:
            assert fills == []
            continue
        expected = {LEVEL_COLOURS[level(int(low))], LEVEL_COLOURS[level(int(low) + 9)]}
        assert set(fills) == expected, f"band {low}: {fills}"
    band_70 = next(body for low, _, body in bands if low == "70")
    assert LEVEL_COLOURS[Level.average] in band_70 and LEVEL_COLOURS[Level.above_average] in band_70


def test_agents_show_replies_mean_and_level_mix(summary: Summary) -> None:
    html = section(render(summary), "agents")
    rows = re.findall(r'<tr><td class="agent">(.*?)</td><td class="num">(\d+)</td>(.*?)</tr>', html, re.DOTALL)
    # most replies first; the row without an agent under its own label
    assert [(name, int(n)) for name, n, _ in rows] == [
        (HOSTILE_ESCAPED, 41), ("Luca Bianchi", 40), ("Marta Rossi", 40), ("(no agent)", 1)]
    shown = {name: rest for name, _, rest in rows}
    for agent, (name, rest) in zip(summary.agents, shown.items()):
        assert f"<b>{agent.mean_score:.1f}</b>" in rest, name
        # a segment per level met, in the level's colour, as wide as its share of the 300 px bar
        segments = re.findall(r'<rect x="[\d.]+" y="0" width="([\d.]+)" height="20" fill="(#[0-9a-f]{6})"', rest)
        met = [lv for lv in Level if agent.levels[lv.value]]
        assert [fill for _, fill in segments] == [LEVEL_COLOURS[lv] for lv in met], name
        assert sum(float(w) for w, _ in segments) == pytest.approx(300)
        for (width, _), lv in zip(segments, met):
            assert float(width) == pytest.approx(300 * agent.levels[lv.value] / agent.replies, abs=1), name
    assert "NEG122" in shown["Marta Rossi"] and "×" in shown["Marta Rossi"]


def test_many_agents_are_cut_to_the_busiest(summary: Summary) -> None:
    rows = [ok(i + 1, 50 + i % 40, agent=f"agent {i:02d}", date=None, language="en", codes=[])
            for i in range(35) for _ in range(1 + i % 3)]
    for n, record in enumerate(rows, start=1):
        record["row"] = n
    html = section(render(gather(rows)), "agents")
    assert html.count('<td class="agent">') == report.MAX_AGENTS
    assert "and 5 more agent(s)" in html


def test_rules_per_language_by_share(summary: Summary) -> None:
    html = section(render(summary, rule_names={"NEG122": "negative-blame"}), "rules")
    figures = re.findall(r"<figure><h3>(.*?)</h3>(.*?)</figure>", html, re.DOTALL)
    assert [title.split(":")[0] for title, _ in figures] == ["English", "Italian"]  # most replies first
    for (title, chart), lang in zip(figures, ("en", "it")):
        graded = summary.languages[lang]
        assert f"the {graded} graded replies" in title
        labels = re.findall(r'class="label">([^<]*)</text>', chart)
        shares = re.findall(r'class="count">([\d.]+)%</text>', chart)
        expected = sorted((r for r in summary.rules if r.language == lang), key=lambda r: (-r.share, r.code))
        assert len(labels) == min(report.TOP_RULES, len(expected))
        codes = [unescape(label).split(" · ")[0] for label in labels]
        assert codes == [r.code for r in expected][: len(labels)]
        assert [float(s) for s in shares] == sorted((float(s) for s in shares), reverse=True)
    assert "NEG122 · negative-blame" in html


def test_trend_is_weekly_and_notes_undated(summary: Summary) -> None:
    html = section(render(summary), "trend")
    weeks = [w.week for w in summary.weeks]
    assert weeks == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    for week in weeks:
        assert f">{week}</text>" in html
    means = [w.mean_score for w in summary.weeks]
    assert means == sorted(means), "the synthetic team improves every week"
    assert "2 graded reply(ies) without a readable date" in html
    points = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', html)]
    assert points == sorted(points, reverse=True), "a higher mean is drawn higher"


def test_no_dates_says_so() -> None:
    rows = [ok(i, 30 + i, agent="A", date=None, language="en", codes=[]) for i in range(1, 6)]
    html = render(gather(rows))
    assert "No dates in the export" in section(html, "trend") and "<polyline" not in html
    assert "Nessuna data" in render(gather(rows), lang="it")


def test_lowest_scores_come_first(summary: Summary) -> None:
    html = section(render(summary), "lowest")
    scores = [int(s) for s in re.findall(r'<td class="score"><b>(\d+)</b>', html)]
    graded = sorted(r["score"] for r in records() if r["status"] == "ok")
    assert scores == graded[: len(scores)] and len(scores) == len(summary.lowest) == 20
    assert scores[0] == 0 and scores[-1] > scores[0]
    first = re.search(r"<tbody><tr>(.*?)</tr>", html, re.DOTALL)
    assert first and "chip lv-unacceptable" in first.group(1) and "T-11" in first.group(1)  # 0, first of ties
    hostile = [row for row in html.split("</tr>") if "&lt;i&gt;T&amp;1&lt;/i&gt;" in row]
    assert len(hostile) == 1 and "(no agent)" in hostile[0] and "<b>3</b>" in hostile[0]


def test_nothing_graded_renders_a_clear_page() -> None:
    rows = [failed(1, "error: broken"), failed(2, "empty"), failed(3, "unsupported-language")]
    for lang, words in (("en", "Nothing was graded"), ("it", "Nessuna risposta valutata")):
        html = render(gather(rows), lang=lang)
        assert words in html and "<svg" not in html and "<h2>" not in html
        assert '<li class="bad"><b>1</b>' in html
    empty = render(Gatherer().summary())
    assert "The export had no rows" in empty and "<svg" not in empty


def test_unknown_language_is_refused(summary: Summary) -> None:
    with pytest.raises(ValueError, match="report language"):
        render(summary, lang="fr")


def test_write_report(summary: Summary, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report.write_report(summary, out, sources=["a.csv"], lang="it", rule_names={"NEG122": "x"})
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Rapporto sulla qualità delle risposte" in html
    assert "a.csv" in html and "Generato il 20" in html


def longest_runs(mask: np.ndarray, axis: int) -> np.ndarray:
    """Length of the longest run of True along `axis`, for each line across it."""
    lines = mask if axis == 1 else mask.T
    best = np.zeros(lines.shape[0], dtype=int)
    current = np.zeros(lines.shape[0], dtype=int)
    for i in range(lines.shape[1]):
        current = np.where(lines[:, i], current + 1, 0)
        best = np.maximum(best, current)
    return best


# ---------------------------------------------------------------- the page in a browser


def test_charts_render_in_headless_chromium(summary: Summary, tmp_path: Path) -> None:
    html_file = tmp_path / "batch-report.html"
    html_file.write_text(render(summary), encoding="utf-8")
    pixels = screenshot(html_file, tmp_path / "batch-report.png", height=3600)
    assert pixels.shape[:2] == (3600, 1200)
    not_white = (pixels < 245).any(axis=2)
    assert not_white.sum() > 50_000, "the page looks blank"

    levels = {lv: near(pixels, LEVEL_COLOURS[lv]) for lv in Level}
    # Histogram: every level colour makes at least one column taller than any chip or level bar.
    for lv, mask in levels.items():
        tallest = longest_runs(mask, axis=0).max()
        assert tallest >= 30, f"no histogram column in the colour of {lv.value} (tallest run {tallest} px)"
    # Levels per agent: bars of 300 px made only of level colours, one per agent, every level in them.
    any_level = np.logical_or.reduce(list(levels.values()))
    bar_rows = np.flatnonzero(longest_runs(any_level, axis=1) >= 295)
    assert bar_rows.size >= 4 * len(summary.agents), f"level bars missing ({bar_rows.size} rows)"
    starts = np.flatnonzero(np.diff(bar_rows, prepend=-100) > 14)
    assert len(starts) == len(summary.agents), f"expected {len(summary.agents)} level bars, found {len(starts)}"
    in_bars = {lv: mask[bar_rows].sum() for lv, mask in levels.items()}
    for lv, count in in_bars.items():
        assert count > 100, f"{lv.value} missing from the agents' level bars ({count} px)"
    # Trend: the line crosses the chart, with a point per week.
    trend = near(pixels, TREND_COLOUR)
    columns = np.flatnonzero(trend.any(axis=0))
    assert trend.sum() > 1_000 and columns.max() - columns.min() > 400, "trend line missing or too short"
    assert near(pixels, report.COUNT_BAR_COLOUR).sum() > 300, "replies-per-week columns missing"
    # Rules: one bar chart per language.
    rules = near(pixels, CODE_BAR_COLOUR)
    assert rules.sum() > 5_000, f"rule bars barely visible ({rules.sum()} px)"
    rule_rows = np.flatnonzero(rules.any(axis=1))
    assert np.diff(rule_rows).max() > 40, "expected two rule charts, one per language"
