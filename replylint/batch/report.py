"""The team lead's page of a batch run: how the replies of a helpdesk export score, who needs
coaching, on which rules, and whether the team gets better week by week.

The results file answers any question row by row, but a team lead reviewing a month of replies
wants one page to read before a team meeting, mail to a manager, attach to an audit or print, often
on a locked-down laptop where nothing may be installed and nothing fetched. So the report is a
single HTML file with nothing to load: inline CSS, charts drawn as SVG (with the helpers of
`replylint.reporting`, in the same level colours as the training report), no script, no URL.

It shows the run (files, rows, statuses, errors included, so a half-failed run is not mistaken for
a good one); the score distribution, each bar in the colours of the levels its scores fall in; the
level mix of each agent; the rule codes met most often in each language, by share of replies; the
mean score per ISO week; and the lowest-scoring replies, the first ones to open.

Agent names, ids, codes and file names come from the export, so every one is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from ..analysis.score import LEVEL_FLOORS
from ..analysis.score import level as level_of
from ..models import LEVEL_LABELS, Level
from ..reporting import (
    CHIP_TEXT,
    CODE_BAR_COLOUR,
    LEVEL_COLOURS,
    TREND_COLOUR,
    Plot,
    bar_chart,
    chip,
    css,
    esc,
    pick_texts,
    score_bands,
    score_grid,
    spread,
    svg_open,
    x_ticks,
)
from .summary import UNKNOWN_AGENT, AgentRow, LowRow, Summary, WeekRow

MAX_AGENTS = 30  # agents shown, those with most replies first
TOP_RULES = 10  # codes per language
COUNT_BAR_COLOUR = "#94a3b8"  # replies per week, under the trend line

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Reply quality report",
        "generated": "Generated {when}",
        "files": "Files",
        "rows": "Rows",
        "graded": "Graded",
        "mean": "Mean score",
        "statuses": "Statuses",
        "languages": "Languages",
        "levels": "Levels",
        "status.ok": "graded",
        "status.empty": "empty",
        "status.unsupported-language": "unsupported language",
        "status.error": "errors",
        "lang.it": "Italian",
        "lang.en": "English",
        "no_rows": "The export had no rows: there is nothing to report.",
        "nothing_graded": "Nothing was graded: no row held a reply that could be scored (Italian or English)."
                          " The statuses above say what happened to the rows.",
        "distribution": "Score distribution",
        "distribution_chart": "Graded replies per score band, coloured by level",
        "band_tip": "score {band}: {n} replies ({share})",
        "score": "score",
        "agents": "Levels per agent",
        "agents_more": "… and {n} more agent(s) with fewer replies: every agent is in the results file.",
        "agent": "Agent",
        "replies": "Replies",
        "level_mix": "Level of the replies",
        "top_codes": "Codes met most often",
        "no_agent": "(no agent)",
        "rules": "Top rules per language",
        "rules_chart": "{language}: share of the {n} graded replies with each rule code",
        "rule_tip": "{code}{name}: {replies} of {n} replies ({share}), {hits} finding(s)",
        "rules_more": "{n} more code(s) met less often.",
        "no_rules": "No rule code met in these replies.",
        "trend": "Trend by week",
        "trend_chart": "Mean score per ISO week, with the replies graded each week",
        "week_tip": "{week}: mean score {mean} ({level}), {n} replies",
        "per_week": "replies per week",
        "no_dates": "No dates in the export: the trend by week needs a date column (e.g. created_at).",
        "undated": "{n} graded reply(ies) without a readable date are not in the chart.",
        "lowest": "Lowest-scoring replies",
        "row": "Row",
        "id": "ID",
        "language": "Language",
        "codes": "Codes",
    },
    "it": {
        "title": "Rapporto sulla qualità delle risposte",
        "generated": "Generato il {when}",
        "files": "File",
        "rows": "Righe",
        "graded": "Valutate",
        "mean": "Punteggio medio",
        "statuses": "Stati",
        "languages": "Lingue",
        "levels": "Livelli",
        "status.ok": "valutate",
        "status.empty": "vuote",
        "status.unsupported-language": "lingua non supportata",
        "status.error": "errori",
        "lang.it": "Italiano",
        "lang.en": "Inglese",
        "no_rows": "L'esportazione non conteneva righe: non c'è niente da riportare.",
        "nothing_graded": "Nessuna risposta valutata: nessuna riga conteneva una risposta valutabile (in italiano"
                          " o in inglese). Gli stati qui sopra dicono cosa è successo alle righe.",
        "distribution": "Distribuzione dei punteggi",
        "distribution_chart": "Risposte valutate per fascia di punteggio, colorate per livello",
        "band_tip": "punteggio {band}: {n} risposte ({share})",
        "score": "punteggio",
        "agents": "Livelli per operatore",
        "agents_more": "… e altri {n} operatori con meno risposte: tutti gli operatori sono nel file dei risultati.",
        "agent": "Operatore",
        "replies": "Risposte",
        "level_mix": "Livello delle risposte",
        "top_codes": "Codici rilevati più spesso",
        "no_agent": "(nessun operatore)",
        "rules": "Regole più frequenti per lingua",
        "rules_chart": "{language}: quota delle {n} risposte valutate con ciascun codice di regola",
        "rule_tip": "{code}{name}: {replies} risposte su {n} ({share}), {hits} segnalazioni",
        "rules_more": "Altri {n} codici rilevati meno spesso.",
        "no_rules": "Nessun codice di regola rilevato in queste risposte.",
        "trend": "Andamento per settimana",
        "trend_chart": "Punteggio medio per settimana ISO, con le risposte valutate ogni settimana",
        "week_tip": "{week}: punteggio medio {mean} ({level}), {n} risposte",
        "per_week": "risposte per settimana",
        "no_dates": "Nessuna data nell'esportazione: l'andamento per settimana richiede una colonna con la data"
                    " (ad es. created_at).",
        "undated": "{n} risposte valutate senza una data leggibile non sono nel grafico.",
        "lowest": "Risposte con il punteggio più basso",
        "row": "Riga",
        "id": "ID",
        "language": "Lingua",
        "codes": "Codici",
    },
}

# Section anchors, in page order; the headings are `_TEXT[lang][key]`.
SECTIONS = ("distribution", "agents", "rules", "trend", "lowest")


def _texts(lang: str) -> dict[str, str]:
    return pick_texts(_TEXT, lang)


def _level(mean: float) -> Level:
    """The level a mean score falls in: 74.6 is still average (the floors are whole numbers)."""
    return level_of(math.floor(mean))


def _mean(mean: float | None) -> str:
    return "—" if mean is None else f"{mean:.1f}"


def _percent(share: float) -> str:
    value = share * 100
    return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"


def _language(code: str | None, t: dict[str, str]) -> str:
    return t.get(f"lang.{code}", code or "—")


def _agent(name: str | None, t: dict[str, str]) -> str:
    return t["no_agent"] if name in (None, "", UNKNOWN_AGENT) else str(name)


def _nice_step(most: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving at most `ticks` grid lines up to `most`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if most / (step * factor) <= ticks:
                return step * factor
        step *= 10


# ---------------------------------------------------------------- header


def _figure(label: str, value: str) -> str:
    return f'<div class="figure"><span class="label">{esc(label)}</span><span class="value">{value}</span></div>'


def _status_list(statuses: dict[str, int], t: dict[str, str]) -> str:
    order = ["ok", "empty", "unsupported-language", "error"]
    names = sorted(statuses, key=lambda s: (order.index(s) if s in order else len(order), s))
    items = []
    for status in names:
        css_class = ' class="bad"' if status == "error" and statuses[status] else ""
        items.append(f'<li{css_class}><b>{statuses[status]}</b> {esc(t.get(f"status.{status}", status))}</li>')
    return f'<ul class="inline">{"".join(items)}</ul>'


def _level_counts(summary: Summary, lang: str) -> str:
    items = []
    for level in reversed(Level):  # stellar first, as the legend of the training report
        n = summary.levels.get(level.value, 0)
        share = _percent(n / summary.graded) if summary.graded else "—"
        items.append(f'<li>{chip(level, lang)} <b>{n}</b> <span class="muted">({share})</span></li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def header(summary: Summary, *, title: str, generated_at: str, sources: Sequence[str], lang: str) -> str:
    t = _texts(lang)
    files = ", ".join(f"<code>{esc(name)}</code>" for name in sources) or "—"
    mean = "—" if summary.mean_score is None else (
        f"<b>{_mean(summary.mean_score)}</b> {chip(_level(summary.mean_score), lang)}")
    languages = " · ".join(f"{esc(_language(code, t))} <b>{n}</b>"
                           for code, n in sorted(summary.languages.items(), key=lambda i: (-i[1], i[0])))
    figures = [
        _figure(t["rows"], f"<b>{summary.rows}</b>"),
        _figure(t["graded"], f"<b>{summary.graded}</b>"),
        _figure(t["mean"], mean),
        _figure(t["statuses"], _status_list(summary.statuses, t)),
    ]
    if languages:
        figures.append(_figure(t["languages"], languages))
    parts = [f'<header><h1>{esc(title)}</h1><p class="meta">{esc(t["generated"].format(when=generated_at))}</p>',
             f'<p class="files"><span class="label">{esc(t["files"])}</span> {files}</p>',
             f'<div class="figures">{"".join(figures)}</div>']
    if summary.graded:
        parts.append(f'<div class="levels"><span class="label">{esc(t["levels"])}</span>'
                     f'{_level_counts(summary, lang)}</div>')
    parts.append("</header>")
    return "".join(parts)


# ---------------------------------------------------------------- score distribution


def _band_segments(low: int, high: int) -> list[tuple[int, int, Level]]:
    """The parts of the score band [low, high) that fall in each level, left to right: the band
    70–79 is half average (70–74), half above average (75–79)."""
    cuts = sorted({low, high, *(floor for floor, _ in LEVEL_FLOORS if low < floor < high)})
    return [(a, b, level_of(a)) for a, b in pairwise(cuts)]


def histogram(summary: Summary, lang: str) -> str:
    """Columns of graded replies per band of 10 points on a 0–100 axis; each column takes the colour
    of the level of the scores under it, so a band across a level floor shows both colours."""
    t = _texts(lang)
    plot = Plot(width=820, height=280, left=48, right=20, top=22, bottom=40)
    counts = summary.score_histogram
    most = max(counts) or 1
    step = _nice_step(most)
    top_value = math.ceil(most / step) * step
    parts = [svg_open(plot.width, plot.height, t["distribution_chart"])]

    def y_of(n: float) -> float:
        return plot.y1 - (plot.y1 - plot.y0) * n / top_value

    for value in range(0, top_value + 1, step):
        y = y_of(value)
        parts.append(f'<line x1="{plot.x0:.1f}" y1="{y:.1f}" x2="{plot.x1:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{plot.x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value}</text>')
    for value in range(0, 101, 10):
        x = plot.x_of_score(value)
        parts.append(f'<line x1="{x:.1f}" y1="{plot.y1:.1f}" x2="{x:.1f}" y2="{plot.y1 + 4:.1f}" class="tick"/>'
                     f'<text x="{x:.1f}" y="{plot.y1 + 17:.1f}" text-anchor="middle" class="axis">{value}</text>')
    parts.append(f'<text x="{(plot.x0 + plot.x1) / 2:.1f}" y="{plot.y1 + 34:.1f}" text-anchor="middle" '
                 f'class="axis">{esc(t["score"])}</text>'
                 f'<text x="4" y="{plot.y0 - 10:.1f}" class="axis">{esc(t["replies"].lower())}</text>')
    for band, n in enumerate(counts):
        low, high = band * 10, band * 10 + 10
        shown = f"{low}–{high if band == 9 else high - 1}"
        tip = t["band_tip"].format(band=shown, n=n, share=_percent(n / summary.graded) if summary.graded else "—")
        y = y_of(n)
        bar = []
        if n:
            for a, b, level in _band_segments(low, high):
                x, end = plot.x_of_score(a), plot.x_of_score(b)
                left = x + (2 if a == low else 0)
                right = end - (2 if b == high else 0)
                bar.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{right - left:.1f}" '
                           f'height="{plot.y1 - y:.1f}" fill="{LEVEL_COLOURS[level]}"/>')
        centre = plot.x_of_score(low + 5)
        bar.append(f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" class="count">{n}</text>')
        parts.append(f'<g><title>{esc(tip)}</title>{"".join(bar)}</g>')
    parts.append(f'<line x1="{plot.x0:.1f}" y1="{plot.y1:.1f}" x2="{plot.x1:.1f}" y2="{plot.y1:.1f}" class="base"/>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- levels per agent


def level_bar(agent: AgentRow, lang: str, *, width: int = 300, height: int = 20) -> str:
    """One agent's replies as a bar of 100 %, a segment per level, worst on the left."""
    t = _texts(lang)
    name = _agent(agent.agent, t)
    parts = [svg_open(width, height, f"{name}: {t['level_mix']}")]
    total = sum(agent.levels.values()) or 1
    done = 0
    for level in Level:
        n = agent.levels.get(level.value, 0)
        if not n:
            continue
        # whole pixels, so neighbouring segments meet without a blended seam
        x, done = round(width * done / total), done + n
        w = round(width * done / total) - x
        tip = f"{name}: {n} {LEVEL_LABELS[level][lang]} ({_percent(n / total)})"
        # a style, not a fill attribute: the page's `svg text` rule would win over an attribute
        label = (f'<text x="{x + w / 2:.1f}" y="{height / 2 + 4:.1f}" text-anchor="middle" class="seg" '
                 f'style="fill:{CHIP_TEXT[level]}">{n}</text>') if w >= 8 * len(str(n)) + 6 else ""
        parts.append(f'<g><title>{esc(tip)}</title><rect x="{x}" y="0" width="{w}" height="{height}" '
                     f'fill="{LEVEL_COLOURS[level]}"/>{label}</g>')
    parts.append("</svg>")
    return "".join(parts)


def agents_section(summary: Summary, lang: str) -> str:
    t = _texts(lang)
    shown = summary.agents[:MAX_AGENTS]
    head = (f"<tr><th>{esc(t['agent'])}</th><th class=\"num\">{esc(t['replies'])}</th>"
            f"<th>{esc(t['mean'])}</th><th>{esc(t['level_mix'])}</th><th>{esc(t['top_codes'])}</th></tr>")
    rows = []
    for agent in shown:
        mean = ("—" if agent.mean_score is None
                else f"<b>{_mean(agent.mean_score)}</b> {chip(_level(agent.mean_score), lang)}")
        codes = " ".join(f'<span class="code">{esc(code)}</span><small>×{n}</small>' for code, n in agent.top_codes)
        rows.append(f'<tr><td class="agent">{esc(_agent(agent.agent, t))}</td><td class="num">{agent.replies}</td>'
                    f'<td class="mean">{mean}</td><td class="bar">{level_bar(agent, lang)}</td>'
                    f'<td class="codes">{codes or "—"}</td></tr>')
    more = len(summary.agents) - len(shown)
    note = f'<p class="muted">{esc(t["agents_more"].format(n=more))}</p>' if more > 0 else ""
    return f'<table class="agents"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>{note}'


# ---------------------------------------------------------------- rules per language


def rules_section(summary: Summary, lang: str, rule_names: dict[str, str] | None = None) -> str:
    t = _texts(lang)
    names = rule_names or {}
    if not summary.rules:
        return f'<p class="muted">{esc(t["no_rules"])}</p>'
    parts = []
    for language, graded in sorted(summary.languages.items(), key=lambda i: (-i[1], i[0])):
        rules = sorted((r for r in summary.rules if r.language == language), key=lambda r: (-r.share, r.code))
        if not rules:
            continue
        top = rules[:TOP_RULES]
        by_label = {}
        rows = []
        for rule in top:
            name = names.get(rule.code)
            label = f"{rule.code} · {name}" if name else rule.code
            by_label[label] = rule
            rows.append((label, rule.share))

        def tooltip(label: str, _share: float, by_label: dict = by_label, graded: int = graded) -> str:
            rule = by_label[label]
            name = names.get(rule.code)
            return t["rule_tip"].format(code=rule.code, name=f" ({name})" if name else "", replies=rule.replies,
                                        n=graded, share=_percent(rule.share), hits=rule.hits)

        title = t["rules_chart"].format(language=_language(language, t), n=graded)
        chart = bar_chart(rows, CODE_BAR_COLOUR, title, lang, width=820, label_width=330, label_chars=52,
                          shown=_percent, tooltip=tooltip)
        more = len(rules) - len(top)
        note = f'<p class="muted">{esc(t["rules_more"].format(n=more))}</p>' if more > 0 else ""
        parts.append(f"<figure><h3>{esc(title)}</h3>{chart}{note}</figure>")
    return "".join(parts)


# ---------------------------------------------------------------- trend by week


def trend_chart(weeks: Sequence[WeekRow], lang: str) -> str:
    """Mean score per week as a line over the shaded level bands; under it, replies per week."""
    t = _texts(lang)
    plot = Plot(width=820, height=250, left=40, right=150, top=12, bottom=34)
    strip_top, strip_h = plot.height + 14, 46
    height = strip_top + strip_h + 6
    xs = spread(len(weeks), plot)
    ys = [plot.y(w.mean_score or 0) for w in weeks]
    parts = [svg_open(plot.width, height, t["trend_chart"])]
    parts += score_bands(plot, lang) + score_grid(plot) + x_ticks([w.week for w in weeks], xs, plot, gap=64)
    # replies per week: a strip of columns under the dates
    most = max(w.replies for w in weeks) or 1
    step = (xs[1] - xs[0]) if len(xs) > 1 else plot.x1 - plot.x0
    column = max(2.0, min(22.0, step * 0.6))
    base = strip_top + strip_h
    parts.append(f'<text x="{plot.x1 + 8:.1f}" y="{base - 4:.1f}" class="axis">{esc(t["per_week"])}</text>')
    parts.append(f'<line x1="{plot.x0:.1f}" y1="{base:.1f}" x2="{plot.x1:.1f}" y2="{base:.1f}" class="grid"/>')
    for week, x in zip(weeks, xs):
        h = max(1.5, (strip_h - 14) * week.replies / most)
        count = (f'<text x="{x:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" class="axis">{week.replies}</text>'
                 if step >= 26 else "")
        parts.append(f'<g><title>{esc(week.week)}: {week.replies}</title><rect x="{x - column / 2:.1f}" '
                     f'y="{base - h:.1f}" width="{column:.1f}" height="{h:.1f}" fill="{COUNT_BAR_COLOUR}"/>'
                     f'{count}</g>')
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{TREND_COLOUR}" stroke-width="2.5" '
                 'stroke-linejoin="round" stroke-linecap="round"/>')
    for week, x, y in zip(weeks, xs, ys):
        mean = week.mean_score or 0
        tip = t["week_tip"].format(week=week.week, mean=_mean(mean), level=LEVEL_LABELS[_level(mean)][lang],
                                   n=week.replies)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{TREND_COLOUR}" stroke="#ffffff" '
                     f'stroke-width="1.5"><title>{esc(tip)}</title></circle>')
        if step >= 40:  # the value itself, for a printed page where no tooltip shows
            parts.append(f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" class="count halo">{_mean(mean)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_section(summary: Summary, lang: str) -> str:
    t = _texts(lang)
    if not summary.weeks:
        return f'<p class="muted">{esc(t["no_dates"])}</p>'
    note = f'<p class="muted">{esc(t["undated"].format(n=summary.undated))}</p>' if summary.undated else ""
    return trend_chart(summary.weeks, lang) + note


# ---------------------------------------------------------------- lowest-scoring replies


def lowest_table(rows: Sequence[LowRow], lang: str) -> str:
    t = _texts(lang)
    head = (f"<tr><th class=\"num\">{esc(t['row'])}</th><th>{esc(t['id'])}</th><th>{esc(t['agent'])}</th>"
            f"<th>{esc(t['language'])}</th><th>{esc(t['score'].capitalize())}</th><th>{esc(t['codes'])}</th></tr>")
    body = []
    for row in rows:
        level = Level(row.level) if row.level in {lv.value for lv in Level} else level_of(row.score)
        codes = " ".join(f'<span class="code">{esc(code)}</span>' for code in row.codes) or "—"
        body.append(f'<tr><td class="num">{row.row}</td><td class="id">{esc(row.id or "—")}</td>'
                    f'<td class="agent">{esc(_agent(row.agent, t))}</td><td>{esc(_language(row.language, t))}</td>'
                    f'<td class="score"><b>{row.score}</b> {chip(level, lang)}</td><td class="codes">{codes}</td></tr>')
    return f'<table class="lowest"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


# ---------------------------------------------------------------- page


_STYLE = """
header .label,.figure .label{display:block;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#6b7280}
.files{margin:10px 0 0;overflow-wrap:anywhere}.files .label{display:inline;margin-right:6px}
code,.code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px}
.figures{display:flex;flex-wrap:wrap;gap:10px 36px;margin:14px 0 4px}
.figure .value{font-size:15px}
ul.inline{list-style:none;display:flex;flex-wrap:wrap;gap:2px 14px;padding:0;margin:0}
ul.inline li.bad{color:#b91c1c}
.levels{margin-top:10px}.levels .legend{margin:4px 0 0}
td.agent{min-width:150px;max-width:240px;overflow-wrap:anywhere}
td.mean,td.score{white-space:nowrap}
td.bar{width:316px}
td.bar svg{width:300px}
td.codes{font-size:12px}
td.codes .code{white-space:nowrap}
td.codes small{color:#6b7280;margin:0 8px 0 2px}
td.id{overflow-wrap:anywhere;max-width:200px}
table.lowest td.codes .code{margin-right:6px}
svg text.seg{font-size:11px;font-weight:600}
svg .base{stroke:#6b7280;stroke-width:1}
svg text.halo{paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}
@media print{h2,h3{break-after:avoid}}
"""


def render_html(summary: Summary, *, title: str, generated_at: str, sources: list[str], lang: str = "en",
                rule_names: dict[str, str] | None = None) -> str:
    """The whole report page of `summary`; `rule_names` maps codes to rule names shown beside them."""
    t = _texts(lang)
    top = header(summary, title=title, generated_at=generated_at, sources=sources, lang=lang)
    if summary.graded:
        blocks = {
            "distribution": histogram(summary, lang),
            "agents": agents_section(summary, lang),
            "rules": rules_section(summary, lang, rule_names),
            "trend": trend_section(summary, lang),
            "lowest": lowest_table(summary.lowest, lang),
        }
        body = "".join(f'<section id="{key}"><h2>{esc(t[key])}</h2>{blocks[key]}</section>' for key in SECTIONS)
    else:
        body = f'<p class="empty">{esc(t["nothing_graded"] if summary.rows else t["no_rows"])}</p>'
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title><style>{css(_STYLE)}</style></head>'
        f"<body><main>{top}{body}<footer>replylint</footer></main></body></html>\n"
    )


def write_report(summary: Summary, path: Path | str, *, sources: list[str], lang: str = "en",
                 rule_names: dict[str, str] | None = None) -> None:
    """Write the report page of `summary` to `path` (UTF-8), titled in `lang`."""
    t = _texts(lang)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_html(summary, title=t["title"], generated_at=when, sources=sources, lang=lang,
                       rule_names=rule_names)
    Path(path).write_text(page, encoding="utf-8")
