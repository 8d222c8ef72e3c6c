"""`replylint check` for CI: SARIF 2.1.0 valid against the published schema, GitHub annotations,
JUnit XML, --statistics, --quiet, --output, --no-color, completion and the summary across files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

import replylint
from replylint.cli import main

ROOT = Path(__file__).resolve().parent.parent
# The OASIS schema as published (oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json).
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
IT_NEGATIVE = ROOT / "examples" / "it" / "reclamo-bozza-negativa.txt"
EN_NEGATIVE = ROOT / "examples" / "en" / "complaint-draft-negative.txt"
IT_POSITIVE = ROOT / "examples" / "it" / "reclamo-bozza-positiva.txt"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings_of(path: Path) -> list[replylint.Finding]:
    return replylint.check(path.read_text(encoding="utf-8")).findings


def test_sarif_validates_against_the_published_schema_and_locates_every_finding(capsys) -> None:
    code, out, err = run(capsys, "check", "--format", "sarif", IT_NEGATIVE, EN_NEGATIVE, IT_POSITIVE)
    assert code == 1, err
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run_ = log["runs"][0]
    results = run_["results"]
    expected = findings_of(IT_NEGATIVE) + findings_of(EN_NEGATIVE) + findings_of(IT_POSITIVE)
    assert len(results) == len(expected)
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.code for f in expected})
    neg122 = next(r for r in rules if r["id"] == "NEG122")
    assert neg122["defaultConfiguration"]["level"] == "error" and neg122["shortDescription"]["text"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        text = Path(location["artifactLocation"]["uri"]).read_text(encoding="utf-8")
        region = location["region"]
        excerpt = text[region["charOffset"]: region["charOffset"] + region["charLength"]]
        line = text.splitlines()[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:].startswith(excerpt.split("\n")[0])
    blame = next(r for r in results if r["ruleId"] == "NEG122" and "reclamo" in
                 r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert blame["level"] == "error"
    assert blame["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "ci dispiace"


def test_sarif_of_a_clean_reply_is_valid_with_no_results(capsys, tmp_path: Path) -> None:
    path = tmp_path / "fine.txt"
    path.write_text("Ciao Marta,\n\ngrazie per la pazienza: ho rimborsato 12,50 € oggi e li vedrai sulla carta "
                    "entro 5 giorni lavorativi.\n\nUn saluto,\nLuca", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "sarif", "--min-severity", "warning", path)
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert code == 0 and log["runs"][0]["results"] == []


def test_github_annotations_one_line_per_finding_escaped(capsys, tmp_path: Path) -> None:
    odd = tmp_path / "macro, 100%: refund.txt"
    odd.write_text(EN_NEGATIVE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "github", odd)
    lines = out.splitlines()
    expected = findings_of(EN_NEGATIVE)
    assert code == 1 and len(lines) == len(expected)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    first = lines[0]
    assert "file=" + str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C") + ",line=" in first
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == sum(1 for f in expected if f.severity.value == "error")
    assert any("title=replylint NEG122::NEG122 " in line for line in errors)


def test_junit_has_a_failure_per_finding_at_the_fail_level(capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "junit", "--fail-on", "warning", EN_NEGATIVE, IT_POSITIVE)
    root = ElementTree.fromstring(out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(EN_NEGATIVE), str(IT_POSITIVE)]
    expected = findings_of(EN_NEGATIVE)
    failures = suites[0].findall("testcase/failure")
    assert len(failures) == sum(1 for f in expected if f.severity.value in ("warning", "error"))
    assert root.get("failures") == str(len(failures) + len(suites[1].findall("testcase/failure")))
    assert code == 1


def test_statistics_counts_codes_most_frequent_first(capsys) -> None:
    code, out, _ = run(capsys, "check", "--statistics", IT_NEGATIVE, EN_NEGATIVE)
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith("Checked")]
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True)
    total = len(findings_of(IT_NEGATIVE)) + len(findings_of(EN_NEGATIVE))
    assert sum(counts) == total
    assert any(line.split()[1] == "NEG122" and line.split()[0] == "2" for line in lines)
    code, out, _ = run(capsys, "check", "--statistics", "--format", "json", IT_NEGATIVE, EN_NEGATIVE)
    assert sum(item["count"] for item in json.loads(out)) == total


def test_summary_across_files_and_quiet(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "check", IT_NEGATIVE, IT_POSITIVE, missing)
    assert code == 2 and "no such file" in err
    total = findings_of(IT_NEGATIVE) + findings_of(IT_POSITIVE)
    assert out.rstrip().splitlines()[-1].startswith("Checked 2 files: ")
    assert "; 1 could not be checked." in out
    code, out, _ = run(capsys, "check", "--quiet", IT_NEGATIVE, IT_POSITIVE)
    assert "score" not in out and "LATTE" not in out and "Checked" not in out
    assert out.count("^") >= len([f for f in total if f.severity.value != "info"])


def test_output_writes_the_file_and_nothing_to_stdout(capsys, tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    code, out, _ = run(capsys, "check", "--format", "sarif", "--output", target, EN_NEGATIVE)
    assert code == 1 and out == ""
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(target.read_text(encoding="utf-8")))
    code, _, err = run(capsys, "check", "--output", tmp_path / "no" / "such" / "dir.txt", EN_NEGATIVE)
    assert code == 2 and err.count("\n") == 1


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "replylint", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_no_color_and_NO_COLOR_print_no_escape_codes() -> None:
    forced = {"FORCE_COLOR": "1", "NO_COLOR": ""}
    assert "\x1b[" in _cli("check", str(EN_NEGATIVE), env=forced).stdout
    assert "\x1b[" not in _cli("check", "--no-color", str(EN_NEGATIVE), env=forced).stdout
    assert "\x1b[" not in _cli("check", str(EN_NEGATIVE), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_shell_completion_completes_commands_and_choices() -> None:
    done = _cli(env={"_REPLYLINT_COMPLETE": "complete_bash", "COMP_WORDS": "replylint check --format ",
                     "COMP_CWORD": "3"})
    assert done.stdout.split() == ["text", "json", "sarif", "github", "junit"]
    assert "_replylint_completion" in _cli("--show-completion", "bash", env={}).stdout


def test_english_output_has_no_italian_gloss(capsys) -> None:
    _, out, _ = run(capsys, "check", EN_NEGATIVE)
    assert "(inaccettabile)" not in out and "unacceptable" in out
    _, out, _ = run(capsys, "check", IT_NEGATIVE)
    assert "inaccettabile" in out


def test_a_progress_bar_on_a_terminal_for_many_files_only(tmp_path: Path) -> None:
    import pexpect

    for i in range(60):
        (tmp_path / f"macro{i:02d}.txt").write_text(f"Hi Sam, your refund {i} left today. Best, Ann", encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.txt"))
    many = pexpect.spawn(sys.executable, ["-m", "replylint", "check", "--min-severity", "error", *files], encoding="utf-8",
                         timeout=180, dimensions=(40, 120))
    many.expect(pexpect.EOF)
    assert "/60 [" in many.before  # tqdm: "…| 30/60 [00:01<00:01, …]"
    few = pexpect.spawn(sys.executable, ["-m", "replylint", "check", "--min-severity", "error", *files[:10]], encoding="utf-8",
                        timeout=180, dimensions=(40, 120))
    few.expect(pexpect.EOF)
    assert "/10 [" not in few.before
    quiet_pipe = _cli("check", *files, env={})
    assert "/60 [" not in quiet_pipe.stderr  # not a terminal: no bar


def test_a_folder_is_checked_as_its_text_replies(capsys, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(EN_NEGATIVE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text(IT_POSITIVE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".git" / "c.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "export.csv").write_text("id,body\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "github", tmp_path)
    files = {line.split("file=")[1].split(",")[0] for line in out.splitlines()}
    assert code == 1 and files == {str(tmp_path / "a.txt").replace(":", "%3A")}
    code, out, _ = run(capsys, "check", tmp_path)
    assert "Checked 2 files: 1 with findings" in out
