"""`replylint train`: scenarios, grading, the non-interactive form, history, drills and the
interactive session driven through a pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from replylint.cli import main
from replylint.errors import ScenarioError, TrainingStoreError
from replylint.models import Level
from replylint.training.drills import drills, try_rewrite
from replylint.training.grading import grade, uses_fact
from replylint.training.history import Store
from replylint.training.scenarios import SITUATIONS, load_file, load_scenarios

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = load_scenarios()
WEAK_EN = "Hi, we are looking into it and will get back to you."


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str | None = None
        ) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- the shipped scenarios -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["it", "en"])
def test_at_least_twenty_scenarios_per_language_cover_every_situation(lang: str) -> None:
    mine = [s for s in SCENARIOS if s.lang == lang]
    assert len(mine) >= 20
    assert set(SITUATIONS) <= {s.situation for s in mine}
    assert {"email", "chat", "social"} <= {s.channel for s in mine}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_model_answer_reaches_the_top_level(scenario) -> None:  # type: ignore[no-untyped-def]
    graded = grade(scenario, scenario.model_answer)
    assert graded.level is Level.stellar, (graded.score, graded.reasons, [f.code for f in graded.findings])
    assert not graded.facts_missed


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.lang == "en"][:5], ids=lambda s: s.id)
def test_a_vague_answer_is_far_from_the_top(scenario) -> None:  # type: ignore[no-untyped-def]
    graded = grade(scenario, WEAK_EN)
    assert graded.facts_missed and graded.score < 60 and graded.level is not Level.stellar


# -- scenario files ------------------------------------------------------------------------------


def _scenario_yaml(**changes: object) -> str:
    import yaml

    data = yaml.safe_load((ROOT / "scenarios" / "en" / "lost-parcel.yaml").read_text(encoding="utf-8"))
    data.update(id="team-parcel", title="Team parcel")
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": None}, "field title: Field required"),
    ({"lang": "fr"}, "field lang:"),
    ({"channel": "fax"}, "field channel:"),
    ({"required_facts": [{"id": "x", "text": "y"}]}, "field required_facts.0.any:"),
    ({"steps": ["listen", "smile"]}, "field steps.1:"),
    ({"situation": "weather"}, "field situation:"),
    ({"id": "Bad Id"}, "field id:"),
    ({"colour": "red"}, "field colour:"),
])
def test_a_malformed_scenario_names_the_file_and_the_field(tmp_path: Path, changes: dict, field: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_scenario_yaml(**changes), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert str(path) in str(caught.value) and field in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_yaml_and_a_duplicate_id_are_errors_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken.yaml: not valid YAML \(line"):
        load_scenarios([tmp_path])
    (tmp_path / "broken.yaml").unlink()
    (tmp_path / "dup.yaml").write_text(_scenario_yaml(id="en-lost-parcel"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="dup.yaml: field id: 'en-lost-parcel' is already used by"):
        load_scenarios([tmp_path])


def test_a_teams_folder_adds_scenarios_by_option_and_by_config(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "team"
    team.mkdir()
    (team / "parcel.yaml").write_text(_scenario_yaml(), encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "train", "list", "--scenarios", team, "--format", "json")
    listed = json.loads(out)
    assert code == 0 and {"id": "team-parcel", "title": "Team parcel", "lang": "en", "channel": "email",
                          "situation": "lost_parcel"} in listed
    assert len(listed) == len(SCENARIOS) + 1
    (tmp_path / "replylint.toml").write_text('[training]\nscenarios = "team"\n', encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "train", "list", "--lang", "en", "--config", tmp_path / "replylint.toml")
    assert code == 0 and "team-parcel" in out and "it-" not in out


# -- grading -------------------------------------------------------------------------------------


def test_facts_match_whatever_the_case_accents_and_number_separators() -> None:
    assert uses_fact("Il rimborso di 14,90 € arriverà entro il 12 MARZO.", ["14.90"])
    assert uses_fact("Ordine n. 48 213 spedito", ["48213"])
    assert uses_fact("Perché è così", ["perche e cosi"])
    assert not uses_fact("Ordine 482130 spedito", ["48213"])  # whole numbers only
    assert not uses_fact("Thursdays are busy", ["Thursday"])


def test_the_rewrite_shown_is_replylint_fix_and_none_when_fix_changes_nothing() -> None:
    import replylint

    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    answer = scenario.model_answer.replace("I looked into order 48213", "As I said in my last email, I looked into order 48213")
    graded = grade(scenario, answer)
    expected = replylint.fix(answer, customer=scenario.customer_text, lang="en", channel=scenario.channel)
    assert expected.edits and graded.rewrite == expected.text
    assert "As mentioned in my last email, I looked into order 48213" in graded.rewrite
    assert grade(scenario, scenario.model_answer).rewrite is None


def test_missing_facts_and_steps_cap_the_grade_and_say_why() -> None:
    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    without_fallback = scenario.model_answer.replace(
        "I will send a replacement by express courier at no cost to you", "I will look into it again")
    graded = grade(scenario, without_fallback)
    assert graded.facts_missed == ["fallback"] and graded.score <= 59
    assert any("fact not used" in reason for reason in graded.reasons)


# -- the non-interactive form --------------------------------------------------------------------


def test_answer_from_stdin_as_json_and_stored(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "history.sqlite3"
    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    code, out, err = run(capsys, monkeypatch, "train", "--scenario", "en-lost-parcel", "--answer", "-",
                         "--agent", "Ann", "--db", db, "--format", "json", stdin=scenario.model_answer)
    assert code == 0, err
    result = json.loads(out)
    assert result["scenario"] == "en-lost-parcel" and result["agent"] == "Ann"
    assert result["level"] == "stellar" and result["score"] >= 90
    assert result["facts_missed"] == [] and set(result["facts_used"]) == {"where", "when", "fallback"}
    assert {s["step"] for s in result["steps"] if s["required"] and s["present"]} == set(scenario.steps)
    assert result["answered_at"].endswith("+00:00") and "findings" in result
    code, out, err = run(capsys, monkeypatch, "train", "--scenario", "en-lost-parcel", "--answer", "-",
                         "--agent", "Ann", "--db", db, stdin=WEAK_EN)
    assert code == 0 and "fact not used" in out and "Model answer" in out
    assert Store(db).attempts("Ann")[0].level is Level.stellar
    assert len(Store(db).attempts()) == 2


def test_non_interactive_errors_are_one_line(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, "train", "--scenario", "nope", "--answer", "-", "--no-save", stdin="Hi")
    assert code == 2 and err.count("\n") == 1 and "no scenario 'nope'" in err
    code, _, err = run(capsys, monkeypatch, "train", "--answer", "-", "--no-save", stdin="Hi")
    assert code == 2 and "--answer needs --scenario" in err
    code, _, err = run(capsys, monkeypatch, "train", "--scenario", "en-lost-parcel", "--answer", tmp_path / "none.txt",
                       "--no-save")
    assert code == 2 and "no such file" in err and err.count("\n") == 1


# -- history -------------------------------------------------------------------------------------


def test_history_shows_progress_across_attempts(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "team.sqlite3"
    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    for answer in (WEAK_EN, scenario.model_answer):
        assert run(capsys, monkeypatch, "train", "--scenario", scenario.id, "--answer", "-", "--agent", "Bo",
                   "--db", db, stdin=answer)[0] == 0
    code, out, _ = run(capsys, monkeypatch, "train", "history", "--db", db, "--format", "json")
    (bo,) = json.loads(out)
    assert code == 0 and bo["agent"] == "Bo" and bo["attempts"] == 2
    levels = [a["level"] for a in bo["scenarios"]["en-lost-parcel"]]
    assert levels[-1] == "stellar" and levels[0] != "stellar"
    assert bo["trend"][0]["score"] < bo["trend"][1]["score"]
    code, out, _ = run(capsys, monkeypatch, "train", "history", "--db", db, "--agent", "Bo")
    assert code == 0 and "trend" in out and "en-lost-parcel" in out and "→" in out


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b""])
def test_a_corrupted_or_foreign_database_is_one_line_and_left_untouched(tmp_path, capsys, monkeypatch, content) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "other.sqlite3"
    if content:
        db.write_bytes(content)
    else:  # another program's SQLite file
        with sqlite3.connect(db) as connection:
            connection.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
            connection.execute("INSERT INTO invoices VALUES (1, 9.5)")
    before = db.read_bytes()
    code, _, err = run(capsys, monkeypatch, "train", "--scenario", "en-lost-parcel", "--answer", "-", "--db", db,
                       stdin=WEAK_EN)
    assert code == 2 and err.count("\n") == 1 and str(db) in err and "Traceback" not in err
    assert db.read_bytes() == before
    code, _, err = run(capsys, monkeypatch, "train", "history", "--db", db)
    assert code == 2 and err.count("\n") == 1


def test_earlier_attempts_survive_a_damaged_row_and_a_newer_schema(tmp_path) -> None:
    db = tmp_path / "h.sqlite3"
    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    store = Store(db)
    store.add(grade(scenario, WEAK_EN, agent="Cy"))
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(TrainingStoreError, match="newer replylint"):
        store.add(grade(scenario, WEAK_EN, agent="Cy"))
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
        assert connection.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1


# -- drills --------------------------------------------------------------------------------------


def test_drills_come_from_bad_examples_and_pass_only_with_the_rule_silent_and_the_facts_kept() -> None:
    pool = drills("en", "promise")
    assert pool and all(d.rule.category.value == "promise" and d.rule.enabled for d in pool)
    friday = next(d for d in pool if "Friday" in d.sentence and "guarantee" in d.sentence.lower())
    assert try_rewrite(friday, "It should arrive by Friday; I will keep an eye on the tracking.").passed
    kept_promise = try_rewrite(friday, "We guarantee it will arrive by Friday, promise.")
    assert not kept_promise.passed and kept_promise.fired
    dropped_date = try_rewrite(friday, "It should arrive soon; I will keep an eye on the tracking.")
    assert not dropped_date.passed and dropped_date.missing == ["Friday"]
    lost = next(d for d in drills("it", "negative") if d.sentence.startswith("Non c'è niente da fare, il pacco"))
    assert try_rewrite(lost, "Ho aperto una pratica con il corriere per ritrovare il pacco.").passed
    unrelated = try_rewrite(lost, "Ti spediamo l'ordine lunedì mattina.")
    assert not unrelated.passed and unrelated.off_topic and not unrelated.fired


def test_drill_answer_through_the_cli(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, monkeypatch, "train", "drill", "--lang", "it", "--category", "negative",
                         "--answer", "-", "--seed", "3", "--db", tmp_path / "d.sqlite3", "--format", "json",
                         stdin="Ti scrivo appena possibile.")
    result = json.loads(out)
    assert code == 0, err and result["code"].startswith("NEG")
    assert set(result) == {"code", "sentence", "passed", "still_fires", "missing", "off_topic"}
    assert Store(tmp_path / "d.sqlite3").attempts()[0].kind == "drill"


# -- the interactive session, in a pseudo-terminal ------------------------------------------------


def _spawn(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1"}
    return pexpect.spawn(sys.executable, ["-m", "replylint", "train", *args], env=env, cwd=str(tmp_path),
                         encoding="utf-8", timeout=90, dimensions=(50, 120))


def test_interactive_session_answer_retry_and_ctrl_c_saves_what_was_done(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    scenario = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    child = _spawn(tmp_path, "--scenario", "en-lost-parcel", "--agent", "Dee", "--db", str(db))
    child.expect("Parcel stuck in transit")
    child.expect("finish with two empty lines")
    child.sendline(WEAK_EN)
    child.sendline("")
    child.sendline("")
    child.expect("Grade:")
    child.expect("Model answer")
    child.expect(r"\[r\] retry")
    child.sendline("r")
    child.expect("finish with two empty lines")
    for line in scenario.model_answer.splitlines():  # paragraphs and all
        child.sendline(line)
    child.sendline("")
    child.sendline("")
    child.expect("stellar")
    child.expect(r"\[r\] retry")
    child.sendintr()  # Ctrl-C at the prompt
    child.expect("Session summary")
    child.expect("2 attempts saved")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    levels = [a.level for a in Store(db).attempts("Dee")]
    assert levels[0] is not Level.stellar and levels[1] is Level.stellar


def test_interactive_session_ctrl_c_while_typing_and_the_editor(tmp_path: Path) -> None:
    db = tmp_path / "e.sqlite3"
    answer = tmp_path / "answer.txt"
    answer.write_text(next(s for s in SCENARIOS if s.id == "en-lost-parcel").model_answer, encoding="utf-8")
    child = _spawn(tmp_path, "--scenario", "en-lost-parcel", "--db", str(db))
    child.expect("finish with two empty lines")
    child.sendline("Hi Laura, half a sentence")
    child.sendintr()
    child.expect("No scenario answered")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0 and not db.exists()
    os.environ["EDITOR"] = f"sh -c 'cat {answer} > \"$1\"' sh"
    try:
        child = _spawn(tmp_path, "--scenario", "en-lost-parcel", "--db", str(db), "--editor")
    finally:
        del os.environ["EDITOR"]
    child.expect("stellar")
    child.expect(r"\[r\] retry")
    child.sendline("q")
    child.expect("1 attempts saved")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0 and len(Store(db).attempts()) == 1


def pexpect_eof():  # type: ignore[no-untyped-def]
    import pexpect

    return pexpect.EOF


def test_an_answer_in_the_other_language_cannot_reach_a_sendable_level() -> None:
    italian = next(s for s in SCENARIOS if s.id == "it-lost-parcel")
    english = next(s for s in SCENARIOS if s.id == "en-lost-parcel")
    graded = grade(italian, english.model_answer)
    assert graded.score <= 39 and graded.reasons[0].startswith("la risposta non è in italiano")
