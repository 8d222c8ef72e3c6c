"""The team lead's page: who is improving, where each agent still fails, and what to coach next.

`train history` answers one agent's question in a terminal; a team lead
preparing a one-to-one or a weekly review needs the whole team on one page
that can be mailed, archived or printed, and opened on a locked-down laptop.
So the report is a single HTML file with nothing to fetch: inline CSS, charts
drawn here as SVG, no script. It shows, for the team, who is moving up and
who is stuck; for each agent, whether the scores trend upward across the
level bands, which scenarios are still below the bar (and whether a retry
helped), and the rule codes and missed facts or LATTE steps that recur —
the topics of the next coaching session.

Agent names, scenario titles and codes come from users and team files, so
every stored string is escaped before it reaches the page.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..analysis.score import LEVEL_FLOORS
from ..analysis.score import level as level_of
from ..models import LEVEL_LABELS, Level
from .history import LEVEL_RANK, AgentHistory, Attempt, Store
from .scenarios import load_scenarios

# Colours a reader (and the screenshot test) can tell apart.
LEVEL_COLOURS: dict[Level, str] = {
    Level.unacceptable: "#b91c1c",
    Level.below_average: "#ea580c",
    Level.average: "#eab308",
    Level.above_average: "#16a34a",
    Level.stellar: "#2563eb",
}
LEVEL_INK: dict[Level, str] = {  # the same hues, dark enough for text on white
    Level.unacceptable: "#991b1b",
    Level.below_average: "#c2410c",
    Level.average: "#a16207",
    Level.above_average: "#15803d",
    Level.stellar: "#1d4ed8",
}
_CHIP_TEXT: dict[Level, str] = {level: "#ffffff" for level in Level} | {Level.average: "#1f2937"}
TREND_COLOUR = "#6d28d9"
CODE_BAR_COLOUR = "#0e7490"
MISSED_BAR_COLOUR = "#be185d"
FIRST_BAR_COLOUR = "#cbd5e1"

TOP_N = 6
MAX_CHIPS = 5  # attempt cells per scenario row; longer histories show the first, "…" and the latest

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Training report",
        "generated": "Generated {when}",
        "agents_n": "{n} agent(s)",
        "empty": "No training attempts yet: the report fills in once agents answer scenarios with replylint train.",
        "team": "Team overview",
        "legend": "Levels",
        "agent": "Agent",
        "attempts": "Attempts",
        "scenarios": "Scenarios tried",
        "latest_avg": "Latest average",
        "trend": "Trend (first → latest)",
        "last_seen": "Last attempt",
        "team_chart": "Average score per agent: first attempt at each scenario (grey) and latest (level colour)",
        "summary": "{attempts} attempts · {scenarios} scenarios tried · average of the latest attempts: {avg}"
                   " · from {first} to {last}",
        "trend_chart": "Score of each attempt over time",
        "levels_table": "Level per scenario, first attempt → latest",
        "scenario": "Scenario",
        "change": "Change",
        "levels_word": "level(s)",
        "codes_chart": "Rule codes met most often",
        "missed_chart": "Facts and LATTE steps most often missed",
        "times": "{n} time(s)",
        "nothing": "Nothing to show.",
        "no_scenarios": "No scenario attempts yet (only drills).",
        "drill": "drill {code}",
        "fact": "fact",
        "attempt_n": "attempt {n}",
        "first": "first",
        "latest": "latest",
    },
    "it": {
        "title": "Rapporto di formazione",
        "generated": "Generato il {when}",
        "agents_n": "{n} operatori",
        "empty": "Nessun tentativo di formazione finora: il rapporto si riempie quando gli operatori rispondono"
                 " agli scenari con replylint train.",
        "team": "Panoramica del team",
        "legend": "Livelli",
        "agent": "Operatore",
        "attempts": "Tentativi",
        "scenarios": "Scenari provati",
        "latest_avg": "Media più recente",
        "trend": "Andamento (primo → ultimo)",
        "last_seen": "Ultimo tentativo",
        "team_chart": "Punteggio medio per operatore: primo tentativo di ogni scenario (grigio) e ultimo"
                      " (colore del livello)",
        "summary": "{attempts} tentativi · {scenarios} scenari provati · media degli ultimi tentativi: {avg}"
                   " · dal {first} al {last}",
        "trend_chart": "Punteggio di ogni tentativo nel tempo",
        "levels_table": "Livello per scenario, dal primo tentativo all'ultimo",
        "scenario": "Scenario",
        "change": "Variazione",
        "levels_word": "livelli",
        "codes_chart": "Codici di regola rilevati più spesso",
        "missed_chart": "Informazioni e passi LATTE mancati più spesso",
        "times": "{n} volte",
        "nothing": "Niente da mostrare.",
        "no_scenarios": "Ancora nessun tentativo sugli scenari (solo esercizi).",
        "drill": "esercizio {code}",
        "fact": "informazione",
        "attempt_n": "tentativo {n}",
        "first": "primo",
        "latest": "ultimo",
    },
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _texts(lang: str) -> dict[str, str]:
    if lang not in _TEXT:
        raise ValueError(f"report language must be one of {', '.join(_TEXT)}, not {lang!r}")
    return _TEXT[lang]


# ---------------------------------------------------------------- numbers behind the page


@dataclass(frozen=True)
class Summary:
    """One agent's figures, as the overview table and the agent's section show them."""

    agent: str
    attempts: int
    scenarios: int
    first_average: int | None  # mean score of the first attempt at each scenario
    latest_average: int | None  # mean score of the latest attempt at each scenario
    first_day: str
    last_day: str


def _day(answered_at: str) -> str:
    return answered_at[:10]


def _average(scores: Sequence[int]) -> int | None:
    return round(sum(scores) / len(scores)) if scores else None


def summarise(history: AgentHistory) -> Summary:
    tries = list(history.scenarios.values())
    return Summary(
        agent=history.agent,
        attempts=len(history.attempts),
        scenarios=len(tries),
        first_average=_average([t[0].score for t in tries]),
        latest_average=_average([t[-1].score for t in tries]),
        first_day=_day(history.attempts[0].answered_at) if history.attempts else "",
        last_day=_day(history.attempts[-1].answered_at) if history.attempts else "",
    )


def missed(history: AgentHistory, lang: str, n: int = TOP_N) -> list[tuple[str, int]]:
    """The facts and LATTE steps left out most often, as (label, count)."""
    t = _texts(lang)
    counts: Counter[str] = Counter()
    for attempt in history.attempts:
        counts.update(f"{t['fact']}: {fact}" for fact in attempt.facts_missed)
        counts.update(f"LATTE: {step.replace('_', ' ')}" for step in attempt.steps_missed)
    return counts.most_common(n)


# ---------------------------------------------------------------- small HTML pieces


def _chip(level: Level, lang: str, tooltip: str = "") -> str:
    title = f' title="{_e(tooltip)}"' if tooltip else ""
    return f'<span class="chip lv-{level.value}"{title}>{_e(LEVEL_LABELS[level][lang])}</span>'


def _score_with_level(score: int | None, lang: str) -> str:
    if score is None:
        return '<span class="muted">—</span>'
    return f"<b>{score}</b> {_chip(level_of(score), lang)}"


def _delta(first: int | None, latest: int | None) -> str:
    """'▲ +12' in green, '▼ −5' in red, '= 0' in grey; '—' when there is nothing to compare."""
    if first is None or latest is None:
        return '<span class="muted">—</span>'
    change = latest - first
    if change > 0:
        return f'<span class="up">▲ +{change}</span>'
    if change < 0:
        return f'<span class="down">▼ −{-change}</span>'
    return '<span class="same">= 0</span>'


def _trend_cell(summary: Summary) -> str:
    if summary.first_average is None or summary.latest_average is None:
        return '<span class="muted">—</span>'
    first, latest = summary.first_average, summary.latest_average
    return f"{first} → {latest} {_delta(first, latest)}"


def _legend(lang: str) -> str:
    items = []
    ceiling = 100
    for floor, level in LEVEL_FLOORS:
        items.append(f"<li>{_chip(level, lang)} <span class=\"muted\">{floor}–{ceiling}</span></li>")
        ceiling = floor - 1
    return f'<ul class="legend" aria-label="{_e(_texts(lang)["legend"])}">{"".join(items)}</ul>'


# ---------------------------------------------------------------- SVG charts


@dataclass(frozen=True)
class _Plot:
    """A chart's drawing area inside an SVG of `width` × `height`; y maps a score (0–100)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def x0(self) -> float:
        return float(self.left)

    @property
    def x1(self) -> float:
        return float(self.width - self.right)

    @property
    def y0(self) -> float:
        return float(self.top)

    @property
    def y1(self) -> float:
        return float(self.height - self.bottom)

    def y(self, score: float) -> float:
        return self.y1 - (self.y1 - self.y0) * score / 100

    def x_of_score(self, score: float) -> float:
        return self.x0 + (self.x1 - self.x0) * score / 100


def _svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">')


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _level_ranges() -> list[tuple[int, int, Level]]:
    """(low, high, level) for each band, bottom to top: 0–40, 40–60, 60–75, 75–90, 90–100."""
    out, ceiling = [], 100
    for floor, level in LEVEL_FLOORS:
        out.append((floor, ceiling, level))
        ceiling = floor
    return out[::-1]


def _trend_bands(plot: _Plot, lang: str) -> list[str]:
    parts = []
    for low, high, level in _level_ranges():
        top, bottom = plot.y(high), plot.y(low)
        parts.append(f'<rect x="{plot.x0:.1f}" y="{top:.1f}" width="{plot.x1 - plot.x0:.1f}" '
                     f'height="{bottom - top:.1f}" fill="{LEVEL_COLOURS[level]}" fill-opacity="0.10"/>')
        parts.append(f'<text x="{plot.x1 + 8:.1f}" y="{(top + bottom) / 2 + 4:.1f}" fill="{LEVEL_INK[level]}" '
                     f'class="band">{_e(LEVEL_LABELS[level][lang])}</text>')
    return parts


def _trend_grid(plot: _Plot) -> list[str]:
    parts = []
    for value in (0, 40, 60, 75, 90, 100):
        y = plot.y(value)
        parts.append(f'<line x1="{plot.x0:.1f}" y1="{y:.1f}" x2="{plot.x1:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{plot.x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value}</text>')
    return parts


def _spread(count: int, plot: _Plot, pad: float = 14) -> list[float]:
    """x of each attempt, in order, evenly spaced (several attempts a day stay apart)."""
    if count == 1:
        return [(plot.x0 + plot.x1) / 2]
    step = (plot.x1 - plot.x0 - 2 * pad) / (count - 1)
    return [plot.x0 + pad + i * step for i in range(count)]


def _date_ticks(attempts: Sequence[Attempt], xs: Sequence[float], plot: _Plot, gap: float = 78) -> list[str]:
    """The date under the first attempt of each day, skipping those that would overlap."""
    parts, last_x, last_day = [], -gap, ""
    for attempt, x in zip(attempts, xs):
        day = _day(attempt.answered_at)
        if day == last_day or x - last_x < gap:
            continue
        parts.append(f'<line x1="{x:.1f}" y1="{plot.y1:.1f}" x2="{x:.1f}" y2="{plot.y1 + 4:.1f}" class="tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{plot.y1 + 17:.1f}" text-anchor="middle" class="axis">{_e(day)}</text>')
        last_x, last_day = x, day
    return parts


def _attempt_tooltip(attempt: Attempt, n: int, titles: dict[str, str], t: dict[str, str], lang: str) -> str:
    what = (titles.get(attempt.scenario, attempt.scenario) if attempt.kind == "scenario"
            else t["drill"].format(code=attempt.scenario))
    label = LEVEL_LABELS[attempt.level][lang]
    return f"{t['attempt_n'].format(n=n)} · {_day(attempt.answered_at)} · {what}: {attempt.score} ({label})"


def trend_chart(history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    """Line chart of every attempt's score, in order, over the shaded level bands."""
    t = _texts(lang)
    plot = _Plot(width=820, height=260, left=40, right=150, top=12, bottom=34)
    attempts = history.attempts
    xs = _spread(len(attempts), plot)
    ys = [plot.y(a.score) for a in attempts]
    parts = [_svg_open(plot.width, plot.height, t["trend_chart"])]
    parts += _trend_bands(plot, lang) + _trend_grid(plot) + _date_ticks(attempts, xs, plot)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{TREND_COLOUR}" stroke-width="2.5" '
                 'stroke-linejoin="round" stroke-linecap="round"/>')
    for n, (attempt, x, y) in enumerate(zip(attempts, xs, ys), start=1):
        fill = TREND_COLOUR if attempt.kind == "scenario" else "#ffffff"
        tip = _attempt_tooltip(attempt, n, titles, t, lang)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{TREND_COLOUR}" '
                     f'stroke-width="2"><title>{_e(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(rows: Sequence[tuple[str, int]], colour: str, label: str, lang: str, *, width: int = 450) -> str:
    """Horizontal bars, longest first: `rows` is (label, count)."""
    t = _texts(lang)
    if not rows:
        return f'<p class="muted">{_e(t["nothing"])}</p>'
    label_w, row_h, top = 200, 26, 6
    bar_max = width - label_w - 44
    height = top * 2 + row_h * len(rows)
    most = max(count for _, count in rows)
    parts = [_svg_open(width, height, label)]
    for i, (name, count) in enumerate(rows):
        y = top + i * row_h
        length = max(2.0, bar_max * count / most)
        tip = f"{name}: {t['times'].format(n=count)}"
        parts.append(f'<g><title>{_e(tip)}</title>'
                     f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="label">{_e(_fit(name, 30))}</text>'
                     f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" rx="2" '
                     f'fill="{colour}"/>'
                     f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" class="count">{count}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def team_chart(summaries: Sequence[Summary], lang: str) -> str:
    """Per agent, two bars on the 0–100 scale: first attempts' average (grey) and latest (level colour)."""
    t = _texts(lang)
    row_h, top = 40, 26
    plot = _Plot(width=820, height=top + row_h * len(summaries) + 8, left=200, right=50, top=top, bottom=8)
    parts = [_svg_open(plot.width, plot.height, t["team_chart"])]
    for low, high, level in _level_ranges():
        x, end = plot.x_of_score(low), plot.x_of_score(high)
        parts.append(f'<rect x="{x:.1f}" y="{plot.y0:.1f}" width="{end - x:.1f}" height="{plot.y1 - plot.y0:.1f}" '
                     f'fill="{LEVEL_COLOURS[level]}" fill-opacity="0.10"/>')
    for value in (0, 40, 60, 75, 90, 100):
        x = plot.x_of_score(value)
        parts.append(f'<line x1="{x:.1f}" y1="{plot.y0 - 4:.1f}" x2="{x:.1f}" y2="{plot.y1:.1f}" class="grid"/>'
                     f'<text x="{x:.1f}" y="{plot.y0 - 8:.1f}" text-anchor="middle" class="axis">{value}</text>')
    for i, summary in enumerate(summaries):
        parts.append(_team_row(summary, plot, plot.y0 + i * row_h, lang))
    parts.append("</svg>")
    return "".join(parts)


def _team_row(summary: Summary, plot: _Plot, y: float, lang: str) -> str:
    t = _texts(lang)
    name = (f'<text x="{plot.x0 - 10:.1f}" y="{y + 24:.1f}" text-anchor="end" class="label">'
            f"{_e(_fit(summary.agent, 28))}</text>")
    if summary.latest_average is None:
        return f"<g><title>{_e(summary.agent)}: —</title>{name}</g>"
    first = summary.first_average or 0
    latest = summary.latest_average
    level = level_of(latest)
    tip = (f"{summary.agent}: {t['first']} {first}, {t['latest']} {latest} ({LEVEL_LABELS[level][lang]})")
    first_w = max(1.5, plot.x_of_score(first) - plot.x0)
    latest_w = max(1.5, plot.x_of_score(latest) - plot.x0)
    return (f'<g><title>{_e(tip)}</title>{name}'
            f'<rect x="{plot.x0:.1f}" y="{y + 6:.1f}" width="{first_w:.1f}" height="9" fill="{FIRST_BAR_COLOUR}"/>'
            f'<rect x="{plot.x0:.1f}" y="{y + 16:.1f}" width="{latest_w:.1f}" height="16" rx="2" '
            f'fill="{LEVEL_COLOURS[level]}"/>'
            f'<text x="{plot.x0 + latest_w + 6:.1f}" y="{y + 28:.1f}" class="count">{latest}</text></g>')


# ---------------------------------------------------------------- tables


def _overview_table(summaries: Sequence[Summary], lang: str) -> str:
    t = _texts(lang)
    head = (f"<tr><th>{_e(t['agent'])}</th><th class=\"num\">{_e(t['attempts'])}</th>"
            f"<th class=\"num\">{_e(t['scenarios'])}</th><th>{_e(t['latest_avg'])}</th>"
            f"<th>{_e(t['trend'])}</th><th>{_e(t['last_seen'])}</th></tr>")
    rows = [
        f'<tr><td><a href="#agent-{i}">{_e(s.agent)}</a></td><td class="num">{s.attempts}</td>'
        f'<td class="num">{s.scenarios}</td><td>{_score_with_level(s.latest_average, lang)}</td>'
        f"<td>{_trend_cell(s)}</td><td>{_e(s.last_day)}</td></tr>"
        for i, s in enumerate(summaries, start=1)
    ]
    return f'<table class="overview"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _visible(tries: Sequence[Attempt]) -> list[tuple[int, Attempt] | None]:
    """(attempt number, attempt) for each cell; None marks the '…' between the first and the latest ones."""
    numbered = list(enumerate(tries, start=1))
    if len(numbered) <= MAX_CHIPS:
        return list(numbered)
    return [numbered[0], None, *numbered[-(MAX_CHIPS - 2):]]


def _attempt_cell(item: tuple[int, Attempt] | None, lang: str) -> str:
    if item is None:
        return '<td class="gap">…</td>'
    n, attempt = item
    tip = f"{_texts(lang)['attempt_n'].format(n=n)} · {_day(attempt.answered_at)} · {attempt.score}"
    return f'<td class="cell">{_chip(attempt.level, lang, tip)}<small>{attempt.score}</small></td>'


def _level_change(tries: Sequence[Attempt], lang: str) -> str:
    if len(tries) < 2:
        return '<span class="muted">—</span>'
    steps = LEVEL_RANK[tries[-1].level] - LEVEL_RANK[tries[0].level]
    levels = f'<small class="muted">{steps:+d} {_e(_texts(lang)["levels_word"])}</small>' if steps else ""
    return _delta(tries[0].score, tries[-1].score) + levels


def levels_table(history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    """One row per scenario (by title): a level chip per attempt, first → latest, then the change."""
    t = _texts(lang)
    scenarios = history.scenarios
    if not scenarios:
        return f'<p class="muted">{_e(t["no_scenarios"])}</p>'
    ordered = sorted(scenarios.items(), key=lambda item: titles.get(item[0], item[0]).lower())
    columns = max(len(_visible(tries)) for _, tries in ordered)
    head = (f"<tr><th>{_e(t['scenario'])}</th><th colspan=\"{columns}\">{_e(t['first'])} → {_e(t['latest'])}</th>"
            f"<th>{_e(t['change'])}</th></tr>")
    rows = []
    for sid, tries in ordered:
        cells = [_attempt_cell(item, lang) for item in _visible(tries)]
        cells += ['<td class="cell"></td>'] * (columns - len(cells))
        title = titles.get(sid, sid)
        rows.append(f'<tr><td class="scenario" title="{_e(sid)}">{_e(title)}</td>{"".join(cells)}'
                    f'<td class="change">{_level_change(tries, lang)}</td></tr>')
    return f'<table class="levels"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


# ---------------------------------------------------------------- sections and page


def _summary_line(summary: Summary, lang: str) -> str:
    t = _texts(lang)
    avg = _score_with_level(summary.latest_average, lang)
    return t["summary"].format(attempts=summary.attempts, scenarios=summary.scenarios, avg=avg,
                               first=_e(summary.first_day), last=_e(summary.last_day))


def agent_section(index: int, history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    t = _texts(lang)
    summary = summarise(history)
    codes = bar_chart(history.top_codes(TOP_N), CODE_BAR_COLOUR, t["codes_chart"], lang)
    gaps = bar_chart(missed(history, lang), MISSED_BAR_COLOUR, t["missed_chart"], lang)
    return (
        f'<section class="agent" id="agent-{index}"><h2>{_e(history.agent)}</h2>'
        f'<p class="summary">{_summary_line(summary, lang)}</p>'
        f'<h3>{_e(t["trend_chart"])}</h3>{trend_chart(history, titles, lang)}'
        f'<h3>{_e(t["levels_table"])}</h3>{levels_table(history, titles, lang)}'
        f'<div class="bars"><figure><h3>{_e(t["codes_chart"])}</h3>{codes}</figure>'
        f'<figure><h3>{_e(t["missed_chart"])}</h3>{gaps}</figure></div></section>'
    )


def overview_section(summaries: Sequence[Summary], lang: str) -> str:
    t = _texts(lang)
    return (f'<section class="team"><h2>{_e(t["team"])}</h2>{_legend(lang)}{_overview_table(summaries, lang)}'
            f'<h3>{_e(t["team_chart"])}</h3>{team_chart(summaries, lang)}</section>')


def _css() -> str:
    chips = "".join(f".lv-{level.value}{{background:{LEVEL_COLOURS[level]};color:{_CHIP_TEXT[level]}}}"
                    for level in Level)
    return _STYLE + chips


_STYLE = """
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#fff;color:#1f2937;
 font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:1060px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:26px;margin:0 0 2px}
h2{font-size:19px;margin:40px 0 8px;padding-bottom:4px;border-bottom:2px solid #e5e7eb}
h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#6b7280;margin:22px 0 8px}
a{color:inherit}
.meta,.muted{color:#6b7280}
.summary{margin:4px 0 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:middle}
th{font-size:12px;color:#6b7280;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.cell{white-space:nowrap;width:1%;text-align:center;padding:5px 6px}
td.cell small{display:block;color:#6b7280;font-size:11px;font-variant-numeric:tabular-nums}
td.gap{color:#9ca3af;width:1%;text-align:center}
td.scenario{min-width:180px}
td.change small{display:block;font-size:11.5px}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11.5px;font-weight:600;white-space:nowrap}
.up{color:#15803d;font-weight:600}.down{color:#b91c1c;font-weight:600}.same{color:#6b7280}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;margin:6px 0 14px;font-size:12px}
svg{display:block;max-width:100%;height:auto}
svg text{font-size:11px;fill:#374151}
svg text.axis{fill:#6b7280;font-size:10.5px}
svg text.band{font-size:11px;font-weight:600}
svg text.count{fill:#1f2937;font-weight:600}
svg .grid{stroke:#d1d5db;stroke-width:1}
svg .tick{stroke:#9ca3af;stroke-width:1}
.bars{display:flex;flex-wrap:wrap;gap:8px 40px}
figure{margin:0}
.empty{padding:28px;border:1px dashed #d1d5db;border-radius:8px;color:#4b5563;text-align:center}
footer{margin-top:40px;color:#9ca3af;font-size:12px}
@page{size:A4;margin:14mm}
@media print{main{max-width:none;padding:0}section.agent{break-before:page}
 tr,svg,figure{break-inside:avoid}a{text-decoration:none}}
"""


def render_html(histories: list[AgentHistory], titles: dict[str, str], *, generated_at: str,
                lang: str = "en") -> str:
    """The whole report page; `titles` maps scenario ids to titles (unknown ids are shown as they are)."""
    t = _texts(lang)
    ordered = sorted((h for h in histories if h.attempts), key=lambda h: (h.agent.lower(), h.agent))
    meta = _e(t["generated"].format(when=generated_at))
    if ordered:
        meta += " · " + _e(t["agents_n"].format(n=len(ordered)))
        summaries = [summarise(h) for h in ordered]
        body = overview_section(summaries, lang) + "".join(
            agent_section(i, h, titles, lang) for i, h in enumerate(ordered, start=1))
    else:
        body = f'<p class="empty">{_e(t["empty"])}</p>'
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{_e(t["title"])}</title><style>{_css()}</style></head>'
        f'<body><main><header><h1>{_e(t["title"])}</h1><p class="meta">{meta}</p></header>'
        f"{body}<footer>replylint</footer></main></body></html>\n"
    )


def scenario_titles(folders: Sequence[Path] = ()) -> dict[str, str]:
    return {scenario.id: scenario.title for scenario in load_scenarios(folders)}


def write_report(store: Store, path: Path, *, agent: str | None = None, lang: str = "en",
                 scenario_dirs: Sequence[Path] = ()) -> int:
    """Write the report of `store` (one agent's, with `agent`) to `path`; return how many agents it shows.

    A history file not created yet gives the empty page, as an empty one does: nobody has trained yet.
    """
    _texts(lang)
    histories = store.by_agent(agent) if store.path.exists() else []
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_html(histories, scenario_titles(scenario_dirs), generated_at=when, lang=lang)
    Path(path).write_text(page, encoding="utf-8")
    return len([h for h in histories if h.attempts])
