"""The pieces every replylint HTML report is built from: escaping, level colours and chips, SVG
chart helpers and the base style sheet.

A report is a page a team lead mails, archives or prints and opens on a locked-down laptop, so it
is one HTML file with nothing to fetch: inline CSS, charts drawn here as SVG, no script. The
training report (`replylint train report`) and the batch report (`replylint batch --html`) draw
the same levels in the same colours with the same helpers, so a reader who knows one page reads
the other, and a fix to escaping or to a chart helper reaches both.

This module sits below `training/` and `batch/`: it imports only the models, the score bands of
`analysis` and the standard library.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .analysis.score import LEVEL_FLOORS
from .analysis.score import level as level_of
from .models import LEVEL_LABELS, Level

# Colours a reader (and the screenshot tests) can tell apart.
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
CHIP_TEXT: dict[Level, str] = {level: "#ffffff" for level in Level} | {Level.average: "#1f2937"}
TREND_COLOUR = "#6d28d9"
CODE_BAR_COLOUR = "#0e7490"

# Score values the charts draw a grid line at: the floors of the levels and the top.
SCORE_GRID = (0, 40, 60, 75, 90, 100)

_TEXT: dict[str, dict[str, str]] = {
    "en": {"legend": "Levels", "nothing": "Nothing to show.", "times": "{n} time(s)"},
    "it": {"legend": "Livelli", "nothing": "Niente da mostrare.", "times": "{n} volte"},
}
LANGUAGES = tuple(_TEXT)


def esc(text: object) -> str:
    """`text` as HTML text or attribute value: every user string goes through here."""
    return html.escape(str(text), quote=True)


def pick_texts(table: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    """The strings of `lang` in a report's table; a ValueError naming the choices otherwise."""
    if lang not in table:
        raise ValueError(f"report language must be one of {', '.join(table)}, not {lang!r}")
    return table[lang]


def _texts(lang: str) -> dict[str, str]:
    return pick_texts(_TEXT, lang)


def fit(text: str, chars: int) -> str:
    """`text` cut to `chars` characters, the last one an ellipsis when it was cut."""
    return text if len(text) <= chars else text[: chars - 1] + "…"


# ---------------------------------------------------------------- small HTML pieces


def chip(level: Level, lang: str, tooltip: str = "") -> str:
    """The level's name on its colour (the `.lv-…` classes of `css()`)."""
    title = f' title="{esc(tooltip)}"' if tooltip else ""
    return f'<span class="chip lv-{level.value}"{title}>{esc(LEVEL_LABELS[level][lang])}</span>'


def score_with_level(score: int | None, lang: str) -> str:
    """'**72** average' with the chip; a grey dash for no score."""
    if score is None:
        return '<span class="muted">—</span>'
    return f"<b>{score}</b> {chip(level_of(score), lang)}"


def legend(lang: str) -> str:
    """The five level chips with their score ranges, best first."""
    items = []
    ceiling = 100
    for floor, level in LEVEL_FLOORS:
        items.append(f"<li>{chip(level, lang)} <span class=\"muted\">{floor}–{ceiling}</span></li>")
        ceiling = floor - 1
    return f'<ul class="legend" aria-label="{esc(_texts(lang)["legend"])}">{"".join(items)}</ul>'


# ---------------------------------------------------------------- SVG charts


@dataclass(frozen=True)
class Plot:
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


def svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">')


def level_ranges() -> list[tuple[int, int, Level]]:
    """(low, high, level) for each band, bottom to top: 0–40, 40–60, 60–75, 75–90, 90–100."""
    out, ceiling = [], 100
    for floor, level in LEVEL_FLOORS:
        out.append((floor, ceiling, level))
        ceiling = floor
    return out[::-1]


def score_bands(plot: Plot, lang: str) -> list[str]:
    """The level bands shaded across a plot whose y is the score, each named on the right."""
    parts = []
    for low, high, level in level_ranges():
        top, bottom = plot.y(high), plot.y(low)
        parts.append(f'<rect x="{plot.x0:.1f}" y="{top:.1f}" width="{plot.x1 - plot.x0:.1f}" '
                     f'height="{bottom - top:.1f}" fill="{LEVEL_COLOURS[level]}" fill-opacity="0.10"/>')
        parts.append(f'<text x="{plot.x1 + 8:.1f}" y="{(top + bottom) / 2 + 4:.1f}" style="fill:{LEVEL_INK[level]}" '
                     f'class="band">{esc(LEVEL_LABELS[level][lang])}</text>')
    return parts


def score_grid(plot: Plot) -> list[str]:
    """Horizontal grid lines at the level floors, the score written on the left."""
    parts = []
    for value in SCORE_GRID:
        y = plot.y(value)
        parts.append(f'<line x1="{plot.x0:.1f}" y1="{y:.1f}" x2="{plot.x1:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{plot.x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value}</text>')
    return parts


def spread(count: int, plot: Plot, pad: float = 14) -> list[float]:
    """x of `count` points, in order, evenly spaced across the plot."""
    if count == 1:
        return [(plot.x0 + plot.x1) / 2]
    step = (plot.x1 - plot.x0 - 2 * pad) / (count - 1)
    return [plot.x0 + pad + i * step for i in range(count)]


def x_ticks(labels: Sequence[str], xs: Sequence[float], plot: Plot, gap: float = 78) -> list[str]:
    """A tick and its label under the plot at each x, skipping a label equal to the last one shown
    and any that would come closer than `gap` to it."""
    parts, last_x, last_label = [], -gap, ""
    for label, x in zip(labels, xs):
        if label == last_label or x - last_x < gap:
            continue
        parts.append(f'<line x1="{x:.1f}" y1="{plot.y1:.1f}" x2="{x:.1f}" y2="{plot.y1 + 4:.1f}" class="tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{plot.y1 + 17:.1f}" text-anchor="middle" class="axis">{esc(label)}</text>')
        last_x, last_label = x, label
    return parts


def bar_chart(rows: Sequence[tuple[str, float]], colour: str, label: str, lang: str, *, width: int = 450,
              label_width: int = 200, label_chars: int = 30,
              shown: Callable[[float], str] = str,
              tooltip: Callable[[str, float], str] | None = None) -> str:
    """Horizontal bars, in the order given (longest first, as a rule): `rows` is (label, value).

    `shown` writes the value at the end of the bar; `tooltip` gives each bar's hover text
    ('label: n time(s)' unless given).
    """
    t = _texts(lang)
    if not rows:
        return f'<p class="muted">{esc(t["nothing"])}</p>'
    row_h, top = 26, 6
    bar_max = width - label_width - 44
    height = top * 2 + row_h * len(rows)
    most = max(value for _, value in rows) or 1
    parts = [svg_open(width, height, label)]
    for i, (name, value) in enumerate(rows):
        y = top + i * row_h
        length = max(2.0, bar_max * value / most)
        tip = tooltip(name, value) if tooltip else f"{name}: {t['times'].format(n=value)}"
        parts.append(f'<g><title>{esc(tip)}</title>'
                     f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" class="label">'
                     f'{esc(fit(name, label_chars))}</text>'
                     f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" rx="2" '
                     f'fill="{colour}"/>'
                     f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" class="count">{esc(shown(value))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- page


BASE_STYLE = """
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
.chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11.5px;font-weight:600;white-space:nowrap}
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
@media print{main{max-width:none;padding:0}tr,svg,figure{break-inside:avoid}a{text-decoration:none}}
"""


def css(extra: str = "") -> str:
    """The base style sheet, then a report's own rules (`extra`), then the level chip colours."""
    chips = "".join(f".lv-{level.value}{{background:{LEVEL_COLOURS[level]};color:{CHIP_TEXT[level]}}}"
                    for level in Level)
    return BASE_STYLE + extra + chips
