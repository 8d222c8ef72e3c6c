"""The team lead's page: who is improving, where each agent still fails, and what to coach next.

`train history` answers one agent's question in a terminal; a team lead
preparing a one-to-one or a weekly review needs the whole team on one page
that can be mailed, archived or printed, and opened on a locked-down laptop.
So the report is a single HTML file with nothing to fetch: inline CSS, charts
drawn as SVG (with the helpers the batch report shares, `replylint.reporting`),
no script. It shows, for the team, who is moving up and who is stuck; for
each agent, whether the scores trend upward across the level bands, which
scenarios are still below the bar (and whether a retry helped), and the rule
codes and missed facts or LATTE steps that recur — the topics of the next
coaching session.

Agent names, scenario titles and codes come from users and team files, so
every stored string is escaped before it reaches the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..analysis.score import level as level_of
from ..models import LEVEL_LABELS
from ..reporting import (
    CODE_BAR_COLOUR,
    LEVEL_COLOURS,
    TREND_COLOUR,
    Plot,
    bar_chart,
    chip,
    css,
    esc,
    fit,
    legend,
    level_ranges,
    pick_texts,
    score_bands,
    score_grid,
    score_with_level,
    spread,
    svg_open,
    x_ticks,
)
from .grading import step_name
from .history import LEVEL_RANK, AgentHistory, Attempt, Store
from .scenarios import load_scenarios

MISSED_BAR_COLOUR = "#be185d"
FIRST_BAR_COLOUR = "#cbd5e1"

TOP_N = 6
MAX_CHIPS = 5  # attempt cells per scenario row; longer histories show the first, "…" and the latest

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Training report",
        "generated": "Generated {when}",
        "agents_1": "1 agent",
        "agents_n": "{n} agents",
        "empty": "No training attempts yet: the report fills in once agents answer scenarios with replylint train.",
        "team": "Team overview",
        "agent": "Agent",
        "attempts": "Attempts",
        "scenarios": "Scenarios tried",
        "latest_avg": "Latest average",
        "trend": "Trend (first → latest)",
        "last_seen": "Last attempt",
        "team_chart": "Average score per agent: first attempt at each scenario (grey) and latest (level colour)",
        "summary": "{attempts} · {scenarios} tried · average of the latest attempts: {avg} · from {first} to {last}",
        "attempts_1": "1 attempt",
        "attempts_n": "{n} attempts",
        "scenarios_1": "1 scenario",
        "scenarios_n": "{n} scenarios",
        "trend_chart": "Score of each attempt over time",
        "levels_table": "Level per scenario, first attempt → latest",
        "scenario": "Scenario",
        "change": "Change",
        "levels_1": "level",
        "levels_n": "levels",
        "codes_chart": "Rule codes met most often",
        "missed_chart": "Facts and LATTE steps most often missed",
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
        "agents_1": "1 operatore",
        "agents_n": "{n} operatori",
        "empty": "Nessun tentativo di formazione finora: il rapporto si riempie quando gli operatori rispondono"
                 " agli scenari con replylint train.",
        "team": "Panoramica del team",
        "agent": "Operatore",
        "attempts": "Tentativi",
        "scenarios": "Scenari provati",
        "latest_avg": "Media più recente",
        "trend": "Andamento (primo → ultimo)",
        "last_seen": "Ultimo tentativo",
        "team_chart": "Punteggio medio per operatore: primo tentativo di ogni scenario (grigio) e ultimo"
                      " (colore del livello)",
        "summary": "{attempts} · {scenarios} · media degli ultimi tentativi: {avg} · dal {first} al {last}",
        "attempts_1": "1 tentativo",
        "attempts_n": "{n} tentativi",
        "scenarios_1": "1 scenario provato",
        "scenarios_n": "{n} scenari provati",
        "trend_chart": "Punteggio di ogni tentativo nel tempo",
        "levels_table": "Livello per scenario, dal primo tentativo all'ultimo",
        "scenario": "Scenario",
        "change": "Variazione",
        "levels_1": "livello",
        "levels_n": "livelli",
        "codes_chart": "Codici di regola rilevati più spesso",
        "missed_chart": "Informazioni e passi LATTE mancati più spesso",
        "no_scenarios": "Ancora nessun tentativo sugli scenari (solo esercizi).",
        "drill": "esercizio {code}",
        "fact": "informazione",
        "attempt_n": "tentativo {n}",
        "first": "primo",
        "latest": "ultimo",
    },
}


def _texts(lang: str) -> dict[str, str]:
    return pick_texts(_TEXT, lang)


def _counted(t: dict[str, str], key: str, n: int) -> str:
    """`key`_1 for one ("1 operatore"), `key`_n for any other number ("2 operatori", "0 operatori")."""
    return t[f"{key}_1"] if n == 1 else t[f"{key}_n"].format(n=n)


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
        counts.update(f"LATTE: {step_name(step, lang)}" for step in attempt.steps_missed)
    return counts.most_common(n)


# ---------------------------------------------------------------- small HTML pieces


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


# ---------------------------------------------------------------- SVG charts


def _date_ticks(attempts: Sequence[Attempt], xs: Sequence[float], plot: Plot, gap: float = 78) -> list[str]:
    """The date under the first attempt of each day, skipping those that would overlap."""
    return x_ticks([_day(attempt.answered_at) for attempt in attempts], xs, plot, gap)


def _attempt_tooltip(attempt: Attempt, n: int, titles: dict[str, str], t: dict[str, str], lang: str) -> str:
    what = (titles.get(attempt.scenario, attempt.scenario) if attempt.kind == "scenario"
            else t["drill"].format(code=attempt.scenario))
    label = LEVEL_LABELS[attempt.level][lang]
    return f"{t['attempt_n'].format(n=n)} · {_day(attempt.answered_at)} · {what}: {attempt.score} ({label})"


def trend_chart(history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    """Line chart of every attempt's score, in order, over the shaded level bands."""
    t = _texts(lang)
    plot = Plot(width=820, height=260, left=40, right=150, top=12, bottom=34)
    attempts = history.attempts
    xs = spread(len(attempts), plot)
    ys = [plot.y(a.score) for a in attempts]
    parts = [svg_open(plot.width, plot.height, t["trend_chart"])]
    parts += score_bands(plot, lang) + score_grid(plot) + _date_ticks(attempts, xs, plot)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{TREND_COLOUR}" stroke-width="2.5" '
                 'stroke-linejoin="round" stroke-linecap="round"/>')
    for n, (attempt, x, y) in enumerate(zip(attempts, xs, ys), start=1):
        fill = TREND_COLOUR if attempt.kind == "scenario" else "#ffffff"
        tip = _attempt_tooltip(attempt, n, titles, t, lang)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{TREND_COLOUR}" '
                     f'stroke-width="2"><title>{esc(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def team_chart(summaries: Sequence[Summary], lang: str) -> str:
    """Per agent, two bars on the 0–100 scale: first attempts' average (grey) and latest (level colour)."""
    t = _texts(lang)
    row_h, top = 40, 26
    plot = Plot(width=820, height=top + row_h * len(summaries) + 8, left=200, right=50, top=top, bottom=8)
    parts = [svg_open(plot.width, plot.height, t["team_chart"])]
    for low, high, level in level_ranges():
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


def _team_row(summary: Summary, plot: Plot, y: float, lang: str) -> str:
    t = _texts(lang)
    name = (f'<text x="{plot.x0 - 10:.1f}" y="{y + 24:.1f}" text-anchor="end" class="label">'
            f"{esc(fit(summary.agent, 28))}</text>")
    if summary.latest_average is None:
        return f"<g><title>{esc(summary.agent)}: —</title>{name}</g>"
    first = summary.first_average or 0
    latest = summary.latest_average
    level = level_of(latest)
    tip = (f"{summary.agent}: {t['first']} {first}, {t['latest']} {latest} ({LEVEL_LABELS[level][lang]})")
    first_w = max(1.5, plot.x_of_score(first) - plot.x0)
    latest_w = max(1.5, plot.x_of_score(latest) - plot.x0)
    return (f'<g><title>{esc(tip)}</title>{name}'
            f'<rect x="{plot.x0:.1f}" y="{y + 6:.1f}" width="{first_w:.1f}" height="9" fill="{FIRST_BAR_COLOUR}"/>'
            f'<rect x="{plot.x0:.1f}" y="{y + 16:.1f}" width="{latest_w:.1f}" height="16" rx="2" '
            f'fill="{LEVEL_COLOURS[level]}"/>'
            f'<text x="{plot.x0 + latest_w + 6:.1f}" y="{y + 28:.1f}" class="count">{latest}</text></g>')


# ---------------------------------------------------------------- tables


def _overview_table(summaries: Sequence[Summary], lang: str) -> str:
    t = _texts(lang)
    head = (f"<tr><th>{esc(t['agent'])}</th><th class=\"num\">{esc(t['attempts'])}</th>"
            f"<th class=\"num\">{esc(t['scenarios'])}</th><th>{esc(t['latest_avg'])}</th>"
            f"<th>{esc(t['trend'])}</th><th>{esc(t['last_seen'])}</th></tr>")
    rows = [
        f'<tr><td><a href="#agent-{i}">{esc(s.agent)}</a></td><td class="num">{s.attempts}</td>'
        f'<td class="num">{s.scenarios}</td><td>{score_with_level(s.latest_average, lang)}</td>'
        f"<td>{_trend_cell(s)}</td><td>{esc(s.last_day)}</td></tr>"
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
    return f'<td class="cell">{chip(attempt.level, lang, tip)}<small>{attempt.score}</small></td>'


def _level_change(tries: Sequence[Attempt], lang: str) -> str:
    if len(tries) < 2:
        return '<span class="muted">—</span>'
    steps = LEVEL_RANK[tries[-1].level] - LEVEL_RANK[tries[0].level]
    t = _texts(lang)
    word = t["levels_1"] if abs(steps) == 1 else t["levels_n"]
    levels = f'<small class="muted">{steps:+d} {esc(word)}</small>' if steps else ""
    return _delta(tries[0].score, tries[-1].score) + levels


def levels_table(history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    """One row per scenario (by title): a level chip per attempt, first → latest, then the change."""
    t = _texts(lang)
    scenarios = history.scenarios
    if not scenarios:
        return f'<p class="muted">{esc(t["no_scenarios"])}</p>'
    ordered = sorted(scenarios.items(), key=lambda item: titles.get(item[0], item[0]).lower())
    columns = max(len(_visible(tries)) for _, tries in ordered)
    head = (f"<tr><th>{esc(t['scenario'])}</th><th colspan=\"{columns}\">{esc(t['first'])} → {esc(t['latest'])}</th>"
            f"<th>{esc(t['change'])}</th></tr>")
    rows = []
    for sid, tries in ordered:
        cells = [_attempt_cell(item, lang) for item in _visible(tries)]
        cells += ['<td class="cell"></td>'] * (columns - len(cells))
        title = titles.get(sid, sid)
        rows.append(f'<tr><td class="scenario" title="{esc(sid)}">{esc(title)}</td>{"".join(cells)}'
                    f'<td class="change">{_level_change(tries, lang)}</td></tr>')
    return f'<table class="levels"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


# ---------------------------------------------------------------- sections and page


def _summary_line(summary: Summary, lang: str) -> str:
    t = _texts(lang)
    avg = score_with_level(summary.latest_average, lang)
    return t["summary"].format(attempts=_counted(t, "attempts", summary.attempts),
                               scenarios=_counted(t, "scenarios", summary.scenarios), avg=avg,
                               first=esc(summary.first_day), last=esc(summary.last_day))


def agent_section(index: int, history: AgentHistory, titles: dict[str, str], lang: str) -> str:
    t = _texts(lang)
    summary = summarise(history)
    codes = bar_chart(history.top_codes(TOP_N), CODE_BAR_COLOUR, t["codes_chart"], lang)
    gaps = bar_chart(missed(history, lang), MISSED_BAR_COLOUR, t["missed_chart"], lang)
    return (
        f'<section class="agent" id="agent-{index}"><h2>{esc(history.agent)}</h2>'
        f'<p class="summary">{_summary_line(summary, lang)}</p>'
        f'<h3>{esc(t["trend_chart"])}</h3>{trend_chart(history, titles, lang)}'
        f'<h3>{esc(t["levels_table"])}</h3>{levels_table(history, titles, lang)}'
        f'<div class="bars"><figure><h3>{esc(t["codes_chart"])}</h3>{codes}</figure>'
        f'<figure><h3>{esc(t["missed_chart"])}</h3>{gaps}</figure></div></section>'
    )


def overview_section(summaries: Sequence[Summary], lang: str) -> str:
    t = _texts(lang)
    return (f'<section class="team"><h2>{esc(t["team"])}</h2>{legend(lang)}{_overview_table(summaries, lang)}'
            f'<h3>{esc(t["team_chart"])}</h3>{team_chart(summaries, lang)}</section>')


_STYLE = """
td.cell{white-space:nowrap;width:1%;text-align:center;padding:5px 6px}
td.cell small{display:block;color:#6b7280;font-size:11px;font-variant-numeric:tabular-nums}
td.gap{color:#9ca3af;width:1%;text-align:center}
td.scenario{min-width:180px}
td.change small{display:block;font-size:11.5px}
.up{color:#15803d;font-weight:600}.down{color:#b91c1c;font-weight:600}.same{color:#6b7280}
@media print{section.agent{break-before:page}}
"""


def render_html(histories: list[AgentHistory], titles: dict[str, str], *, generated_at: str,
                lang: str = "en") -> str:
    """The whole report page; `titles` maps scenario ids to titles (unknown ids are shown as they are)."""
    t = _texts(lang)
    ordered = sorted((h for h in histories if h.attempts), key=lambda h: (h.agent.lower(), h.agent))
    meta = esc(t["generated"].format(when=generated_at))
    if ordered:
        meta += " · " + esc(_counted(t, "agents", len(ordered)))
        summaries = [summarise(h) for h in ordered]
        body = overview_section(summaries, lang) + "".join(
            agent_section(i, h, titles, lang) for i, h in enumerate(ordered, start=1))
    else:
        body = f'<p class="empty">{esc(t["empty"])}</p>'
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(t["title"])}</title><style>{css(_STYLE)}</style></head>'
        f'<body><main><header><h1>{esc(t["title"])}</h1><p class="meta">{meta}</p></header>'
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
