"""The command line: output, JSON, exit codes and one-line errors for bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from replylint import Report
from replylint.cli import main

ROOT = Path(__file__).resolve().parent.parent
IT_NEGATIVE = ROOT / "examples" / "it" / "reclamo-bozza-negativa.txt"
IT_POSITIVE = ROOT / "examples" / "it" / "reclamo-bozza-positiva.txt"
EN_NEGATIVE = ROOT / "examples" / "en" / "complaint-draft-negative.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_negative_italian_draft_shows_findings_and_exits_1(capsys) -> None:
    code, out, err = run(capsys, "check", IT_NEGATIVE)
    assert code == 1, err
    assert "NEG122" in out and "^^^" in out and "help:" in out
    assert "reclamo-bozza-negativa.txt:3:1:" in out


def test_positive_draft_exits_0(capsys) -> None:
    code, out, _ = run(capsys, "check", IT_POSITIVE)
    assert code == 0
    assert "no findings" in out


def test_exit_zero_and_fail_on(capsys) -> None:
    assert run(capsys, "check", "--exit-zero", IT_NEGATIVE)[0] == 0
    assert run(capsys, "check", "--select", "NEG101", IT_NEGATIVE)[0] == 0  # warnings only
    assert run(capsys, "check", "--select", "NEG101", "--fail-on", "warning", IT_NEGATIVE)[0] == 1


def test_json_output_validates_against_the_report_model(capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", EN_NEGATIVE)
    assert code == 1
    report = Report.model_validate_json(out)
    assert report.language == "en" and report.findings
    text = EN_NEGATIVE.read_text(encoding="utf-8")
    assert all(text[f.span.start : f.span.end] == f.excerpt for f in report.findings)


def test_json_for_several_files_is_a_list(capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", IT_NEGATIVE, EN_NEGATIVE)
    data = json.loads(out)
    assert [item["path"] for item in data] == [str(IT_NEGATIVE), str(EN_NEGATIVE)]
    assert all(Report.model_validate(item["report"]) for item in data)


def test_stdin(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("As I said, we can't do it.".encode())))
    code, out, _ = run(capsys, "check", "-", "--fail-on", "warning")
    assert code == 1 and "<stdin>:1:" in out


def _bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Non è possibile, perché".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    huge.write_text("Grazie per la pazienza. " * 45_000, encoding="utf-8")  # ~1 MB
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("select = [NEG\n", encoding="utf-8")
    wrong_key = tmp_path / "wrong.toml"
    wrong_key.write_text('selectt = ["NEG"]\n', encoding="utf-8")
    wrong_type = tmp_path / "type.toml"
    wrong_type.write_text('fail_on = "sometimes"\n', encoding="utf-8")
    ok = str(IT_POSITIVE)
    return {
        "empty": ["check", str(empty)],
        "missing": ["check", str(tmp_path / "nope.txt")],
        "binary": ["check", str(binary)],
        "latin1": ["check", str(latin1)],
        "huge": ["check", str(huge)],
        "directory": ["check", str(_empty_folder(tmp_path))],
        "unknown-code": ["check", "--select", "ZZZ999", ok],
        "unknown-explain": ["explain", "NEG999"],
        "bad-toml": ["check", "--config", str(bad_toml), ok],
        "unknown-key": ["check", "--config", str(wrong_key), ok],
        "wrong-type": ["check", "--config", str(wrong_type), ok],
        "missing-config": ["check", "--config", str(tmp_path / "none.toml"), ok],
        "bad-option": ["check", "--fail-on", "sometimes", ok],
        "bad-lang": ["check", "--lang", "es", ok],
    }


def _empty_folder(tmp_path: Path) -> Path:
    """A folder stands for its .txt and .md replies; one with none is an error, not a silent pass."""
    folder = tmp_path / "no-replies"
    folder.mkdir(exist_ok=True)
    (folder / "notes.csv").write_text("id,body\n", encoding="utf-8")
    return folder


CASES = [
    "empty", "missing", "binary", "latin1", "huge", "directory", "unknown-code", "unknown-explain",
    "bad-toml", "unknown-key", "wrong-type", "missing-config", "bad-option", "bad-lang",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_clear_line_and_exit_2(case: str, tmp_path: Path) -> None:
    args = _bad_inputs(tmp_path)[case]
    result = subprocess.run(
        [sys.executable, "-m", "replylint", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "expected an error message on stderr"
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("replylint: error: ")
    if case in ("bad-option", "bad-lang"):  # an option error also says where the help is
        assert "(see 'replylint check --help')" in lines[0]


def test_a_closed_pipe_ends_quietly_with_141_not_the_findings_code(tmp_path: Path) -> None:
    """`replylint check … | head -c 0`: the reader went away; exit 1 would read as "findings"."""
    process = subprocess.Popen(
        [sys.executable, "-m", "replylint", "check", "--exit-zero", str(IT_NEGATIVE)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in error and error.strip() == ""


def test_error_in_one_file_does_not_hide_the_others(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", tmp_path / "missing.txt", IT_NEGATIVE)
    assert code == 2
    assert "no such file" in err and "NEG122" in out


def test_rules_lists_and_filters(capsys) -> None:
    code, out, _ = run(capsys, "rules", "--lang", "en", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data and all("en" in r["languages"] for r in data)
    assert {"code", "name", "category", "severity", "summary"} <= set(data[0])
    code, out, _ = run(capsys, "rules", "--category", "negative")
    assert code == 0 and "NEG101" in out


def test_rules_show_the_measured_record_and_where_it_turns_a_rule_off(capsys) -> None:
    """Each rule's dev precision and recall per language; a rule under 0.90 in one language only
    is on in the other, and the listing says which."""
    from replylint.engine import get_engine

    engine = get_engine()
    code, out, _ = run(capsys, "rules", "--format", "json")
    data = {r["code"]: r for r in json.loads(out)}
    assert code == 0
    for rule in engine.rules:
        measured = data[rule.code]["measured"][rule.lang]
        assert measured is not None and measured["split"] == "dev"
        off = (rule.code, rule.lang) in engine.off_by_measure
        assert (rule.lang in data[rule.code]["enabled_in"]) == rule.enabled
        if off:
            assert measured["off_by_measure"] and measured["precision"] < 0.90 and measured["fired"] >= 3
    split = [code for code, r in data.items() if 0 < len(r["enabled_in"]) < len(r["languages"])]
    assert split, "no rule whose record differs by language"
    code, out, _ = run(capsys, "rules")
    row = next(line for line in out.splitlines() if f" {split[0]} " in line)
    assert f" {data[split[0]]['enabled_in'][0]} " in row and "0." in row


def test_explain_prints_the_four_sections(capsys) -> None:
    code, out, _ = run(capsys, "explain", "NEG101", "--lang", "en")
    assert code == 0
    for heading in ("What it checks", "Why it matters", "Example", "Use instead"):
        assert f"## {heading}" in out
    code, out, _ = run(capsys, "explain", "neg101", "--lang", "it")
    assert code == 0 and "## Perché è importante" in out


def test_explain_shows_the_customer_message_of_context_examples(capsys) -> None:
    code, out, _ = run(capsys, "explain", "DEF103", "--lang", "en")
    assert code == 0
    assert "off by default" in out
    assert "[customer]" in out and "reply=" not in out


def test_min_severity_hides_advice_but_not_from_the_summary(capsys) -> None:
    code, out, _ = run(capsys, "check", "--min-severity", "warning", IT_NEGATIVE)
    assert code == 1
    assert "[info]" not in out and "[warning]" in out and "[error]" in out
    assert re.search(r"\b[1-9][0-9]* infos?\b", out)  # the summary still counts them


@pytest.mark.parametrize("source", ["/dev/zero", "stdin"])
def test_endless_input_is_refused_once_it_passes_the_limit(source: str, tmp_path: Path) -> None:
    """A device or a pipe has no size to look at first; reading stops at the limit, not at 4 GB."""
    if source == "stdin":
        producer = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
        args, stdin = ["check", "-"], producer.stdout
    else:
        producer, args, stdin = None, ["check", source], subprocess.DEVNULL
    result = subprocess.run(
        [sys.executable, "-m", "replylint", *args], stdin=stdin, capture_output=True, text=True,
        cwd=tmp_path, timeout=120,
    )
    if producer is not None:
        producer.kill()
        producer.wait()
    assert result.returncode == 2
    assert result.stderr.strip().endswith("too large to check (limit 100,000 characters)")
    assert len(result.stderr.strip().splitlines()) == 1


def test_oversized_standard_input_is_named_once() -> None:
    result = subprocess.run([sys.executable, "-m", "replylint", "check", "-"], input="a" * 500_000,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("replylint: error: standard input: more than ")
    assert result.stderr.count("\n") == 1
