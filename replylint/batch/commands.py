"""`replylint batch`: grade a helpdesk export, row by row, into a results file, a summary and an
HTML report.

    replylint batch export.csv --out results.jsonl [--preset zendesk] [--html report.html]

Built by `cli` with its consoles, as `train` is. Every input row gets exactly one output row, in
input order; the summary goes to standard output (text or JSON); progress goes to standard error
when it is a terminal. No reply text leaves this process unless `--include-text` asks for it in
the results file.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..config import Config, config_for
from ..errors import InputError
from ..models import LEVEL_LABELS, Level
from .columns import Columns, present
from .results import OK
from .sources import EXPORT_SUFFIXES, open_export

if TYPE_CHECKING:  # the grading machinery is imported when a batch runs, not on every CLI start
    from .jobs import Job
    from .runner import DaskCluster
    from .summary import Summary


class PresetName(str, Enum):
    zendesk = "zendesk"
    freshdesk = "freshdesk"
    helpscout = "helpscout"
    gorgias = "gorgias"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class SummaryFormat(str, Enum):
    text = "text"
    json = "json"


def _column(role: str, example: str) -> Any:
    return Annotated[str | None, typer.Option(f"--{role}", metavar="FIELD", rich_help_panel="Columns",
                                              help=f"Field with {example} (a column, or a.b path in JSON).")]


TOP_RULES_SHOWN = 12
_TextCol = _column("text", "the agent's reply")
_CustomerCol = _column("customer", "the customer's message")
_AgentCol = _column("agent", "the agent's name or id")
_LangCol = _column("lang", "the reply language (it/en)")
_ChannelCol = _column("channel", "the channel (email, chat, social, sms…)")
_DateCol = _column("date", "when the reply was sent (ISO 8601)")
_TicketCol = _column("ticket", "the conversation id (customer messages become context)")


def build(out: Console, err: Console) -> Any:
    """The `batch` command, bound to the CLI's consoles."""

    def batch(
        inputs: Annotated[list[Path], typer.Argument(help=f"Export files ({', '.join(EXPORT_SUFFIXES)}).")],
        out_path: Annotated[Path, typer.Option("--out", help="Results file: .jsonl, .csv or .parquet.")],
        preset: Annotated[PresetName | None, typer.Option(help="The export shape of a helpdesk.")] = None,
        text: _TextCol = None,
        customer: _CustomerCol = None,
        agent: _AgentCol = None,
        lang: _LangCol = None,
        channel: _ChannelCol = None,
        id_: Annotated[str | None, typer.Option("--id", metavar="FIELD", rich_help_panel="Columns",
                                                help="Field with the row's id (ticket or message).")] = None,
        date: _DateCol = None,
        ticket: _TicketCol = None,
        html_body: Annotated[bool, typer.Option("--html-body", rich_help_panel="Columns",
                                                help="Reply and customer fields are HTML.")] = False,
        encoding: Annotated[str, typer.Option(help="Text encoding of CSV/JSONL inputs (e.g. cp1252).")] = "utf-8",
        html_report: Annotated[Path | None, typer.Option("--html", metavar="REPORT.html",
                                                         help="Also write a self-contained HTML report.")] = None,
        include_text: Annotated[bool, typer.Option("--include-text",
                                                   help="Copy reply and customer text into the results.")] = False,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores).")] = None,
        engine: Annotated[Engine, typer.Option(help="local processes, or a Dask cluster.")] = Engine.local,
        scheduler: Annotated[str | None, typer.Option(metavar="ADDRESS",
                                                      help="Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                                                           "(default: a local cluster).")] = None,
        summary_format: Annotated[SummaryFormat, typer.Option("--format", help="Summary as text or json.")] = SummaryFormat.text,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no text summary.")] = False,
        report_lang: Annotated[str, typer.Option("--report-lang", help="Language of the HTML report (en or it).")] = "en",
        config_path: Annotated[Path | None, typer.Option("--config", help="Config file (default: discovered).")] = None,
    ) -> None:
        """Grade a helpdesk export: one result row per input row, a summary per agent, rule and week."""
        from .runner import DaskCluster, default_jobs
        from .sinks import output_kind

        config = config_for(config_path)
        if scheduler and engine is not Engine.dask:
            raise InputError("--scheduler needs --engine dask")
        if report_lang not in ("en", "it"):
            raise InputError("--report-lang must be en or it")
        output_kind(out_path)
        if html_report is not None and not html_report.parent.is_dir():
            raise InputError(f"{html_report}: cannot be written (no folder {html_report.parent})")
        resolved = {p.resolve() for p in inputs}
        if out_path.resolve() in resolved or (html_report and html_report.resolve() in resolved):
            raise InputError(f"{out_path}: is also an input; choose another results file")
        columns, agent_rows = _columns(preset, {"text": text, "customer": customer, "agent": agent, "lang": lang,
                                                     "channel": channel, "id": id_, "date": date, "ticket": ticket},
                                           html_body)
        max_bytes = config.max_chars * 4
        opened = [(path, *open_export(path, max_bytes=max_bytes, encoding=encoding)) for path in inputs]
        for path, header, _ in opened:
            if header is not None and not present(header, {}, columns.text):
                shown = ", ".join(repr(h) for h in header[:12]) + (" …" if len(header) > 12 else "")
                raise InputError(f"{path}: no reply column ({' / '.join(columns.text)}) in the header [{shown}]; "
                                 "name it with --text or choose a --preset")
        workers = jobs or default_jobs()
        cluster = DaskCluster(scheduler, workers) if engine is Engine.dask else None
        try:
            summary, seconds, interrupted = _grade_all(
                _jobs(opened, columns, agent_rows), config, out_path, include_text=include_text, workers=workers,
                cluster=cluster, progress=_progress(err, sum(path.stat().st_size for path in inputs), quiet))
        finally:
            if cluster is not None:
                cluster.close()
        if html_report is not None:
            _write_report(summary, html_report, inputs, report_lang)
        if summary_format is SummaryFormat.json:
            sys.stdout.write(summary.model_dump_json(indent=2) + "\n")
        elif not quiet:
            _print_summary(out, summary, seconds)
        if summary.rows and not summary.graded and summary.statuses.get("empty") == summary.rows:
            err.print(f"replylint: warning: no row had a reply in {' / '.join(columns.text)}; "
                      "name the reply field with --text or choose a --preset")
        if interrupted:
            err.print(f"replylint: interrupted; the {summary.rows:,} rows graded so far are in {escape(str(out_path))}")
            raise typer.Exit(130)
        if not quiet:
            err.print(f"replylint: {summary.rows:,} rows → {escape(str(out_path))} in {seconds:.1f} s")

    return batch


def _grade_all(jobs: Iterator[Job], config: Config, out_path: Path, *, include_text: bool, workers: int,
               cluster: DaskCluster | None, progress: Any) -> tuple[Summary, float, bool]:
    """Grade every job into the results file and the summary; Ctrl-C keeps what was written."""
    from .runner import run_local
    from .sinks import Sink
    from .summary import Gatherer

    sink = Sink(out_path, include_text=include_text)
    gatherer = Gatherer()
    started = time.monotonic()
    if cluster is not None:
        results = cluster.run(jobs, config, include_text=include_text)
    else:
        results = run_local(jobs, config, workers=workers, include_text=include_text)
    interrupted = False
    done_bytes = 0
    try:
        for job, (record, hits) in results:
            sink.write(record)
            gatherer.add(record, hits)
            if progress is not None:
                progress.update(job.consumed - done_bytes)
                done_bytes = job.consumed
                if gatherer.rows % 50 == 0:
                    rate = gatherer.rows / max(time.monotonic() - started, 1e-6)
                    progress.set_postfix_str(f"{gatherer.rows:,} rows, {rate:,.0f}/s", refresh=False)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sink.close()
        if progress is not None:
            progress.close()
    return gatherer.summary(), time.monotonic() - started, interrupted


def _columns(preset: PresetName | None, flags: dict[str, str | None], html_body: bool) -> tuple[Columns, Any]:
    if preset is None:
        return Columns().with_flags(flags, html_all=html_body), None
    from .presets import PRESETS, author

    chosen = PRESETS[preset.value]
    name = preset.value
    return chosen.columns.with_flags(flags, html_all=html_body), lambda row: author(name, row)


def _jobs(opened: list[tuple[Path, Any, Iterator[Any]]], columns: Columns, agent_rows: Any) -> Iterator[Job]:
    from .jobs import JobMaker

    number = 0
    offset = 0
    for path, _, rows in opened:
        maker = JobMaker(columns, source=path.name, agent_rows=agent_rows)
        for row in rows:
            number += 1
            job = maker.make(number, row)
            job.consumed += offset
            yield job
        offset += path.stat().st_size


def _progress(err: Console, total: int, quiet: bool) -> Any:
    if quiet or not err.is_terminal:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, dynamic_ncols=True,
                desc="grading", mininterval=0.5)


def _write_report(summary: Summary, path: Path, inputs: list[Path], lang: str) -> None:
    from ..engine import get_engine
    from .report import write_report

    names = {rule.code: rule.name for rule in get_engine().rules}
    try:
        write_report(summary, path, sources=[p.name for p in inputs], lang=lang, rule_names=names)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or type(exc).__name__})") from None


def _levels(levels: dict[str, int]) -> str:
    total = sum(levels.values())
    if not total:
        return "–"
    return " · ".join(f"{LEVEL_LABELS[Level(name)]['en']} {count * 100 / total:.0f}%"
                      for name, count in levels.items() if count)


def _print_summary(out: Console, summary: Summary, seconds: float) -> None:
    statuses = ", ".join(f"{count:,} {status}" for status, count in sorted(summary.statuses.items()) if status != OK)
    out.print(f"[bold]{summary.rows:,} rows[/]: {summary.graded:,} graded" + (f", {statuses}" if statuses else "")
              + f" ({seconds:.1f} s)")
    if not summary.graded:
        return
    out.print(f"mean score {summary.mean_score} · {_levels(summary.levels)}")
    agents = Table(title="Per agent", title_justify="left", show_edge=False)
    for heading in ("agent", "replies", "mean", "levels", "top codes"):
        agents.add_column(heading, justify="right" if heading in ("replies", "mean") else "left")
    for row in summary.agents:
        agents.add_row(escape(row.agent), f"{row.replies:,}", f"{row.mean_score}", _levels(row.levels),
                       ", ".join(f"{code} {count}" for code, count in row.top_codes))
    out.print(agents)
    rules = Table(title="Per rule", title_justify="left", show_edge=False)
    for heading in ("code", "lang", "hits", "replies", "share"):
        rules.add_column(heading, justify="left" if heading in ("code", "lang") else "right")
    for lang in sorted({r.language for r in summary.rules}):
        for row in [r for r in summary.rules if r.language == lang][:TOP_RULES_SHOWN]:
            rules.add_row(row.code, row.language, f"{row.hits:,}", f"{row.replies:,}", f"{row.share:.0%}")
    out.print(rules)
    if summary.weeks:
        weeks = Table(title="Per week", title_justify="left", show_edge=False)
        for heading in ("week", "replies", "mean", "levels"):
            weeks.add_column(heading, justify="right" if heading in ("replies", "mean") else "left")
        for row in summary.weeks:
            weeks.add_row(row.week, f"{row.replies:,}", f"{row.mean_score}", _levels(row.levels))
        out.print(weeks)
