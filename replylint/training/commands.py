"""`replylint train`: the team lead's and the trainee's commands.

    replylint train [--lang] [--scenario ID] [--agent NAME] [--editor]      interactive session
    replylint train --scenario ID --answer FILE|- [--format text|json]     grade one answer (scripts)
    replylint train list | history | report --html FILE | drill

Built by `cli` with its own consoles (so a closed pipe ends as every other
command does). Scenario folders and the history file come from options,
else the config's `[training]`, else the shipped scenarios and the user's
data directory.
"""

from __future__ import annotations

import getpass
import json
import os
import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..config import Config, config_for
from ..errors import InputError
from ..models import LEVEL_LABELS, Level
from ..text.reading import read_text_input
from .drills import DRILL_CATEGORIES, Drill, DrillResult, deal, drills, pick, try_rewrite
from .grading import Grade, grade
from .history import LEVEL_RANK, AgentHistory, Store, default_path
from .render import LEVEL_STYLE, show_grade, show_scenario
from .scenarios import Scenario, find, load_scenarios
from .session import Session, editor_command


class Format(str, Enum):  # also the CLI's: one definition for every command's --format
    text = "text"
    json = "json"


class Lang(str, Enum):
    it = "it"
    en = "en"


DrillCategory = Enum("DrillCategory", {name: name for name in DRILL_CATEGORIES}, type=str)  # type: ignore[misc]

LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Only scenarios in this language (it or en).")]
AgentOpt = Annotated[str | None, typer.Option("--agent", help="Who is training (default: your login name).")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="History file (SQLite); share one across a team.")]
ScenariosOpt = Annotated[
    Path | None, typer.Option("--scenarios", help="A folder of your team's scenarios, beside the shipped ones.")
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Config file (default: discovered).")]
FormatOpt = Annotated[Format, typer.Option("--format", help="text or json.")]
_SPARK = "▁▂▃▄▅▆▇█"


def _scenarios(config: Config, folder: Path | None, lang: Lang | None) -> list[Scenario]:
    extra = folder or config.training.scenarios
    found = load_scenarios([extra] if extra else [])
    return [s for s in found if lang is None or s.lang == lang.value]


def _store(config: Config, db: Path | None) -> Store:
    return Store(db or config.training.db or default_path())


def _agent(name: str | None) -> str:
    if name is not None:
        if not name.strip():
            raise InputError("--agent needs a name")
        return name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER") or "agent"


def build(out: Console, err: Console) -> typer.Typer:
    """The `train` command group, printing on `out` (results) and `err` (progress and errors)."""
    # Panels of customer messages and answers wrap to the terminal; `out` keeps long lines whole
    # for `check`'s copy-and-paste output. Same class, so a closed pipe ends the same way.
    out = type(out)(highlight=False, soft_wrap=False)
    app = typer.Typer(
        name="train", help="Train new agents on realistic scenarios; grade answers; track progress.",
        add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
        invoke_without_command=True,
    )

    @app.callback()
    def train(
        ctx: typer.Context,
        lang: LangOpt = None,
        scenario: Annotated[str | None, typer.Option("--scenario", help="Practise this scenario (id).")] = None,
        agent: AgentOpt = None,
        answer: Annotated[
            str | None,
            typer.Option("--answer", help="Grade this answer (a file, or - for standard input) without asking."),
        ] = None,
        output_format: FormatOpt = Format.text,
        editor: Annotated[bool, typer.Option("--editor", help="Write each answer in $EDITOR.")] = False,
        scenarios: ScenariosOpt = None,
        db: DbOpt = None,
        no_save: Annotated[bool, typer.Option("--no-save", help="Do not store the attempt in the history.")] = False,
        seed: Annotated[int | None, typer.Option("--seed", help="Order of the scenarios (default: random).")] = None,
        config_path: ConfigOpt = None,
    ) -> None:
        """Practise scenarios: read the customer's message, write the reply, see what it missed."""
        if ctx.invoked_subcommand is not None:
            return
        config = config_for(config_path)
        pool = _scenarios(config, scenarios, lang)
        store = None if no_save else _store(config, db)
        who = _agent(agent)
        if answer is not None:
            if scenario is None:
                raise InputError("--answer needs --scenario ID (see 'replylint train list')")
            chosen = find(pool, scenario)
            text = read_text_input(answer, config.max_chars)
            graded = grade(chosen, text, agent=who, config=config)
            if store is not None:
                store.add(graded)
            if output_format is Format.json:
                out.print_json(json.dumps(graded.summary(), ensure_ascii=False))
            else:
                show_scenario(out, chosen)
                show_grade(out, chosen, text, graded)
            return
        if output_format is Format.json:
            raise InputError("--format json needs --answer (the interactive session is text)")
        # Before the first scenario is shown: a trainee must not read a case and type an answer
        # only to learn that it cannot be saved or that the editor cannot start.
        if editor:
            editor_command()
        if store is not None:
            store.check()
        if not sys.stdin.isatty() and not editor:
            err.print("[dim]replylint: reading answers from standard input (not a terminal)[/]")
        if scenario is not None:
            queue = [find(pool, scenario)]
        else:
            if not pool:
                raise InputError("no scenario to practise (check --lang and --scenarios)")
            queue = list(pool)
            random.Random(seed).shuffle(queue)
        raise typer.Exit(Session(out, queue, who, store, config, editor=editor).run())

    @app.command("list")
    def list_scenarios(
        lang: LangOpt = None, output_format: FormatOpt = Format.text, scenarios: ScenariosOpt = None,
        config_path: ConfigOpt = None,
    ) -> None:
        """List the scenarios: id, title, language, channel."""
        pool = _scenarios(config_for(config_path), scenarios, lang)
        if output_format is Format.json:
            payload = [{"id": s.id, "title": s.title, "lang": s.lang, "channel": s.channel, "situation": s.situation}
                       for s in pool]
            out.print_json(json.dumps(payload, ensure_ascii=False))
            return
        table = Table()
        for column in ("id", "title", "lang", "channel"):
            table.add_column(column, overflow="fold")
        for s in pool:
            table.add_row(s.id, escape(s.title), s.lang, s.channel)
        out.print(table)
        out.print(f"{len(pool)} scenarios")

    @app.command()
    def history(
        agent: Annotated[str | None, typer.Option("--agent", help="Only this agent.")] = None,
        output_format: FormatOpt = Format.text, db: DbOpt = None, config_path: ConfigOpt = None,
    ) -> None:
        """Per agent: attempts, level per scenario over time, the rules met most often, the trend."""
        histories = _store(config_for(config_path), db).by_agent(agent)
        if output_format is Format.json:
            out.print_json(json.dumps([h.to_json() for h in histories], ensure_ascii=False))
            return
        if not histories:
            out.print("No attempts yet." if agent is None else f"No attempts by {escape(agent)} yet.")
            return
        for item in histories:
            _show_history(out, item)

    @app.command()
    def report(
        html: Annotated[Path, typer.Option("--html", help="Write the team lead's page here (self-contained HTML).")],
        agent: Annotated[str | None, typer.Option("--agent", help="Only this agent.")] = None,
        lang: Annotated[Lang, typer.Option("--lang", help="Language of the page's labels.")] = Lang.en,
        scenarios: ScenariosOpt = None, db: DbOpt = None, config_path: ConfigOpt = None,
    ) -> None:
        """Write an HTML report of every agent's progress (tables and charts, no network)."""
        from .report import write_report

        if html.is_dir():
            raise InputError(f"{html}: is a folder; --html needs a file name")
        config = config_for(config_path)
        folders = [f for f in (scenarios or config.training.scenarios,) if f is not None]
        try:
            agents = write_report(_store(config, db), html, agent=agent, lang=lang.value, scenario_dirs=folders)
        except OSError as exc:
            raise InputError(f"{html}: cannot be written ({exc.strerror or type(exc).__name__})") from None
        err.print(f"replylint: wrote {html} ({agents} agent{'s' if agents != 1 else ''})")

    @app.command()
    def drill(
        lang: Annotated[Lang, typer.Option("--lang", help="Language of the sentences.")] = Lang.it,
        category: Annotated[DrillCategory | None, typer.Option("--category", help="negative, promise or tone.")]
        = None,
        rounds: Annotated[int, typer.Option("--rounds", min=1, help="How many sentences.")] = 5,
        answer: Annotated[
            str | None, typer.Option("--answer", help="Check this rewrite (file or -) of the drill --code picks.")
        ] = None,
        code: Annotated[str | None, typer.Option("--code", help="Drill this rule's sentences only.")] = None,
        seed: Annotated[int | None, typer.Option("--seed", help="Which sentences (default: random).")] = None,
        agent: AgentOpt = None, db: DbOpt = None, no_save: Annotated[bool, typer.Option("--no-save")] = False,
        output_format: FormatOpt = Format.text, config_path: ConfigOpt = None,
    ) -> None:
        """Rewrite single flawed sentences until the rule is silent and the facts are kept."""
        config = config_for(config_path)
        pool = drills(lang.value, category.value if category else None, config)
        if code is not None:
            pool = [d for d in pool if d.rule.code == code.upper()]
        if not pool:
            raise InputError("no drill sentence matches (check --lang, --category and --code)")
        rng = random.Random(seed)
        store = None if no_save else _store(config, db)
        who = _agent(agent)
        if answer is not None:
            chosen = pick(pool, rng)
            result = try_rewrite(chosen, read_text_input(answer, config.max_chars), config)
            _record_drill(store, who, result)
            payload = {"code": chosen.rule.code, "sentence": chosen.sentence, "passed": result.passed,
                       "still_fires": [f.message for f in result.fired], "missing": result.missing,
                       "off_topic": result.off_topic}
            if output_format is Format.json:
                out.print_json(json.dumps(payload, ensure_ascii=False))
            else:
                _show_drill_result(out, lang.value, result)
            return
        if store is not None:
            store.check()  # before the first sentence, not after the first rewrite
        _run_drills(out, lang.value, pool, rng, rounds, store, who, config)

    return app


def _record_drill(store: Store | None, agent: str, result: DrillResult) -> None:
    """A drill attempt in the history: passed is 100 (stellar), not passed 0."""
    if store is None:
        return
    store.add(Grade(
        scenario=result.drill.rule.code, lang=result.drill.rule.lang, agent=agent,
        score=100 if result.passed else 0, level=Level.stellar if result.passed else Level.unacceptable,
        findings=result.fired, steps=[], facts=[], rewrite=None, check_score=None, check_level=None,
        answered_at=datetime.now(UTC).isoformat(timespec="seconds"), seconds=None,
        reasons=[],
    ), kind="drill")


_DRILL_TEXT = {
    "intro": {"en": "Rewrite the sentence (empty line to skip, Ctrl-C to stop).",
              "it": "Riscrivi la frase (riga vuota per saltare, Ctrl-C per fermarti)."},
    "pass": {"en": "Passed: the rule is silent and the facts are kept.",
             "it": "Superato: la regola tace e i dati sono rimasti."},
    "fires": {"en": "Still flagged", "it": "Ancora segnalata"},
    "missing": {"en": "Keep these facts", "it": "Mantieni questi dati"},
    "done": {"en": "passed", "it": "superati"},
    "off_topic": {"en": "Rewrite the same sentence; keep what it is about",
                  "it": "Riscrivi la stessa frase; mantieni di cosa parla"},
}


def _show_drill_result(out: Console, lang: str, result: DrillResult) -> None:
    if result.passed:
        out.print(f"[green]✓ {_DRILL_TEXT['pass'][lang]}[/]")
        return
    for finding in result.fired:
        out.print(f"[red]✗ {_DRILL_TEXT['fires'][lang]}:[/] {escape(finding.excerpt)} — {escape(finding.message)}")
    if result.missing:
        out.print(f"[red]✗ {_DRILL_TEXT['missing'][lang]}:[/] {escape(', '.join(result.missing))}")
    if result.off_topic:
        out.print(f"[red]✗ {_DRILL_TEXT['off_topic'][lang]}:[/] {escape(', '.join(result.drill.topic))}")


def _run_drills(out: Console, lang: str, pool: list[Drill], rng: random.Random, rounds: int, store: Store | None,
                agent: str, config: Config, read_line: Callable[[], str] = input) -> None:
    passed = done = 0
    out.print(f"[bold]{_DRILL_TEXT['intro'][lang]}[/]")
    sentences = deal(pool, rng)  # no sentence twice before all have been shown
    try:
        for number in range(1, rounds + 1):
            chosen = next(sentences)
            advice = chosen.rule.suggest.advice.get(lang)
            out.rule(f"[bold]{number}/{rounds}[/] [dim]{chosen.rule.code} {chosen.rule.name}[/]")
            out.print(f"  [yellow]{escape(chosen.sentence)}[/]")
            out.print(f"  [dim]{escape(advice)}[/]")
            while True:
                text = read_line()
                if not text.strip():
                    break
                result = try_rewrite(chosen, text, config)
                _record_drill(store, agent, result)
                _show_drill_result(out, lang, result)
                if result.passed:
                    passed += 1
                    break
            done += 1
    except (KeyboardInterrupt, EOFError):
        out.print()
    out.print(f"[bold]{passed}/{done} {_DRILL_TEXT['done'][lang]}[/]")


def _spark(scores: list[int]) -> str:
    return "".join(_SPARK[min(len(_SPARK) - 1, score * len(_SPARK) // 101)] for score in scores)


def _show_history(out: Console, item: AgentHistory) -> None:
    attempts = item.attempts
    out.rule(f"[bold]{escape(item.agent)}[/] · {len(attempts)} attempts")
    scenario_attempts = [a for a in attempts if a.kind == "scenario"]
    if scenario_attempts:
        scores = [a.score for a in scenario_attempts]
        out.print(f"trend  {_spark(scores)}  [dim]{scores[0]} → {scores[-1]} "
                  f"({scenario_attempts[0].answered_at[:10]} → {scenario_attempts[-1].answered_at[:10]})[/]")
    table = Table()
    for column in ("scenario", "attempts", "levels over time", "latest"):
        table.add_column(column, overflow="fold")
    for scenario_id, tries in sorted(item.scenarios.items()):
        steps = " → ".join(f"[{LEVEL_STYLE[a.level]}]{LEVEL_RANK[a.level] + 1}[/]" for a in tries)
        latest = tries[-1]
        table.add_row(escape(scenario_id), str(len(tries)), steps,
                      f"[{LEVEL_STYLE[latest.level]}]{latest.score} {LEVEL_LABELS[latest.level]['en']}[/]")
    if item.scenarios:
        out.print(table)
        out.print("[dim]levels: 1 unacceptable · 2 below average · 3 average · 4 above average · 5 stellar[/]")
    drills_done = [a for a in attempts if a.kind == "drill"]
    if drills_done:
        out.print(f"drills: {sum(a.score == 100 for a in drills_done)}/{len(drills_done)} passed")
    codes = item.top_codes()
    if codes:
        out.print("met most often: " + ", ".join(f"{code} ×{count}" for code, count in codes))
