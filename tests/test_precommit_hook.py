"""The pre-commit hook as pre-commit runs it: its entry, then the staged files that match `files`."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "tests" / "data" / "macros"
HOOK = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]


def run_hook(*files: Path) -> subprocess.CompletedProcess[str]:
    entry = shlex.split(HOOK["entry"])
    assert entry[0] == "replylint"
    staged = [str(f) for f in files if re.search(HOOK["files"], f.name)]
    return subprocess.run([sys.executable, "-m", "replylint", *entry[1:], *HOOK.get("args", []), *staged],
                          capture_output=True, text=True, timeout=300)


def test_the_hook_passes_a_good_template_with_placeholders() -> None:
    done = run_hook(MACROS / "refund-issued.txt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "STR105" not in done.stdout


def test_the_hook_fails_a_blaming_template_and_names_the_rules() -> None:
    done = run_hook(MACROS / "refund-issued.txt", MACROS / "reso-rifiutato.txt")
    assert done.returncode == 1
    assert "reso-rifiutato.txt:3:1: NEG120" in done.stdout and "NEG121" in done.stdout
    assert not re.search(r"refund-issued\.txt:\d+:\d+:", done.stdout)  # the good one has no finding


def test_the_hook_matches_only_text_templates() -> None:
    assert re.search(HOOK["files"], "macros/refund.txt") and re.search(HOOK["files"], "macros/refund.md")
    assert not re.search(HOOK["files"], "app.py") and not re.search(HOOK["files"], "export.csv")
    assert HOOK["language"] == "python" and HOOK["id"] == "replylint"
