"""README's examples are run: every ```console block of README.md, and its command list.

The convention of a ```console block (README says it in one sentence, under Quick start):

* A line starting with ``$ `` is a command; a command line ending in ``\\`` goes on on the
  next line. The lines after it, up to the next ``$ `` line or the end of the block, are
  what the command prints: standard output and standard error together, as in a terminal.
  Trailing spaces and blank lines at the end do not count; the exit status is not compared.
* ``…`` stands for text left out. A line that is only ``…`` matches any number of lines
  (none included); a ``…`` inside a line matches any text within that line (dates,
  timings, the rest of a long line).
* Output that README shows as JSON (its first character ``{`` or ``[``) is compared as
  data, so README may indent it: an object with a ``"…": "…"`` member may have members not
  shown, an array element ``"…"`` matches any number of elements, a value ``"…"`` any
  value, and ``…`` inside a string works as inside a line.

Each block runs in bash from the repository root, its commands one after the other, with
``replylint`` and ``python`` meaning this interpreter (``sys.executable -m replylint``),
``NO_COLOR=1``, ``COLUMNS=120`` (tables as wide as README shows them) and a fresh training
history per block. ``localhost:8750`` / ``127.0.0.1:8750`` point at a ``replylint serve``
the test starts once, on a free port, for the blocks that use it. A block that cannot run
here (installs, Docker, servers elsewhere, interactive sessions) is ``sh`` or ``text``,
never ``console``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ELLIPSIS = "…"
SERVER_PORT = re.compile(r"(?<=localhost:|127\.0\.0\.1:)8750\b")
COMMAND_TIMEOUT = 180


# -- reading README ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    command: str  # as README shows it, continuation lines included
    expected: list[str]


@dataclass(frozen=True)
class Block:
    line: int  # README line of the opening fence
    lang: str
    lines: list[str]  # the block's lines, the fence's indentation removed

    def steps(self) -> list[Step]:
        steps: list[Step] = []
        lines = iter(self.lines)
        command: list[str] | None = None
        for line in lines:
            if line.startswith("$ "):
                command = [line[2:]]
                while command[-1].endswith("\\"):
                    command.append(next(lines))
                steps.append(Step("\n".join(command), []))
            elif not steps:
                raise AssertionError(f"README.md:{self.line}: console block text before its first '$ ' command")
            else:
                steps[-1].expected.append(line)
        return steps


def fenced_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^(\s*)(`{3,})(\S*)", lines[i])
        if not opening:
            i += 1
            continue
        indent, fence, lang = opening.groups()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{fence}\s*$", lines[j]):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        blocks.append(Block(i + 1, lang, body))
        i = j + 1
    return blocks


README_TEXT = README.read_text(encoding="utf-8")
BLOCKS = fenced_blocks(README_TEXT)
CONSOLE = [block for block in BLOCKS if block.lang == "console"]


# -- comparing ---------------------------------------------------------------------------------


def _sequence_match(expected: Sequence[Any], actual: Sequence[Any], is_gap: Callable[[Any], bool],
                    same: Callable[[Any, Any], bool]) -> bool:
    """`expected` against `actual` item by item, a gap item matching any run of items."""
    seen: dict[tuple[int, int], bool] = {}

    def match(e: int, a: int) -> bool:
        if (e, a) not in seen:
            if e == len(expected):
                result = a == len(actual)
            elif is_gap(expected[e]):
                result = any(match(e + 1, k) for k in range(a, len(actual) + 1))
            else:
                result = a < len(actual) and same(expected[e], actual[a]) and match(e + 1, a + 1)
            seen[(e, a)] = result
        return seen[(e, a)]

    return match(0, 0)


def _text_matches(expected: str, actual: str) -> bool:
    if ELLIPSIS not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


def _trimmed(lines: Sequence[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def lines_match(expected: Sequence[str], actual: Sequence[str]) -> bool:
    return _sequence_match(_trimmed(expected), _trimmed(actual), lambda line: line.strip() == ELLIPSIS,
                           _text_matches)


def json_mismatch(expected: Any, actual: Any, path: str = "$") -> str | None:
    """Where `actual` differs from README's JSON (None when it does not)."""
    if expected == ELLIPSIS:
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {json.dumps(actual, ensure_ascii=False)[:200]}"
        for key, value in expected.items():
            if key == ELLIPSIS:
                continue
            if key not in actual:
                return f"{path}: no member {key!r}"
            if (problem := json_mismatch(value, actual[key], f"{path}.{key}")) is not None:
                return problem
        if ELLIPSIS not in expected and (extra := sorted(set(actual) - set(expected))):
            return f"{path}: members not shown in README (add \"…\": \"…\" to allow them): {extra}"
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{path}: expected an array, got {json.dumps(actual, ensure_ascii=False)[:200]}"
        if _sequence_match(expected, actual, lambda item: item == ELLIPSIS,
                           lambda e, a: json_mismatch(e, a) is None):
            return None
        return f"{path}: the array's elements do not match README's {json.dumps(expected, ensure_ascii=False)[:300]}"
    if isinstance(expected, str) and isinstance(actual, str):
        return None if _text_matches(expected, actual) else f"{path}: {actual!r}, README says {expected!r}"
    if type(expected) is not type(actual) and not {type(expected), type(actual)} <= {int, float}:
        return f"{path}: {actual!r}, README says {expected!r}"
    return None if expected == actual else f"{path}: {actual!r}, README says {expected!r}"


def output_problem(expected: list[str], actual: str) -> str | None:
    """None when `actual` is what README shows, else an explanation with a diff."""
    shown = "\n".join(expected).strip()
    if shown[:1] in "{[" and shown:
        try:
            data = json.loads(actual)
        except ValueError:
            return f"README shows JSON, the command printed something else:\n{actual}"
        problem = json_mismatch(json.loads(shown), data)
        if problem is None:
            return None
        return f"{problem}\nthe command printed (indented here):\n{json.dumps(data, ensure_ascii=False, indent=1)}"
    lines = actual.splitlines()
    if lines_match(expected, lines):
        return None
    diff = difflib.unified_diff(_trimmed(expected), _trimmed(lines), "README", "printed", lineterm="", n=2)
    return "output differs ('…' lines and '…' inside lines match anything):\n" + "\n".join(diff)


# -- running -----------------------------------------------------------------------------------

PRELUDE = 'replylint() { "$README_PYTHON" -m replylint "$@"; }\npython() { "$README_PYTHON" "$@"; }\n'


def environment(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("REPLYLINT_", "FORCE_COLOR", "CLICOLOR"))}
    env.update({
        "README_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",  # standard output and error interleave as in a terminal
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "LINES": "50",
        "TERM": "dumb",
        "REPLYLINT_NLP": "blank",  # as in the rest of the suite: no dependence on installed spaCy models
        "REPLYLINT_TRAINING_DB": str(tmp / "training.sqlite3"),
        "XDG_DATA_HOME": str(tmp / "data"),
    })
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A `replylint serve` on a free port, ready; its port."""
    tmp = tmp_path_factory.mktemp("readme-server")
    port = free_port()
    log = (tmp / "serve.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=environment(tmp), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"replylint serve exited with {process.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("replylint serve was not ready in time")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def run(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(["bash", "-c", PRELUDE + command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=COMMAND_TIMEOUT, check=False)
    return done.stdout.decode("utf-8", errors="replace")


@pytest.mark.parametrize("block", CONSOLE, ids=[f"README.md:{block.line}" for block in CONSOLE])
def test_console_block_prints_what_readme_shows(block: Block, request: pytest.FixtureRequest,
                                                tmp_path: Path) -> None:
    steps = block.steps()
    assert steps, f"README.md:{block.line}: a console block with no '$ ' command"
    env = environment(tmp_path)
    port = request.getfixturevalue("server") if any(SERVER_PORT.search(s.command) for s in steps) else None
    for step in steps:
        command = SERVER_PORT.sub(str(port), step.command) if port else step.command
        printed = run(command, env)
        problem = output_problem(step.expected, printed)
        assert problem is None, f"README.md:{block.line}: $ {step.command}\n{problem}"


# -- the convention itself ---------------------------------------------------------------------


def test_the_comparison_can_fail() -> None:
    assert lines_match(["a", "…", "d"], ["a", "b", "c", "d"])
    assert lines_match(["a", "…"], ["a"])
    assert lines_match(["score …/100 · x"], ["score 39/100 · x  "])
    assert not lines_match(["a", "…", "d"], ["a", "b", "e"])
    assert not lines_match(["score 39/100"], ["score 40/100"])
    assert not lines_match(["a"], ["a", "b"])
    assert output_problem(['{"a": 1, "b": ["x", "…"], "…": "…"}'], '{"a": 1, "b": ["x", "y"], "c": 2}') is None
    assert output_problem(['{"a": 1}'], '{"a": 1, "c": 2}') is not None
    assert output_problem(['{"a": [1]}'], '{"a": [1, 2]}') is not None
    assert output_problem(['{"a": "…"}'], '{"a": {"b": 1}}') is None
    assert _missing("--format text|yaml -q", "  --format <text|json>  text or json.\n  -q, --quiet") == ["--format yaml"]
    assert _missing("--stats", "  --statistics  counts") == ["--stats"]


def test_readme_has_console_examples_and_no_unchecked_prompts() -> None:
    """Every block that shows `$ command` and its output is a console block, so it is run."""
    assert len(CONSOLE) >= 10
    unchecked = [block.line for block in BLOCKS
                 if block.lang != "console" and any(line.startswith("$ ") for line in block.lines)]
    assert not unchecked, f"blocks with '$ ' prompts that are not ```console (so not run): README.md lines {unchecked}"


# -- the command list and the options README shows ---------------------------------------------

FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")
CHOICES = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)[ =]([a-z]+(?:\|[a-z]+)+)")
WORDS = r"((?: [a-z]+(?![\w./-]))+)"  # command words: `check`, `train list`, not `check examples/…`
COMMAND_WORDS = re.compile(r"^replylint" + WORDS)
GROUPS = {"train", "packs"}  # commands with subcommands (`train list`, `packs lint`)


def _section(title_start: str) -> str:
    start = README_TEXT.index("\n## " + title_start)
    end = README_TEXT.find("\n## ", start + 4)
    return README_TEXT[start:end if end != -1 else None]


def command_list() -> list[tuple[list[str], str]]:
    """README's command list (the text block under "Command line"): (command words, its text)."""
    section = _section("Command line")
    block = next(block for block in BLOCKS if block.lang == "text" and "\n".join(block.lines) in section)
    entries: list[tuple[list[str], str]] = []
    for line in block.lines:
        if line.startswith("replylint "):
            words = COMMAND_WORDS.match(line)
            assert words, line
            entries.append((words.group(1).split(), line[words.end():]))
        elif line.strip():
            assert entries and line[:1].isspace(), f"unexpected line in README's command list: {line!r}"
            words, text = entries[-1]
            entries[-1] = (words, text + "\n" + line)
    return entries


def command_lines() -> list[tuple[list[str], str]]:
    """Every `replylint <command> …` line of README's code (blocks and inline code), with its flags' text."""
    found: list[tuple[list[str], str]] = []
    snippets = [step.command for block in CONSOLE for step in block.steps()]  # not what they print
    snippets += [line for block in BLOCKS if block.lang != "console" for line in block.lines]
    snippets += re.findall(r"`([^`\n]+)`", README_TEXT)
    commands = {words[0] for words, _ in command_list()} | {"serve"}
    for snippet in snippets:
        for match in re.finditer(r"(?:^|[\s;&|(])replylint" + WORDS, snippet):
            words = match.group(1).split()
            if words[0] in commands:  # not "replylint lives" in a comment
                found.append((words[:2] if words[0] in GROUPS else words[:1], snippet[match.end():]))
    return found


def flags_in_prose(title: str) -> set[str]:
    """Inline code that is only an option (`--jobs N`) in a section about one command."""
    return {match.group(1) for span in re.findall(r"`(--[a-z][^`]*)`", _section(title))
            if (match := re.match(r"(--[a-z][a-z0-9-]*)", span))}


@pytest.fixture(scope="module")
def helps(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], tuple[int, str]]:
    """`replylint <command…> --help` of every command README names, in one process: exit code and text."""
    names = {tuple(words) for words, _ in command_list() + command_lines()}
    names |= {("batch",), ("train",), ("serve",)}
    script = (
        "import contextlib, io, json, sys\n"
        "from replylint.cli import main\n"
        "out = {}\n"
        "for words in json.loads(sys.argv[1]):\n"
        "    buffer = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):\n"
        "        code = main([*words, '--help'])\n"
        "    out[' '.join(words)] = [code, buffer.getvalue()]\n"
        "print(json.dumps(out))\n"
    )
    env = environment(tmp_path_factory.mktemp("readme-help"))
    env["COLUMNS"] = "200"
    done = subprocess.run([sys.executable, "-c", script, json.dumps(sorted(names))], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    return {tuple(key.split()): (code, text) for key, (code, text) in json.loads(done.stdout).items()}


def _help(helps: dict[tuple[str, ...], tuple[int, str]], words: Sequence[str]) -> str:
    """The help of the longest prefix of `words` that is a command (`train list giulia` → train list)."""
    for end in range(len(words), 0, -1):
        if tuple(words[:end]) in helps and helps[tuple(words[:end])][0] == 0:
            return helps[tuple(words[:end])][1]
    raise AssertionError(f"`replylint {' '.join(words)} --help` does not exit 0: {helps.get(tuple(words))}")


def _missing(flags_text: str, help_text: str) -> list[str]:
    missing = [flag for flag in sorted(set(FLAG.findall(flags_text)))
               if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_text)]
    for flag, values in CHOICES.findall(flags_text):
        line = next((line for line in help_text.splitlines() if re.search(rf"{re.escape(flag)}\b", line)), "")
        offered = re.search(r"<([^>]*)>", line)
        missing += [f"{flag} {value}" for value in values.split("|")
                    if offered and value not in offered.group(1).split("|")]
    return missing


def test_every_command_in_readmes_command_list_exists(helps: dict[tuple[str, ...], tuple[int, str]]) -> None:
    listed = [words for words, _ in command_list()]
    assert ["check"] in listed and ["fix"] in listed and ["packs", "test"] in listed, listed
    broken = [" ".join(words) for words in listed if helps[tuple(words)][0] != 0]
    assert not broken, f"`replylint <command> --help` fails for: {broken}"


def test_every_option_readme_shows_is_in_the_commands_help(helps: dict[tuple[str, ...], tuple[int, str]]) -> None:
    problems = []
    for words, text in command_list() + command_lines():
        if words[0] in {"check", "fix", "batch", "train", "serve", "rules", "explain", "packs"}:
            missing = _missing(text, _help(helps, words))
            if missing:
                problems.append(f"replylint {' '.join(words)}: {missing}  (README: {text.strip()[:100]!r})")
    for title, command in (("Grading a team", ("batch",)), ("Training new agents", ("train",)),
                           ("Rewrites", ("fix",))):
        flags = flags_in_prose(title)
        assert flags or command == ("fix",), title
        missing = _missing(" ".join(flags), _help(helps, command))
        if missing:
            problems.append(f"replylint {' '.join(command)} (section {title!r}): {missing}")
    assert not problems, "options README shows that the command's --help does not list:\n" + "\n".join(problems)


def test_readme_shows_options_for_the_main_commands() -> None:
    """The option checks above have something to check for each of these commands."""
    seen = {words[0] for words, text in command_list() + command_lines() if FLAG.search(text)}
    assert {"check", "fix", "batch", "train", "serve"} <= seen, seen

