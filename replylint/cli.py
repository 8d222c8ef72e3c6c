"""The `replylint` command: check, fix, rules, explain, packs, train, batch, serve.

Typer (on Click) gives the argument parsing, help pages and exit code 2 for
usage errors; rich renders the findings. Exit codes: 0 nothing at or above
the fail level, 1 findings at or above it, 2 usage or input errors.
Reply text never reaches a log: it is only printed back to the terminal
that asked for it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .batch.sources import EXPORT_SUFFIXES
from .config import config_for, merge
from .errors import InputError, ReplylintError
from .models import LATTE_STEPS, LEVEL_LABELS, Category, Report, Severity
from .text.reading import read_text_input as _read_input
from .training.commands import ConfigOpt, Format, Lang

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="replylint",
    help="Lint customer-service draft replies before they are sent (Italian and English).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader went away


class _ReaderGone(Exception):
    """Standard output was closed by its reader (`replylint check … | head`)."""


class _Output(Console):
    """The output console. Rich's default on a closed pipe is exit 1, which reads as "findings";
    here the output is dropped and the command ends as other CLIs do, with 141."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _silence_stdout()
        raise _ReaderGone


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


out = _Output(highlight=False, soft_wrap=True)
_stdout = out
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _add_train() -> None:
    from .training.commands import build

    app.add_typer(build(out, err), name="train")


_add_train()


def _add_batch() -> None:
    from .batch.commands import build

    app.command(name="batch")(build(out, err))


_add_batch()


class ChannelOpt(str, Enum):
    email = "email"
    chat = "chat"
    social = "social"
    sms = "sms"


# Options `check` and `fix` share, declared once.
ReplyLangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="Force the reply language (detected otherwise).")]
ChannelOption = Annotated[Optional[ChannelOpt], typer.Option("--channel", help="Channel the reply goes out on.")]
CustomerOpt = Annotated[
    Optional[Path], typer.Option("--customer", help="File with the customer's message the reply answers.")
]
BrandOpt = Annotated[
    Optional[str], typer.Option("--brand", help="Brand profile to check against ([brands.NAME] in the config).")
]


class _Fail(Exception):
    """An input or usage problem: one line on stderr, exit 2."""


def _codes(values: list[str] | None) -> list[str] | None:
    """`--select A,B --select C` → ["A", "B", "C"]."""
    if not values:
        return None
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _render(
    label: str, text: str, report: Report, with_customer: bool = False, min_severity: Severity = Severity.info,
    console: Console | None = None, quiet: bool = False,
) -> None:
    """Ruff-like output: location, code, message, the line with the span underlined, the fix;
    then (unless quiet) the notes, LATTE, readability and score lines."""
    out = console or _stdout
    lines = text.splitlines() or [""]
    for finding in report.at_or_above(min_severity):
        style = {"error": "bold red", "warning": "yellow", "info": "cyan"}[finding.severity.value]
        out.print(
            f"[bold]{escape(label)}:{finding.line}:{finding.column}:[/] "
            f"[{style}]{finding.code}[/] [dim]\\[{finding.severity.value}][/] {escape(finding.message)}"
        )
        source = lines[finding.line - 1] if finding.line - 1 < len(lines) else ""
        width = len(str(finding.line))
        length = max(1, min(finding.span.end - finding.span.start, len(source) - finding.column + 1))
        out.print(f"[blue]{' ' * width} |[/]")
        out.print(f"[blue]{finding.line} |[/] {escape(source)}")
        out.print(f"[blue]{' ' * width} |[/] {' ' * (finding.column - 1)}[{style}]{'^' * length}[/]")
        for suggestion in finding.suggestions:
            if suggestion.replacement is not None:
                out.print(f"[blue]{' ' * width} =[/] [green]replace with:[/] {escape(suggestion.replacement)!r}")
            if suggestion.insert is not None:
                out.print(f"[blue]{' ' * width} =[/] [green]add:[/] {escape(suggestion.insert)!r}")
        if finding.suggestions:
            out.print(f"[blue]{' ' * width} =[/] [green]help:[/] {escape(finding.suggestions[0].advice)}")
        out.print()
    if quiet:
        return
    for note in report.notes:
        out.print(f"[bold]{escape(label)}:[/] [cyan]note:[/] {escape(note.message)}")
    if report.latte is not None and (report.latte.expected or with_customer):
        marks = "  ".join(
            f"{'[green]✓[/]' if getattr(report.latte, step).present else '[red]✗[/]'} {step.replace('_', ' ')}"
            for step in LATTE_STEPS
        )
        expected = "expected: the customer reports a problem" if report.latte.expected else "not required here"
        out.print(f"[bold]{escape(label)}:[/] LATTE  {marks}  [dim]({expected})[/]")
    if report.readability is not None:
        r = report.readability
        out.print(
            f"[bold]{escape(label)}:[/] readability {r.metric} {r.score:.0f} · {r.sentences} sentences · "
            f"{r.words_per_sentence:.0f} words/sentence · longest {r.longest_sentence_words}"
        )
    if report.score is not None and report.level is not None:
        counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
        level_label = LEVEL_LABELS[report.level]
        summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n) or "no findings"
        out.print(
            f"[bold]{escape(label)}:[/] {report.language} · score {report.score}/100 · "
            f"{level_label['en']}{f' ({level_label[report.language]})' if report.language != 'en' else ''} · {summary}"
        )


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


PROGRESS_AFTER_FILES = 50  # fewer files finish before a bar would help


@app.command()
def check(
    files: Annotated[list[str], typer.Argument(help="Reply files or folders (their .txt and .md files) to check; "
                                                    "'-' reads standard input.")],
    lang: ReplyLangOpt = None,
    channel: ChannelOption = None,
    customer: CustomerOpt = None,
    select: Annotated[Optional[list[str]], typer.Option(help="Only these codes or prefixes (comma-separated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(help="Skip these codes or prefixes (comma-separated).")] = None,
    fail_on: Annotated[
        Optional[Severity], typer.Option("--fail-on", help="Exit 1 on findings at or above this (default: error).")
    ] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings are present.")] = False,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Show findings at or above this (the score counts them all).")
    ] = Severity.info,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="text for people, json for tools, sarif / github / junit for CI.")
    ] = CheckFormat.text,
    statistics: Annotated[bool, typer.Option("--statistics", help="Counts per rule code instead of each finding.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Findings only: no LATTE, readability, score or "
                                                             "summary lines, no progress bar.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the output to this file.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")] = False,
    config_path: ConfigOpt = None,
    brand: BrandOpt = None,
    accept: Annotated[Optional[list[str]], typer.Option(help="Accept these codes or prefixes for these replies.")] = None,
    languagetool: Annotated[
        Optional[str],
        typer.Option(
            "--languagetool", metavar="URL", envvar="REPLYLINT_LANGUAGETOOL_URL", show_envvar=True,
            help="Also check grammar on this LanguageTool server (e.g. http://localhost:8081); "
            "the agent's own words are sent there ([languagetool] url in the config).",
        ),
    ] = None,
) -> None:
    """Check draft replies and print findings with suggestions."""
    from . import check as run_check

    config = config_for(config_path)
    grammar = {**config.languagetool.model_dump(), "url": languagetool} if languagetool else None
    config = merge(config, select=_codes(select), ignore=_codes(ignore), fail_on=fail_on, languagetool=grammar)
    customer_text = _read_input(str(customer), config.max_chars) if customer is not None else None
    if files.count("-") > 1:
        raise _Fail("standard input ('-') can be read only once")
    files = _expand_folders(files)
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        raise _Fail(f"{output}: cannot be written (not a file in an existing folder)")
    sink = _Sink(output, no_color or bool(os.environ.get("NO_COLOR")))
    text_mode = output_format is CheckFormat.text and not statistics

    worst = EXIT_OK
    results: list[tuple[str, str, Report]] = []
    unreadable = 0
    progress = _file_progress(len(files), quiet)
    try:
        for name in files:
            label = "<stdin>" if name == "-" else name
            if progress is not None:
                progress.update(1)
            if name != "-" and Path(name).suffix.lower() in EXPORT_SUFFIXES:
                err.print(f"replylint: error: {escape(name)}: looks like a helpdesk export, not one reply; "
                          f"grade every row with: replylint batch {escape(name)} --out results.jsonl")
                worst, unreadable = EXIT_ERROR, unreadable + 1
                continue
            try:
                text = _read_input(name, config.max_chars)
            except InputError as exc:  # the message names the file (or standard input) already
                err.print(f"replylint: error: {escape(str(exc))}")
                worst, unreadable = EXIT_ERROR, unreadable + 1
                continue
            try:
                report = run_check(
                    text,
                    customer=customer_text,
                    lang=lang.value if lang else None,
                    channel=channel.value if channel else None,
                    config=config,
                    brand=brand,
                    accept=_codes(accept),
                )
            except (_Fail, InputError) as exc:
                message = str(exc) if isinstance(exc, _Fail) else f"{label}: {exc}"
                err.print(f"replylint: error: {escape(message)}")
                worst, unreadable = EXIT_ERROR, unreadable + 1
                continue
            results.append((label, text, report))
            if text_mode:
                with _above(progress):
                    _render(label, text, report, with_customer=customer_text is not None, min_severity=min_severity,
                            console=sink.console, quiet=quiet)
            if report.at_or_above(config.fail_on) and worst == EXIT_OK:
                worst = EXIT_FINDINGS
    finally:
        if progress is not None:
            progress.close()

    _finish_check(sink, output_format, statistics, results, files, config.fail_on, min_severity, quiet, unreadable)
    if exit_zero and worst == EXIT_FINDINGS:
        worst = EXIT_OK
    raise typer.Exit(worst)


TEMPLATE_SUFFIXES = (".txt", ".md")


def _expand_folders(files: list[str]) -> list[str]:
    """A folder stands for the reply templates in it (.txt and .md, recursively, sorted), as Ruff
    takes a folder for its Python files; an empty folder is an error, not a silent pass."""
    expanded: list[str] = []
    for name in files:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in TEMPLATE_SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise _Fail(f"{name}: a folder with no .txt or .md replies in it")
            expanded.extend(found)
        else:
            expanded.append(name)
    return expanded


class _Sink:
    """Where `check` writes: standard output, or `--output FILE` (written once, at the end, so a
    failed run does not leave half a SARIF file)."""

    def __init__(self, path: Path | None, no_color: bool) -> None:
        self.path = path
        self.buffer = io.StringIO() if path is not None else None
        if path is not None:
            self.console = _Output(file=self.buffer, highlight=False, soft_wrap=True, color_system=None,
                                   force_terminal=False)
        elif no_color:  # no escape codes at all: rich's own no_color keeps bold and underline
            self.console = _Output(highlight=False, soft_wrap=True, color_system=None)
        else:
            self.console = out

    def write(self, text: str) -> None:
        if self.buffer is not None:
            self.buffer.write(text)
        else:
            sys.stdout.write(text)

    def close(self) -> None:
        if self.path is not None and self.buffer is not None:
            try:
                self.path.write_text(self.buffer.getvalue(), encoding="utf-8")
            except OSError as exc:
                raise _Fail(f"{self.path}: cannot be written ({exc.strerror or type(exc).__name__})") from None


def _file_progress(count: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A progress bar on standard error for long runs on a terminal."""
    if quiet or count <= PROGRESS_AFTER_FILES or not err.is_terminal:
        return None
    from tqdm import tqdm

    return tqdm(total=count, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.3)


def _above(progress):  # type: ignore[no-untyped-def]
    """Print above the progress bar, not through it."""
    if progress is None:
        return contextlib.nullcontext()
    return progress.external_write_mode(file=sys.stdout)


def _finish_check(sink: _Sink, output_format: CheckFormat, statistics: bool, results: list[tuple[str, str, Report]],
                  files: list[str], fail_on: Severity, min_severity: Severity, quiet: bool, unreadable: int) -> None:
    from . import formats

    if statistics:
        _print_statistics(sink, results, min_severity, output_format)
    elif output_format is CheckFormat.json:
        if len(files) == 1 and results:
            sink.write(results[0][2].model_dump_json(indent=2) + "\n")
        elif results:
            payload = [{"path": label, "report": report.model_dump(mode="json")} for label, _, report in results]
            sink.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif output_format is CheckFormat.sarif:
        from .engine import get_engine

        sink.write(formats.sarif_json(results, get_engine().rules, min_severity=min_severity))
    elif output_format is CheckFormat.github:
        sink.write(formats.github(results, min_severity=min_severity))
    elif output_format is CheckFormat.junit:
        sink.write(formats.junit(results, fail_on=fail_on, min_severity=min_severity))
    if output_format is CheckFormat.text and not quiet and len(files) > 1:
        sink.console.print(_across_files(results, min_severity, unreadable))
    sink.close()


def _across_files(results: list[tuple[str, str, Report]], min_severity: Severity, unreadable: int) -> str:
    """"Checked 12 files: 9 with findings — 2 errors, 14 warnings, 3 info; 1 could not be read."."""
    counts = {s: sum(1 for _, _, r in results for f in r.at_or_above(min_severity) if f.severity is s)
              for s in (Severity.error, Severity.warning, Severity.info)}
    flagged = sum(1 for _, _, r in results if r.at_or_above(min_severity))
    found = ", ".join(f"{n} {s.value}{'s' if n != 1 and s is not Severity.info else ''}"
                      for s, n in counts.items() if n) or "no findings"
    line = f"Checked {len(results)} file{'s' if len(results) != 1 else ''}: {flagged} with findings — {found}"
    if unreadable:
        line += f"; {unreadable} could not be checked"
    return line + "."


def _print_statistics(sink: _Sink, results: list[tuple[str, str, Report]], min_severity: Severity,
                      output_format: CheckFormat) -> None:
    """Ruff's --statistics: one line per code, most frequent first (json: a list of objects)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    meta: dict[str, tuple[str, str]] = {}
    for _, _, report in results:
        for finding in report.at_or_above(min_severity):
            counts[finding.code] += 1
            meta.setdefault(finding.code, (finding.severity.value, finding.category.value))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format is CheckFormat.json:
        sink.write(json.dumps([{"code": code, "count": n, "severity": meta[code][0], "category": meta[code][1]}
                               for code, n in rows], indent=2) + "\n")
        return
    width = len(str(rows[0][1])) if rows else 1
    for code, n in rows:
        sink.console.print(f"{n:>{width}}  {code}  [dim]\\[{meta[code][0]}][/] {meta[code][1]}")


@app.command()
def fix(
    files: Annotated[list[str], typer.Argument(help="Draft files to rewrite; '-' reads standard input.")],
    lang: ReplyLangOpt = None,
    channel: ChannelOption = None,
    customer: CustomerOpt = None,
    unsafe: Annotated[bool, typer.Option("--unsafe", help="Also add sentences and apply unsafe rewrites.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff instead of the rewritten draft.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Rewrite the files in place.")] = False,
    output_format: Annotated[Format, typer.Option("--format", help="text (the draft or diff) or json.")] = Format.text,
    config_path: ConfigOpt = None,
    brand: BrandOpt = None,
) -> None:
    """Rewrite drafts with the findings' replacements (safe ones; --unsafe for more), keeping every fact."""
    import difflib

    from . import fix as run_fix

    config = config_for(config_path)
    if write and "-" in files:
        raise _Fail("--write rewrites files; standard input ('-') has no file to write")
    if files.count("-") > 1:
        raise _Fail("standard input ('-') can be read only once")
    customer_text = _read_input(str(customer), config.max_chars) if customer is not None else None
    worst = EXIT_OK
    payload = []
    for name in files:
        label = "<stdin>" if name == "-" else name
        try:
            text = _read_input(name, config.max_chars)
        except InputError as exc:  # the message names the file (or standard input) already, as in check
            err.print(f"replylint: error: {escape(str(exc))}")
            worst = EXIT_ERROR
            continue
        try:
            fixed = run_fix(text, customer=customer_text, lang=lang.value if lang else None,
                            channel=channel.value if channel else None, config=config, brand=brand, unsafe=unsafe)
        except InputError as exc:
            err.print(f"replylint: error: {escape(f'{label}: {exc}')}")
            worst = EXIT_ERROR
            continue
        if output_format is Format.json:
            payload.append({"file": label, **fixed.model_dump(mode="json")})
        elif diff:
            lines = difflib.unified_diff(text.splitlines(keepends=True), fixed.text.splitlines(keepends=True),
                                         fromfile=label, tofile=f"{label} (fixed)")
            out.print("".join(lines), end="", markup=False, highlight=False)
        elif not write:
            if len(files) > 1:
                out.print(f"==> {label} <==", markup=False)
            out.print(fixed.text, end="" if fixed.text.endswith("\n") else "\n", markup=False, highlight=False)
        if write and fixed.edits:
            _write_atomically(Path(name), fixed.text)
        after = fixed.report.score
        summary = f"{label}: {len(fixed.edits)} edit{'s' if len(fixed.edits) != 1 else ''}"
        if fixed.edits:
            summary += f", score {fixed.draft_score} → {after}"
        err.print(f"replylint: {escape(summary)}" + (" (written)" if write and fixed.edits else ""))
    if output_format is Format.json:
        sys.stdout.write(json.dumps(payload if len(payload) != 1 else payload[0], indent=2, ensure_ascii=False) + "\n")
    if worst != EXIT_OK:
        raise typer.Exit(worst)


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file's text without a moment where it is half written."""
    temporary = path.with_name(f".{path.name}.replylint-fix")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _Fail(f"{path}: cannot be written ({exc.strerror or type(exc).__name__})") from None


@app.command()
def rules(
    lang: Annotated[Optional[Lang], typer.Option(help="Only rules for this language.")] = None,
    category: Annotated[Optional[Category], typer.Option(help="Only rules of this category.")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="text table or json.")] = Format.text,
    config_path: ConfigOpt = None,
) -> None:
    """List the rules, with their code, category, severity and languages."""
    from .engine import get_engine

    engine = get_engine(config_for(config_path).packs)
    by_code: dict[str, list] = {}
    for rule in engine.rules:
        if (lang is None or rule.lang == lang.value) and (category is None or rule.category is category):
            by_code.setdefault(rule.code, []).append(rule)
    if output_format is Format.json:
        payload = [
            {
                "code": code,
                "name": variants[0].name,
                "category": variants[0].category.value,
                "severity": variants[0].severity.value,
                "languages": sorted(r.lang for r in variants),
                "enabled": any(r.enabled for r in variants),
                "enabled_in": sorted(r.lang for r in variants if r.enabled),
                "summary": variants[0].summary.en,
                "measured": {r.lang: _measure_dict(engine.measured.get((code, r.lang))) for r in variants},
            }
            for code, variants in sorted(by_code.items())
        ]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(show_lines=False)
    for column in ("code", "name", "category", "severity", "on", "dev precision/recall (n)"):
        table.add_column(column, overflow="fold")
    for code, variants in sorted(by_code.items()):
        first = variants[0]
        langs = sorted(r.lang for r in variants)
        figures = [(lang, engine.measured.get((code, lang))) for lang in langs]
        table.add_row(
            code, first.name, first.category.value, first.severity.value,
            _on_cell(variants),
            "  ".join(_measure_cell(lang, m) for lang, m in figures),
        )
    out.print(table)
    out.print(f"{len(by_code)} rules. precision (dev): share of the real dev replies a rule flagged that a reviewer "
              "also flagged for its category (n = replies flagged); under 0.90 on 3 or more the rule is off by default.")


def _on_cell(variants) -> str:  # type: ignore[no-untyped-def]
    """"yes" / "no", or the languages it is on in when its record differs by language ("en")."""
    on = sorted(r.lang for r in variants if r.enabled)
    return "yes" if len(on) == len(variants) else "no" if not on else " ".join(on)


def _figure(value: float | None, lang: str = "en") -> str:
    """0.93 → "0.93" ("0,93" in Italian, which writes the decimal comma); no figure → "–"."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "it" else text


def _measure_dict(measure) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    if measure is None:
        return None
    return {"split": measure.split, "replies": measure.replies, "fired": measure.fired,
            "labelled": measure.labelled, "precision": measure.precision, "recall": measure.recall,
            "off_by_measure": measure.below_floor}


def _measure_cell(lang: str, measure) -> str:  # type: ignore[no-untyped-def]
    """"en 0.93/0.41 (14)": precision, recall and replies flagged on the real dev split."""
    if measure is None:
        return f"{lang} –"
    return f"{lang} {_figure(measure.precision)}/{_figure(measure.recall)} ({measure.fired})"


_EXPLAIN_HEADINGS = {
    "en": ("What it checks", "Why it matters", "Example", "Use instead", "Also fine", "Measured on real replies"),
    "it": ("Cosa controlla", "Perché è importante", "Esempio", "Usa invece", "Va bene così", "Misurata su risposte reali"),
}


def _record_lines(rule, measure, text_lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What the rule's record on real replies is, and — for a learned rule — what it learned from."""
    lines = []
    if getattr(rule, "kind", "") == "learned":
        from .learned.detectors import detector

        found = detector(rule.lang)
        meta = found.labels.get(rule.label) if found else None  # type: ignore[attr-defined]
        trained = found.meta["trained_on"]["replies"] if found else 0
        lines.append(
            f"Learned (not a pattern list): a text classifier trained on {trained} labelled real {rule.lang} replies "
            "(the corpus's train split); it fires when the whole reply scores over a threshold chosen on the dev "
            "split so that precision stays >= 0.90 above it, and points at the sentence that scores highest. "
            "It stays silent where a pattern rule of its category already fired."
            if text_lang == "en" else
            f"Appresa (non un elenco di frasi): un classificatore addestrato su {trained} risposte reali in {rule.lang} "
            "etichettate (la parte train del corpus); scatta quando la risposta intera supera una soglia scelta sulla "
            "parte dev perché sopra di essa la precisione resti >= 0,90, e indica la frase con il punteggio più alto. "
            "Tace dove una regola a elenco della sua categoria è già scattata."
        )
        if meta is not None and meta.threshold is None:
            lines.append("No threshold reached that precision on dev: this rule does not fire." if text_lang == "en"
                         else "Nessuna soglia ha raggiunto quella precisione su dev: questa regola non scatta.")
    if measure is not None and measure.precision is None and measure.fired:
        lines.append(  # a category the reviewers' labels do not have (quality: spelling)
            f"Flagged {measure.fired} of {measure.replies} real {rule.lang} replies ({measure.split} split); the "
            "reviewers' labels have no category for it, so its precision is measured on a labelled sample of its "
            "flags (README, \"Spelling\")." if text_lang == "en" else
            f"Ha segnalato {measure.fired} di {measure.replies} risposte reali in {rule.lang} (parte {measure.split}); "
            "le etichette dei revisori non hanno una categoria per lei, quindi la precisione si misura su un campione "
            "etichettato delle sue segnalazioni (README, \"Spelling\")."
        )
    elif measure is None or measure.precision is None:
        lines.append("Not measured: it never fired on the real dev replies." if text_lang == "en"
                     else "Non misurata: non è mai scattata sulle risposte reali di dev.")
    else:
        lines.append(
            f"On {measure.replies} real {rule.lang} replies ({measure.split} split): precision "
            f"{_figure(measure.precision)} ({measure.fired} flagged), recall {_figure(measure.recall)} "
            f"(of {measure.labelled} a reviewer flagged)."
            + (" Under 0.90: off by default, on with --select." if measure.below_floor else "")
            if text_lang == "en" else
            f"Su {measure.replies} risposte reali in {rule.lang} (parte {measure.split}): precisione "
            f"{_figure(measure.precision, 'it')} ({measure.fired} segnalate), richiamo {_figure(measure.recall, 'it')} "
            f"(su {measure.labelled} segnalate "
            "da un revisore)." + (" Sotto 0,90: spenta di default, si accende con --select." if measure.below_floor else "")
        )
    return lines


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="Rule code, e.g. NEG101.")],
    lang: Annotated[Optional[Lang], typer.Option(help="Language of the explanation and examples.")] = None,
    config_path: ConfigOpt = None,
) -> None:
    """Explain a rule: what it checks, why it matters, an example, what to use instead."""
    from .engine import get_engine

    engine = get_engine(config_for(config_path).packs)
    code = code.strip().upper()
    variants = [r for r in engine.rules if r.code == code]
    if not variants:
        close = [c for c in engine.codes if c.startswith(code[:3])][:5]
        hint = f" (rules starting with {code[:3]}: {', '.join(close)})" if close else ""
        raise _Fail(f"unknown rule code {code!r}{hint}; `replylint rules` lists them all")
    wanted = lang.value if lang else None
    rule = next((r for r in variants if r.lang == wanted), None) or next(
        (r for r in variants if r.lang == "it"), variants[0]
    )
    text_lang = wanted or rule.lang
    what, why, example, instead, fine, record = _EXPLAIN_HEADINGS[text_lang]
    lines = [
        f"{rule.code} {rule.name} ({rule.category.value}, {rule.severity.value}"
        f"{'' if rule.enabled else ', off by default'}) — languages: {', '.join(sorted(r.lang for r in variants))}",
        "",
        f"## {what}",
        rule.summary.get(text_lang),
        "",
        f"## {why}",
        rule.rationale.get(text_lang),
        "",
        f"## {example}",
        *(line for bad in rule.examples.bad[:2] for line in _example_lines(bad, text_lang)),
        "",
        f"## {instead}",
        rule.suggest.advice.get(text_lang),
        *(f"    → {r}" for r in rule.suggest.replace),
        *(f"    {sentence}" for sentence in _added_sentence(variants, rule, text_lang)),
        *_fix_lines(rule, text_lang),
        "",
        f"## {fine}",
        *(line for good in rule.examples.good[:3] for line in _example_lines(good, text_lang)),
        "",
        f"## {record}",
        *_record_lines(rule, engine.measured.get((rule.code, rule.lang)), text_lang),
    ]
    sys.stdout.write("\n".join(lines) + "\n")


def _added_sentence(variants, rule, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The sentence a LATTE rule proposes to add (its advice ends in "for example:"), in the
    explanation's language when the rule has a variant in it."""
    same = next((r for r in variants if r.lang == lang and getattr(r, "add", None)), rule)
    sentence = getattr(same, "add", None)
    return [sentence] if sentence else []


def _fix_lines(rule, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What `replylint fix` does for this rule, from its fix examples (Ruff's "fix is available")."""
    fixes = rule.examples.fixes
    if not fixes:
        return []
    heading, unsafe = {"it": ("`replylint fix` corregge:", "(con --unsafe)"),
                       "en": ("`replylint fix` rewrites it:", "(with --unsafe)")}[lang]
    lines = ["", heading]
    for example in fixes[:2]:
        before, after = (text.rstrip().replace("\n", "\n      ") for text in (example.before, example.after))
        lines += [f"    {before}", f"    → {after}" + (f"  {unsafe}" if example.unsafe else "")]
    return lines


packs_app = typer.Typer(
    name="packs",
    help="Develop a team's own rule pack: lint its patterns, run its examples as tests.",
    no_args_is_help=True,
)
app.add_typer(packs_app)


def _pack_folder(folder: Path) -> Path:
    if not folder.exists():
        raise _Fail(f"{folder}: no such folder")
    if not folder.is_dir():
        raise _Fail(f"{folder}: not a folder; a rule pack is a folder of YAML files")
    return folder


@packs_app.command("test")
def packs_test(
    folder: Annotated[Path, typer.Argument(help="The pack folder (YAML files, maybe a lexicon.yaml).")],
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List passing examples too.")] = False,
) -> None:
    """Run every bad and good example of the pack's rules: bad ones must fire, good ones must not.

    Exit 0 when all pass, 1 when any fails, 2 when the pack does not load.
    """
    from .authoring.examples import run_pack

    results = run_pack(_pack_folder(folder))
    failed = [r for r in results if not r.passed]
    if output_format is Format.json:
        payload = {
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "results": [
                {"id": r.case.id, "code": r.case.rule.code, "lang": r.case.rule.lang, "which": r.case.which,
                 "number": r.case.number, "passed": r.passed, "file": str(r.source) if r.source else None}
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        for result in results:
            if not result.passed:
                out.print(f"FAILED {escape(result.describe())}")
            elif verbose:
                out.print(f"passed {escape(result.case.id)}")
        rules = len({(r.case.rule.code, r.case.rule.lang) for r in results})
        if not results:
            out.print(f"{folder}: no rules with examples found")
        else:
            out.print(f"{len(results)} examples of {rules} rules: {len(results) - len(failed)} passed, {len(failed)} failed")
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@packs_app.command("lint")
def packs_lint(
    folder: Annotated[Path, typer.Argument(help="The pack folder.")],
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite ambiguous patterns in the explicit form that keeps their meaning.")] = False,
) -> None:
    """Find patterns whose `|` is ambiguous (`can|could not`); --fix writes `(can|could) not`.

    Exit 0 when the pack is clean (or was fixed), 1 when ambiguous patterns remain.
    """
    from .authoring.notation import lint_folder

    found, fixed = lint_folder(_pack_folder(folder), fix=fix)
    for item in found:
        prefix = "fixed" if fix else "ambiguous"
        out.print(f"{prefix}: {escape(item.describe())}")
    if fix:
        out.print(f"{fixed} pattern(s) rewritten")
        raise typer.Exit(EXIT_OK)
    out.print(f"{len(found)} ambiguous pattern(s)" + (" (run with --fix to rewrite them)" if found else ""))
    raise typer.Exit(EXIT_FINDINGS if found else EXIT_OK)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8750,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    config_path: ConfigOpt = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
    ssl_certfile: Annotated[Optional[Path], typer.Option(
        "--ssl-certfile", help="Serve HTTPS with this PEM certificate (chain); needs --ssl-keyfile.")] = None,
    ssl_keyfile: Annotated[Optional[Path], typer.Option(
        "--ssl-keyfile", help="The certificate's PEM private key; needs --ssl-certfile.")] = None,
    ssl_keyfile_password: Annotated[Optional[str], typer.Option(
        "--ssl-keyfile-password", envvar="REPLYLINT_SSL_KEYFILE_PASSWORD", show_envvar=True,
        help="Pass phrase of an encrypted key (the variable keeps it out of the process list).")] = None,
) -> None:
    """Run the HTTP pre-send hook: POST /v1/check, LanguageTool-compatible /v2/check (needs the server extra).

    With --ssl-certfile and --ssl-keyfile it serves HTTPS only.
    """
    try:
        from .service.server import serve as run_server
    except ImportError as exc:
        err.print(f"replylint: error: {escape(str(exc))}")
        raise typer.Exit(EXIT_ERROR) from None
    from .service.launch import tls_files

    config_for(config_path)  # a bad config fails here, with one line, before the server starts
    tls = tls_files(ssl_certfile, ssl_keyfile, ssl_keyfile_password)  # so do missing or unusable TLS files
    run_server(host, port, workers, config_path, log_level=log_level, tls=tls)


def _example_lines(item: object, lang: str) -> list[str]:
    """An example as indented lines: the reply, and the customer's message or channel when it has them."""
    from .core.rulespec import Examples

    example = Examples.as_example(item)  # type: ignore[arg-type]
    labels = {"it": ("cliente", "canale"), "en": ("customer", "channel")}[lang]
    lines = []
    if example.customer:
        lines.append(f"    [{labels[0]}] {example.customer}")
    if example.channel:
        lines.append(f"    [{labels[1]}] {example.channel}")
    reply = example.reply.replace("\n", "\n      ")
    lines.append(f"    {reply}" if len(lines) == 0 else f"    → {reply}")
    return lines


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"replylint {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Lint customer-service draft replies before they are sent (Italian and English)."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: maps every deliberate error to one stderr line and exit 2."""
    try:
        code = app(args=argv, prog_name="replylint", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except typer.Exit as done:
        return int(done.exit_code or 0)
    except (_Fail, ReplylintError) as exc:
        err.print(f"replylint: error: {escape(str(exc))}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print("replylint: interrupted")
        return 130
    except _ReaderGone:
        return EXIT_BROKEN_PIPE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # Usage errors come from the click that typer bundles; recognise them by shape. One line,
        # like every other error, naming the command whose --help explains.
        if callable(getattr(exc, "format_message", None)) and isinstance(getattr(exc, "exit_code", None), int):
            command = getattr(getattr(exc, "ctx", None), "command_path", None) or "replylint"
            message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
            err.print(f"replylint: error: {escape(message)} (see '{command} --help')")
            return EXIT_ERROR
        if type(exc).__name__ == "Abort":
            return 130
        # A bug: say so in one line, without echoing any reply text.
        err.print(f"replylint: internal error: {type(exc).__name__} (please report it)")
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
