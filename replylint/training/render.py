"""How a scenario and a graded answer look in a terminal, in the scenario's language.

A trainee reads this right after answering, so it leads with what to fix:
the answer with each finding's span underlined, then the LATTE checklist,
the facts used and missed, the grade and why it is not higher, a rewrite
when the rules offer one, the model answer and the tips. Labels follow the
scenario's language: an Italian trainee practises in Italian throughout.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from ..models import LEVEL_LABELS, Level
from .grading import STEP_NAMES, Grade
from .scenarios import Scenario

LABELS = {
    "customer": {"en": "Customer", "it": "Cliente"},
    "facts": {"en": "What you know", "it": "Cosa sai"},
    "channel": {"en": "channel", "it": "canale"},
    "your_answer": {"en": "Your answer", "it": "La tua risposta"},
    "findings": {"en": "Findings", "it": "Segnalazioni"},
    "no_findings": {"en": "No findings.", "it": "Nessuna segnalazione."},
    "latte": {"en": "LATTE steps", "it": "Passi LATTE"},
    "required": {"en": "needed here", "it": "richiesto qui"},
    "facts_used": {"en": "Facts the answer had to use", "it": "Informazioni da usare"},
    "grade": {"en": "Grade", "it": "Valutazione"},
    "why": {"en": "Why not higher", "it": "Perché non di più"},
    "check_alone": {"en": "replylint check alone", "it": "solo replylint check"},
    "rewrite": {"en": "Suggested rewrite", "it": "Riscrittura suggerita"},
    "model": {"en": "Model answer", "it": "Risposta modello"},
    "tips": {"en": "Tips", "it": "Suggerimenti"},
    # The two lines above an answer: each fits an 80-column terminal.
    "write": {
        "en": "Write your reply, then press Enter on an empty line (or Ctrl-D) to finish.",
        "it": "Scrivi la risposta, poi premi Invio su una riga vuota (o Ctrl-D) per terminare.",
    },
    "paragraphs": {
        "en": "A pasted reply keeps its paragraphs; to type paragraphs by hand, use --editor.",
        "it": "Incolla pure risposte con più paragrafi; per scriverli a mano, usa --editor.",
    },
}
LEVEL_STYLE = {
    Level.unacceptable: "bold red", Level.below_average: "red", Level.average: "yellow",
    Level.above_average: "green", Level.stellar: "bold green",
}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def label(key: str, lang: str) -> str:
    return LABELS[key][lang]


def show_scenario(console: Console, scenario: Scenario, number: tuple[int, int] | None = None) -> None:
    lang = scenario.lang
    counter = f"[{number[0]}/{number[1]}] " if number else ""
    console.rule(f"[bold]{counter}{escape(scenario.title)}[/]  [dim]{scenario.id} · {label('channel', lang)}: "
                 f"{scenario.channel}[/]")
    for turn, message in enumerate(scenario.customer, 1):
        title = label("customer", lang) + (f" ({turn})" if len(scenario.customer) > 1 else "")
        console.print(Panel(escape(message.strip()), title=title, title_align="left", border_style="blue"))
    facts = "\n".join(f"• {escape(fact)}" for fact in scenario.facts)
    console.print(Panel(facts, title=label("facts", lang), title_align="left", border_style="dim"))


def _underlined(answer: str, grade: Grade) -> Text:
    text = Text(answer.rstrip())
    for finding in grade.findings:
        end = min(finding.span.end, len(text.plain))
        if finding.span.start < end:
            text.stylize(f"underline {_SEVERITY_STYLE[finding.severity.value]}", finding.span.start, end)
    return text


def _short(excerpt: str, limit: int = 60) -> str:
    """A finding about something missing spans a whole paragraph; its start is enough to find it."""
    flat = " ".join(excerpt.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def show_grade(console: Console, scenario: Scenario, answer: str, grade: Grade, *, model: bool = True) -> None:
    lang = scenario.lang
    console.print(Panel(_underlined(answer, grade), title=label("your_answer", lang), title_align="left"))
    console.print(f"[bold]{label('findings', lang)}[/]")
    if not grade.findings:
        console.print(f"  [green]{label('no_findings', lang)}[/]")
    for finding in grade.findings:
        style = _SEVERITY_STYLE[finding.severity.value]
        console.print(f"  [{style}]{finding.code}[/] [dim]{finding.severity.value}[/] "
                      f"[underline]{escape(_short(finding.excerpt))}[/] — {escape(finding.message)}")
        if finding.suggestions:
            console.print(f"      [green]→[/] {escape(finding.suggestions[0].advice)}")
    console.print(f"[bold]{label('latte', lang)}[/]")
    for step in grade.steps:
        mark = "[green]✓[/]" if step.present else ("[red]✗[/]" if step.required else "[dim]·[/]")
        needed = f" [dim]({label('required', lang)})[/]" if step.required else ""
        console.print(f"  {mark} {STEP_NAMES[step.step][lang]}{needed}")
    console.print(f"[bold]{label('facts_used', lang)}[/]")
    for fact in grade.facts:
        console.print(f"  {'[green]✓[/]' if fact.used else '[red]✗[/]'} {escape(fact.text)}")
    level = LEVEL_LABELS[grade.level][lang]
    console.print(f"[bold]{label('grade', lang)}:[/] [{LEVEL_STYLE[grade.level]}]{grade.score}/100 · {level}[/]"
                  + (f"  [dim]({label('check_alone', lang)}: {grade.check_score}/100)[/]"
                     if grade.check_score is not None else ""))
    if grade.reasons:
        console.print(f"[bold]{label('why', lang)}:[/]")
        for reason in grade.reasons:
            console.print(f"  • {escape(reason)}")
    if grade.rewrite is not None:
        console.print(Panel(escape(grade.rewrite.rstrip()), title=label("rewrite", lang), title_align="left",
                            border_style="green"))
    if model:
        console.print(Panel(Text(scenario.model_answer.rstrip()), title=label("model", lang), title_align="left",
                            border_style="cyan"))
        if scenario.hints:
            console.print(f"[bold]{label('tips', lang)}:[/]")
            for hint in scenario.hints:
                console.print(f"  • {escape(hint)}")
