"""Rule packs fail loudly at load, naming the file and the rule; a team's own pack works."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import replylint
from replylint import PackError
from replylint.engine import Engine

VALID = """
- code: ACM101
  name: no-problem-word
  category: brand
  severity: warning
  kind: phrase
  lang: it
  summary: {it: "Evita «problema».", en: "Avoid \\"problema\\"."}
  message: {it: "Di' «situazione» invece di «problema».", en: "Say \\"situazione\\" instead of \\"problema\\"."}
  rationale: {it: "Linguaggio positivo.", en: "Positive language."}
  suggest:
    advice: {it: "Usa «situazione».", en: "Use \\"situazione\\"."}
    replace: ["situazione"]
  patterns: ["problema"]
  examples:
    bad: ["Abbiamo risolto il problema."]
    good: ["Abbiamo risolto la situazione."]
"""


def _pack(tmp_path: Path, body: str, name: str = "team.yaml") -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def test_a_teams_pack_adds_rules_without_forking(tmp_path: Path) -> None:
    folder = _pack(tmp_path, VALID)
    report = replylint.check("Abbiamo risolto il problema.", lang="it", config={"packs": [str(folder)]})
    finding = next(f for f in report.findings if f.code == "ACM101")
    assert finding.excerpt == "problema"
    assert finding.suggestions[0].replacement == "situazione"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- code: [unclosed\n", "invalid YAML"),
        (VALID.replace("  severity: warning\n", "  severity: warning\n  colour: red\n"), "unknown field 'colour'"),
        (VALID.replace("  kind: phrase\n", "  kind: telepathy\n"), "unknown kind 'telepathy'"),
        (VALID.replace("  patterns: [\"problema\"]\n", "  patterns: [\"/([unclosed/\"]\n"), "bad regex"),
        (VALID.replace("code: ACM101", "code: acm-1"), "a code is 2–5 capital letters"),
        (VALID.replace("    good: [\"Abbiamo risolto la situazione.\"]\n", "    good: []\n"), "good"),
        (VALID.replace("  summary:", "  summmary:"), "unknown field 'summmary'"),
        (VALID + VALID.replace("- code", "- code", 1), "duplicate code"),
        ("just a string\n", "a rule pack is a YAML list"),
        (VALID.replace("  patterns: [\"problema\"]\n", "  patterns: [[{\"LOWER\": {\"FUZZY\": 1}}]]\n"),
         "pattern does not compile"),
    ],
)
def test_broken_packs_name_the_file_and_the_rule(tmp_path: Path, body: str, expected: str) -> None:
    folder = _pack(tmp_path, body)
    with pytest.raises(PackError) as error:
        Engine([folder]).compile_all()  # patterns compile per language on first use; load() compiles all
    message = str(error.value)
    assert "team.yaml" in message
    assert expected in message
    if "YAML" not in expected and "list" not in expected:
        assert "ACM101" in message or "#1" in message or "acm-1" in message


def test_a_code_that_clashes_with_a_shipped_rule_is_refused(tmp_path: Path) -> None:
    folder = _pack(tmp_path, VALID.replace("ACM101", "NEG101"))
    with pytest.raises(PackError, match="NEG101"):
        Engine([folder])


def test_a_missing_pack_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="not found"):
        Engine([tmp_path / "nope"])


def test_shipped_packs_are_found_outside_the_source_tree() -> None:
    from replylint.core.packs import default_packs_dir

    folder = default_packs_dir()
    assert (folder / "it").is_dir() and (folder / "en").is_dir()
