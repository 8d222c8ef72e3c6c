"""Rule authoring: the group notation, the refusal of an ambiguous `|`, `packs lint --fix`, `packs test`."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

import replylint
from replylint import PackError
from replylint.authoring.notation import lint_folder
from replylint.cli import main
from replylint.core.patterns import AmbiguousAlternation, PatternSyntaxError, compile_pattern, explicit_form

ROOT = Path(__file__).resolve().parents[1]
TEAM_PACK = ROOT / "examples" / "team-pack"


def words(text: str) -> list[str]:
    return text.split("-") if "-" in text else [text]  # "x-y" stands for a word the tokenizer splits


# -- notation ------------------------------------------------------------------------


def _legacy(pattern: str) -> list:
    """What the notation compiled a pattern to before groups existed: each whitespace spec on its own."""
    from replylint.core import patterns

    per_spec = [patterns._compile_spec(spec, words) for spec in pattern.split()]
    return [[token for sequence in combo for token in sequence] for combo in itertools.product(*per_spec)]


@pytest.mark.parametrize(
    "grouped",
    ["(can|could) not", "^(that|which)? you", "(not|n-t) able", "a (b|c)+ d", "^(ca-n't|cannot) (x|y){1,2}"],
)
def test_a_group_of_one_word_alternatives_compiles_like_the_bare_spec(grouped: str) -> None:
    """`(a|b) c` is exactly what `a|b c` compiled to before the notation refused it."""
    bare = grouped.replace("(", "").replace(")", "")
    assert compile_pattern(grouped, words) == _legacy(bare)


def test_group_alternatives_of_different_lengths() -> None:
    assert compile_pattern("(good enough)|fine", words) == [
        [{"LOWER": "good"}, {"LOWER": "enough"}],
        [{"LOWER": "fine"}],
    ]
    assert compile_pattern("we (are truly)? sorry", words) == [
        [{"LOWER": "we"}, {"LOWER": "are"}, {"LOWER": "truly"}, {"LOWER": "sorry"}],
        [{"LOWER": "we"}, {"LOWER": "sorry"}],
    ]
    assert compile_pattern("^(non @potere)|mai", words) == [
        [{"LOWER": "non", "IS_SENT_START": True}, {"LEMMA": "potere"}],
        [{"LOWER": "mai", "IS_SENT_START": True}],
    ]
    # a regex with parentheses of its own inside a pattern with groups
    assert compile_pattern("/^(ore|ora)$/ (di fila)|dopo", words) == [
        [{"LOWER": {"REGEX": "^(ore|ora)$"}}, {"LOWER": "di"}, {"LOWER": "fila"}],
        [{"LOWER": {"REGEX": "^(ore|ora)$"}}, {"LOWER": "dopo"}],
    ]


@pytest.mark.parametrize(
    ("pattern", "means", "phrase"),
    [
        ("good enough|fine", "good (enough|fine)", "(good enough)|fine"),
        ("can|could not", "(can|could) not", "can|(could not)"),
        ("as mentioned|as stated", "as (mentioned|as) stated", "(as mentioned)|(as stated)"),
        ("^il|lo team|staff", "^(il|lo) (team|staff)", None),
        ("that|which? you", "(that|which)? you", None),
    ],
)
def test_an_ambiguous_bar_is_refused_with_both_readings(pattern: str, means: str, phrase: str | None) -> None:
    with pytest.raises(AmbiguousAlternation) as caught:
        compile_pattern(pattern, words)
    message = str(caught.value)
    assert repr(means) in message
    assert (repr(phrase) in message) if phrase else "if an alternative is a phrase" not in message
    assert explicit_form(pattern) == means
    compile_pattern(means, words)  # the suggested form compiles
    if phrase:
        compile_pattern(phrase, words)


@pytest.mark.parametrize(
    "pattern",
    ["non @potere|volere", "a|b", "/^(x|y)$/ z|w", "_ a|b", "@essere|stare _ contento|felice", "(a|b) c", "can't"],
)
def test_look_alikes_of_the_trap_are_accepted(pattern: str) -> None:
    """A bar beside a lemma, regex or wildcard, alone, or already grouped is not ambiguous."""
    assert compile_pattern(pattern, words)
    assert explicit_form(pattern) == pattern


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        ("(a b", "never closed"),
        ("a b)", "closes no group"),
        ("() a", "empty group"),
        ("(a b)+ c", "only '?'"),
        ("(a b)* c", "only '?'"),
        ("(a b)|| c", "empty alternative"),
    ],
)
def test_malformed_groups_are_refused(pattern: str, error: str) -> None:
    with pytest.raises(PatternSyntaxError, match=error.replace("(", r"\(").replace("?", r"\?")):
        compile_pattern(pattern, words)


# -- a team's pack ---------------------------------------------------------------------


def _pack(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "team.yaml").write_text(body, encoding="utf-8")
    return folder


RULE = """\
# our own rule
- code: TEA101
  name: closed-ticket
  category: structure
  severity: warning
  kind: phrase
  lang: en
  summary: {{it: "x", en: "x"}}
  message: {{it: "x", en: "x"}}
  rationale: {{it: "x", en: "x"}}
  suggest: {{advice: {{it: "x", en: "x"}}}}
  patterns:
    - "{pattern}"   # keep this comment
  examples:
    bad: ["Your ticket is closed."]
    good: ["The shop is closed on Sunday."]
"""


def test_loading_a_pack_with_the_trap_names_file_rule_and_fix(tmp_path: Path) -> None:
    folder = _pack(tmp_path, RULE.format(pattern="ticket is|was closed"))
    with pytest.raises(PackError) as caught:
        replylint.check("Hi", lang="en", config={"packs": [str(folder)]})
    message = str(caught.value)
    assert "team.yaml" in message and "TEA101" in message and "'ticket (is|was) closed'" in message


def test_packs_lint_fix_keeps_meaning_and_comments(tmp_path: Path, capsys) -> None:
    folder = _pack(tmp_path, RULE.format(pattern="ticket is|was closed"))
    assert main(["packs", "lint", str(folder)]) == 1
    assert "team.yaml:13: rule TEA101" in capsys.readouterr().out
    assert main(["packs", "lint", str(folder), "--fix"]) == 0
    text = (folder / "team.yaml").read_text(encoding="utf-8")
    assert '- "ticket (is|was) closed"   # keep this comment' in text and "# our own rule" in text
    assert lint_folder(folder) == ([], 0)
    assert main(["packs", "test", str(folder)]) == 0
    assert "2 examples of 1 rules: 2 passed, 0 failed" in capsys.readouterr().out


def test_packs_test_prints_failures_like_a_test_runner(tmp_path: Path, capsys) -> None:
    folder = _pack(tmp_path, RULE.format(pattern="ticket (is|was) shut"))
    assert main(["packs", "test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "team.yaml: TEA101 [en] bad #1: should fire on: 'Your ticket is closed.'" in out
    assert "1 passed, 1 failed" in out


def test_packs_test_on_the_sample_team_pack(capsys) -> None:
    assert main(["packs", "test", str(TEAM_PACK), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["failed"] == 0 and payload["passed"] >= 16
    assert {r["code"] for r in payload["results"]} == {"ACM101", "ACM102"}
    assert {r["lang"] for r in payload["results"]} == {"it", "en"}


@pytest.mark.parametrize(("lang", "line"), [("en", "Happy shopping!"), ("it", "Buono shopping!")])
def test_the_sample_pack_lexicon_extends_the_shipped_sign_offs(lang: str, line: str) -> None:
    from replylint.core.matching import IndexedDoc
    from replylint.engine import get_engine

    def is_signoff(engine) -> bool:  # type: ignore[no-untyped-def]
        runtime = engine._runtimes[lang]
        return bool(runtime.lexicon.find("signoff", IndexedDoc(runtime.nlp(line), runtime.vocabulary)))

    assert not is_signoff(get_engine())
    assert is_signoff(get_engine([TEAM_PACK.resolve()]))


@pytest.mark.parametrize("arguments", [["packs", "test", "/no/such/folder"], ["packs", "lint", "/no/such/folder"]])
def test_packs_commands_refuse_a_missing_folder_in_one_line(arguments: list[str], capsys) -> None:
    assert main(arguments) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no such folder" in err


def test_packs_test_refuses_a_file(tmp_path: Path, capsys) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("[]")
    assert main(["packs", "test", str(file)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_the_shipped_packs_have_no_ambiguous_pattern(tmp_path: Path) -> None:
    for lang in ("it", "en"):
        copy = tmp_path / lang
        shutil.copytree(ROOT / "rules" / lang, copy)
        assert lint_folder(copy)[0] == []
