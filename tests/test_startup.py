"""Start-up does only what the first reply needs: its language's rules, spaCy without its command
line; `load()` still compiles everything, so a broken pack fails there."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import replylint
from replylint.errors import PackError


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_one_italian_reply_compiles_only_italian_and_load_compiles_both() -> None:
    out = _python("""
        import replylint
        from replylint.engine import get_engine
        replylint.check("Ciao Marta, come già detto non possiamo.", lang="it")
        print(sorted(get_engine()._runtimes))
        replylint.load()
        print(sorted(get_engine()._runtimes))
    """)
    assert out.splitlines() == ["['it']", "['en', 'it']"]


def test_spacy_command_line_is_not_imported_but_still_works_on_request() -> None:
    out = _python("""
        import sys
        import replylint
        replylint.check("Hi Tom, your refund left today.", lang="en")
        print("spacy.cli._util" in sys.modules)
        from spacy.cli import download
        import spacy
        print(callable(download), spacy.cli.download is download, callable(spacy.info))
    """)
    assert out.splitlines() == ["False", "True True True"]


def test_a_bad_pattern_in_either_language_fails_at_load(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "team.yaml").write_text("""
- code: TEAM101
  name: broken
  category: tone
  severity: warning
  kind: phrase
  lang: en
  summary: {it: x, en: A rule whose pattern does not compile.}
  message: {it: x, en: x}
  rationale: {it: x, en: x}
  suggest: {advice: {it: x, en: x}}
  patterns: ["/[unclosed/"]
  examples: {bad: ["x"], good: ["y"]}
""", encoding="utf-8")
    with pytest.raises(PackError):
        replylint.load({"packs": [str(pack)]})
