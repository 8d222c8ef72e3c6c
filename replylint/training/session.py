"""The interactive training session: scenario, answer, feedback, retry, next — until done or Ctrl-C.

Each graded attempt is saved the moment it is graded, so Ctrl-C at any
prompt (or in the editor) loses at most the answer being typed, and the
session still ends with its summary: what was done, at which level, and
what to work on (the findings, facts and steps missed most often).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from ..config import Config
from ..errors import InputError
from ..models import LEVEL_LABELS
from .grading import Grade, grade
from .history import Store
from .render import LEVEL_STYLE, STEP_NAMES, label, show_grade, show_scenario
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
    "saved": {"en": "attempts saved to", "it": "tentativi salvati in"},
    "attempts": {"en": "attempt(s)", "it": "tentativi"},
}


@dataclass
class Session:
    console: Console
    scenarios: list[Scenario]
    agent: str
    store: Store | None
    config: Config
    editor: bool = False
    read_line: Callable[[], str] = input
    grades: list[Grade] = field(default_factory=list)
    lang: str = "en"

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
        """Lines until two empty lines in a row or end of input (Ctrl-D). One empty line is a
        paragraph break: an e-mail typed as one block would be graded as a wall of text."""
        self.console.print(f"[bold]{label('write', self.lang)}[/]")
        lines: list[str] = []
        while True:
            try:
                line = self.read_line()
            except EOFError:
                if not lines:
                    raise
                break
            if not line.strip():
                if not lines:
                    continue
                if lines[-1] == "":
                    break
                line = ""
            lines.append(line.rstrip())
        return "\n".join(lines).strip()

    def _edit(self) -> str:
        """The answer written in $VISUAL or $EDITOR (a temporary file, removed afterwards)."""
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not command:
            raise InputError("--editor needs $EDITOR (or $VISUAL) to name an editor")
        handle, name = tempfile.mkstemp(prefix="replylint-answer-", suffix=".txt")
        os.close(handle)
        try:
            try:
                subprocess.run([*shlex.split(command), name], check=False)
            except OSError as exc:
                raise InputError(f"cannot start the editor {command!r} ({exc.strerror or type(exc).__name__})") from None
            return Path(name).read_text(encoding="utf-8", errors="replace")
        finally:
            Path(name).unlink(missing_ok=True)

    def _choose(self, prompt: str, keys: str) -> str:
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
                               f"[dim]({tries[scenario_id]} {PROMPTS['attempts'][lang]})[/]")
        work = _work_on(list(best.values()), lang)
        if work:
            self.console.print(f"[bold]{PROMPTS['work_on'][lang]}:[/]")
            for item in work:
                self.console.print(f"  • {escape(item)}")
        if self.store is not None:
            self.console.print(f"[dim]{len(self.grades)} {PROMPTS['saved'][lang]} {escape(str(self.store.path))}[/]")


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
                names[key] = "LATTE: " + STEP_NAMES[step.step][lang]
        for fact in graded.facts:
            if not fact.used:
                counts["facts"] += 1
                names["facts"] = {"en": "using the facts of the case", "it": "usare i dati del caso"}[lang]
    return [f"{names[key]} (×{count})" for key, count in counts.most_common(n)]
