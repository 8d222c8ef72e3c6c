"""The interactive training session: scenario, answer, feedback, retry, next — until done or Ctrl-C.

An answer is typed line by line and ends at an empty line (or Ctrl-D), as
the issue asks. A reply pasted in one go may hold empty lines between its
paragraphs, and cutting it at the first one would grade half a reply: so an
empty line that arrives while more input is already waiting (the rest of
the paste) is a paragraph break, and reading goes on. `Stdin` reads
standard input with a buffer of its own so that this check sees both what
it has read ahead and what the OS still holds. Paragraphs typed by hand
need `--editor`.

Each graded attempt is saved the moment it is graded, so Ctrl-C at any
prompt (or in the editor) loses at most the answer being typed, and the
session still ends with its summary: what was done, at which level, and
what to work on (the findings, facts and steps missed most often).
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape

from ..config import Config
from ..errors import InputError
from ..models import LEVEL_LABELS
from .grading import Grade, grade, step_name
from .history import Store
from .render import LEVEL_STYLE, label, show_grade, show_scenario
from .scenarios import Scenario

PROMPTS = {
    "next": {
        "en": "[r] retry · [n] next scenario · [q] quit",
        "it": "[r] riprova · [n] prossimo scenario · [q] esci",
    },
    "last": {"en": "[r] retry · [q] quit", "it": "[r] riprova · [q] esci"},
    "empty": {"en": "The answer is empty: write a reply.", "it": "La risposta è vuota: scrivi una risposta."},
    "summary": {"en": "Session summary", "it": "Riepilogo della sessione"},
    "none": {"en": "No scenario answered.", "it": "Nessuno scenario svolto."},
    "work_on": {"en": "Work on", "it": "Su cosa lavorare"},
}
# (singular, plural): "1 tentativo", never "1 tentativi".
COUNTS = {
    "attempts": {"en": ("attempt", "attempts"), "it": ("tentativo", "tentativi")},
    "saved": {"en": ("attempt saved to", "attempts saved to"), "it": ("tentativo salvato in", "tentativi salvati in")},
}


def counted(n: int, forms: tuple[str, str]) -> str:
    """'1 attempt', '2 attempts' ('1 tentativo', '2 tentativi'): `forms` is (singular, plural)."""
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def editor_command() -> list[str]:
    """$VISUAL or $EDITOR as a command line, or `InputError` saying why it cannot be used.

    Checked before the first scenario is shown (the trainee should not read a case and only then
    learn that the editor cannot start) and again when the editor is opened."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command or not command.strip():
        raise InputError("--editor needs $EDITOR (or $VISUAL) to name an editor")
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InputError(f"cannot read the editor command {command!r} ({exc})") from None
    if not words or shutil.which(words[0]) is None:
        raise InputError(f"cannot start the editor {command!r} (no such program)")
    return words


class Stdin:
    """Standard input line by line, and whether more of it is already waiting (the rest of a paste).

    Lines are read from the file descriptor into a buffer of this object's own: from a terminal
    (canonical mode) each read gives one line, as `input()` gets it; from a pipe, whatever the pipe
    holds. So `waiting` can see both what was read ahead and what the OS still queues
    (`select` with no timeout). Python's own `sys.stdin` buffer is not used for the session, so
    nothing can sit there unseen. A stream without a file descriptor (a test's in-memory stream),
    and Windows, where `select` takes sockets only, fall back to `input()` with nothing waiting.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        stream = sys.stdin if stream is None else stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.fd: int | None = None
        if os.name != "nt":
            try:
                self.fd = stream.fileno()
            except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
                self.fd = None
        self._ahead = b""  # read from the descriptor, not yet returned

    def read_line(self) -> str:
        """The next line without its line end; `EOFError` at the end of input (Ctrl-D on an empty line)."""
        if self.fd is None:
            return input()
        sys.stdout.flush()
        while b"\n" not in self._ahead:
            # Wait in short slices rather than in one blocking read: a Ctrl-C that lands between
            # Python's last look at signals and the read would otherwise wait for the next line.
            while self._ready(_POLL_SECONDS) is False:
                pass
            chunk = os.read(self.fd, 65536)
            if not chunk:
                rest, self._ahead = self._ahead, b""
                if not rest:
                    raise EOFError
                return self._decode(rest)
            self._ahead += chunk
        line, _, self._ahead = self._ahead.partition(b"\n")
        return self._decode(line)

    def waiting(self) -> bool:
        """True when more input is already there: read ahead, or queued by the OS right now."""
        return bool(self._ahead) or self._ready(0) is True

    def _ready(self, timeout: float) -> bool | None:
        """Whether the descriptor has input within `timeout` seconds; None when it cannot be asked."""
        if self.fd is None:
            return None
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        except (OSError, ValueError):
            return None
        return bool(ready)

    def _decode(self, line: bytes) -> str:
        return line.decode(self.encoding, errors="replace").rstrip("\r")


_POLL_SECONDS = 0.2


def _nothing_waiting() -> bool:
    return False


@dataclass
class Session:
    console: Console
    scenarios: list[Scenario]
    agent: str
    store: Store | None
    config: Config
    editor: bool = False
    read_line: Callable[[], str] | None = None  # None: standard input, through `Stdin`
    waiting: Callable[[], bool] = _nothing_waiting  # is more input already there (a paste)?
    grades: list[Grade] = field(default_factory=list)
    lang: str = "en"

    def __post_init__(self) -> None:
        if self.read_line is None:
            stdin = Stdin()
            self.read_line, self.waiting = stdin.read_line, stdin.waiting

    def run(self) -> int:
        """Go through the scenarios; return the exit status (0, also after Ctrl-C)."""
        self.lang = self.scenarios[0].lang if self.scenarios else "en"
        try:
            for number, scenario in enumerate(self.scenarios, 1):
                self.lang = scenario.lang
                if not self._practise(scenario, (number, len(self.scenarios)), last=number == len(self.scenarios)):
                    break
        except KeyboardInterrupt:
            self.console.print()
        except EOFError:  # input closed at a prompt: end like a quit
            self.console.print()
        self._summary()
        return 0

    def _practise(self, scenario: Scenario, number: tuple[int, int], *, last: bool) -> bool:
        """One scenario, retried as the agent likes; False when the agent quits."""
        while True:
            show_scenario(self.console, scenario, number)
            started = time.monotonic()
            answer = self._answer(scenario)
            graded = grade(scenario, answer, agent=self.agent, config=self.config,
                           seconds=round(time.monotonic() - started, 1))
            if self.store is not None:
                self.store.add(graded)
            self.grades.append(graded)
            show_grade(self.console, scenario, answer, graded)
            choice = self._choose(PROMPTS["last" if last else "next"][self.lang], "rq" if last else "rnq")
            if choice == "q":
                return False
            if choice == "n":
                return True

    def _answer(self, scenario: Scenario) -> str:
        while True:
            text = self._edit() if self.editor else self._type()
            if text.strip():
                return text
            self.console.print(f"[yellow]{PROMPTS['empty'][scenario.lang]}[/]")

    def _type(self) -> str:
        """Lines until an empty line or the end of input (Ctrl-D). An empty line with more input
        already waiting is inside a paste: it stays as a paragraph break and reading goes on, so a
        pasted e-mail is graded whole (and not as a wall of text)."""
        assert self.read_line is not None
        self.console.print(f"[bold]{label('write', self.lang)}[/]")
        self.console.print(f"[dim]{label('paragraphs', self.lang)}[/]")
        lines: list[str] = []
        while True:
            try:
                line = self.read_line()
            except EOFError:
                if not lines:
                    raise
                break
            if not line.strip():
                if not lines:  # nothing written yet: an empty line does not end an empty answer
                    continue
                if not self.waiting():
                    break
                if lines[-1] == "":  # several empty lines in a paste: one paragraph break
                    continue
                line = ""
            lines.append(line.rstrip())
        return "\n".join(lines).strip()

    def _edit(self) -> str:
        """The answer written in $VISUAL or $EDITOR (a temporary file, removed afterwards)."""
        words = editor_command()
        handle, name = tempfile.mkstemp(prefix="replylint-answer-", suffix=".txt")
        os.close(handle)
        try:
            try:
                subprocess.run([*words, name], check=False)
            except OSError as exc:
                raise InputError(f"cannot start the editor {shlex.join(words)!r} "
                                 f"({exc.strerror or type(exc).__name__})") from None
            return Path(name).read_text(encoding="utf-8", errors="replace")
        finally:
            Path(name).unlink(missing_ok=True)

    def _choose(self, prompt: str, keys: str) -> str:
        assert self.read_line is not None
        while True:
            self.console.print(f"[bold]{escape(prompt)}[/]")
            choice = self.read_line().strip().lower()[:1]
            if choice in keys:
                return choice

    def _summary(self) -> None:
        lang = self.lang
        self.console.rule(f"[bold]{PROMPTS['summary'][lang]}[/]")
        if not self.grades:
            self.console.print(PROMPTS["none"][lang])
            return
        best: dict[str, Grade] = {}
        tries: Counter[str] = Counter()
        for graded in self.grades:
            tries[graded.scenario] += 1
            best[graded.scenario] = graded  # the latest attempt
        for scenario_id, graded in best.items():
            level = LEVEL_LABELS[graded.level][graded.lang]
            self.console.print(f"  {escape(scenario_id)}: [{LEVEL_STYLE[graded.level]}]{graded.score}/100 {level}[/] "
                               f"[dim]({counted(tries[scenario_id], COUNTS['attempts'][lang])})[/]")
        work = _work_on(list(best.values()), lang)
        if work:
            self.console.print(f"[bold]{PROMPTS['work_on'][lang]}:[/]")
            for item in work:
                self.console.print(f"  • {escape(item)}")
        if self.store is not None:
            self.console.print(f"[dim]{counted(len(self.grades), COUNTS['saved'][lang])} "
                               f"{escape(str(self.store.path))}[/]")


def _work_on(grades: list[Grade], lang: str, n: int = 3) -> list[str]:
    """The findings, LATTE steps and facts missed most often in the latest attempts."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for graded in grades:
        for finding in graded.findings:
            key = f"code:{finding.code}"
            counts[key] += 1
            names[key] = f"{finding.code} {finding.name}"
        for step in graded.steps:
            if step.required and not step.present:
                key = f"step:{step.step}"
                counts[key] += 1
                names[key] = "LATTE: " + step_name(step.step, lang)
        for fact in graded.facts:
            if not fact.used:
                counts["facts"] += 1
                names["facts"] = {"en": "using the facts of the case", "it": "usare i dati del caso"}[lang]
    return [f"{names[key]} (×{count})" for key, count in counts.most_common(n)]
