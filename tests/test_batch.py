"""`replylint batch`: one output row per input row whatever the rows hold, the same rows on one
process, several and a Dask cluster, streaming in bounded memory, and the summary a team lead reads."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from replylint.batch.columns import Columns
from replylint.batch.jobs import JobMaker
from replylint.batch.runner import CHUNK, IN_FLIGHT_PER_WORKER, run_local
from replylint.batch.sources import open_export
from replylint.cli import main
from replylint.config import Config

IT_BAD = "Buongiorno Sig. Rossi,\n\ncome già detto, non possiamo rimborsare la spedizione.\n\nCordiali saluti,\nAna"
EN_GOOD = ("Hi Tom,\n\nthanks for your patience! I've refunded the 12.50 shipping fee today; it will reach your "
           "card within 3-5 business days.\n\nBest,\nBo")
EN_BAD = "We can't do that. You should have read the policy before ordering."
SECRET = "Zanzibar-7731"  # a word only the replies hold: it must not reach the results unless asked


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def messy_csv(tmp_path: Path) -> Path:
    """Good rows, an empty reply, another language, bad quoting, a short row, a cell that is not
    UTF-8, a reply spanning lines: eight data rows, of which two lines are blank."""
    path = tmp_path / "export.csv"
    lines = [
        "id,agent,date,body,customer",
        f'1,Ana,2026-11-02T10:00:00Z,"{IT_BAD} {SECRET}","Dov\'è il mio rimborso?"',
        f'2,Bo,2026-11-10T09:00:00Z,"{EN_GOOD}",',
        "3,Bo,2026-11-11,,",
        '4,Ana,2026-11-12,"Guten Tag, vielen Dank für Ihre Nachricht, wir prüfen das sofort.",',
        '5,Ana,2026-11-12,"bad"quote,',
        "",
        "6,Bo",
        f'7,Cy,2026-11-20,"{EN_BAD}",',
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8") + b'8,Cy,2026-11-21,"caf\xe9 pronto",\n'
    path.write_bytes(data)
    return path


def test_every_row_gets_one_result_in_order_with_its_status_and_line(capsys, messy_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    code, _, err = run(capsys, "batch", messy_csv, "--out", out, "--text", "body", "-j", "1", "--quiet")
    assert code == 0, err
    rows = read_jsonl(out)
    assert [r["row"] for r in rows] == list(range(1, 9))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", None, None, "7", None]
    statuses = [r["status"] for r in rows]
    assert statuses[:4] == ["ok", "ok", "empty", "unsupported-language"]
    assert statuses[4].startswith("error: line 16: bad CSV")
    assert statuses[5] == "error: line 18: 2 fields, the header has 5 (missing 'date', 'body', 'customer')"
    assert statuses[6] == "ok"
    assert statuses[7] == "error: line 20: not utf-8 text (pass --encoding)"
    assert rows[0]["language"] == "it" and "NEG120" in rows[0]["codes"] and rows[0]["n_negative"] >= 2
    assert rows[1]["language"] == "en" and rows[1]["score"] > rows[6]["score"]
    assert rows[6]["n_error"] >= 1  # "You should have"
    assert SECRET not in out.read_text(encoding="utf-8")


def test_line_numbers_point_at_the_row_even_after_a_reply_spanning_lines(capsys, messy_csv: Path,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    run(capsys, "batch", messy_csv, "--out", out, "--text", "body", "-j", "1", "--quiet")
    lines = [r["line"] for r in read_jsonl(out)]
    # row 1's reply spans lines 2–7 and row 2's 8–13; line 17 is blank
    assert lines == [2, 8, 14, 15, 16, 18, 19, 20]


def test_include_text_copies_the_reply_and_the_customer(capsys, messy_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    code, _, _ = run(capsys, "batch", messy_csv, "--out", out, "--text", "body", "-j", "1", "--quiet",
                     "--include-text")
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 8
    assert SECRET in rows[0]["text"] and rows[0]["customer"] == "Dov'è il mio rimborso?"
    assert rows[0]["codes"].split() and all(code[:3].isalpha() for code in rows[0]["codes"].split())


def test_a_latin1_export_reads_with_its_encoding(capsys, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id,reply\n1,Buongiorno, è già partito il rimborso: lo vedrà entro venerdì.\n"
                     .replace("Buongiorno, è", '"Buongiorno, è').replace("venerdì.\n", 'venerdì."\n')
                     .encode("cp1252"))
    out = tmp_path / "r.jsonl"
    assert run(capsys, "batch", path, "--out", out, "-j", "1", "-q")[0] == 0
    assert read_jsonl(out)[0]["status"].startswith("error: line 2: not utf-8")
    assert run(capsys, "batch", path, "--out", out, "-j", "1", "-q", "--encoding", "cp1252")[0] == 0
    assert read_jsonl(out)[0]["status"] == "ok"


def test_jsonl_bad_lines_are_error_rows_and_nested_fields_are_read(capsys, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 10, "comment": {"html_body": f"<p>{EN_BAD}</p>", "author": "Cy"}}),
        "{not json",
        "[1, 2]",
        "",
        json.dumps({"id": 11, "comment": {"html_body": "<p>Hi Tom,</p><p>" + EN_GOOD + "</p>"}}),
        json.dumps({"id": 12, "comment": {"html_body": {"nested": "object"}}}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    code, _, err = run(capsys, "batch", path, "--out", out, "--text", "comment.html_body", "--agent",
                       "comment.author", "--html-body", "-j", "1", "-q")
    assert code == 0, err
    rows = read_jsonl(out)
    assert [r["status"] for r in rows] == [
        "ok", "error: line 2: bad JSON (Expecting property name enclosed in double quotes at column 2)",
        "error: line 3: a JSON list, expected an object", "ok",
        "error: the reply field 'comment.html_body' is not text"]
    assert rows[0]["agent"] == "Cy" and rows[0]["n_error"] >= 1


def test_a_json_array_is_refused_with_the_conversion_to_use(capsys, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"body": EN_GOOD}]), encoding="utf-8")
    code, _, err = run(capsys, "batch", path, "--out", tmp_path / "r.jsonl")
    assert code == 2 and "jq -c" in err and err.count("\n") == 1


@pytest.mark.parametrize("problem", ["no-reply-column", "bad-output", "output-is-input", "missing", "scheduler",
                                     "report-folder"])
def test_unusable_runs_stop_before_grading_with_one_line(capsys, tmp_path: Path, problem: str) -> None:
    export = tmp_path / "export.csv"
    export.write_text("id,Comment\n1,hello\n", encoding="utf-8")
    args = {
        "no-reply-column": [export, "--out", tmp_path / "r.jsonl"],
        "bad-output": [export, "--out", tmp_path / "r.xlsx", "--text", "Comment"],
        "output-is-input": [export, "--out", export, "--text", "Comment"],
        "missing": [tmp_path / "nope.csv", "--out", tmp_path / "r.jsonl"],
        "scheduler": [export, "--out", tmp_path / "r.jsonl", "--scheduler", "tcp://127.0.0.1:1"],
        "report-folder": [export, "--out", tmp_path / "r.jsonl", "--text", "Comment", "--html",
                          tmp_path / "no" / "report.html"],
    }[problem]
    code, _, err = run(capsys, "batch", *args)
    assert code == 2, err
    assert err.startswith("replylint: error: ") and err.count("\n") == 1
    assert not (tmp_path / "r.jsonl").exists() and export.read_text(encoding="utf-8").startswith("id,Comment")
    if problem == "no-reply-column":
        assert "'Comment'" in err and "--text" in err


@pytest.mark.parametrize("name", ["export.csv", "export.jsonl", "export.parquet"])
def test_check_points_an_export_to_batch(capsys, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("id,body\n1,Hello, we can't help.\n", encoding="utf-8")
    code, out, err = run(capsys, "check", path)
    assert code == 2 and out == ""
    assert "looks like a helpdesk export" in err and f"replylint batch {path}" in err


def test_parquet_in_and_out_round_trip(capsys, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")  # the test extra installs it; a bare install says what to add
    import pyarrow.parquet as pq

    table = pa.table({"id": ["a", "b", "c"], "reply": [IT_BAD, EN_GOOD, None],
                      "sent": ["2026-11-02", "2026-11-09", "2026-11-16"]})
    source = tmp_path / "export.parquet"
    pq.write_table(table, source)
    out = tmp_path / "results.parquet"
    code, _, err = run(capsys, "batch", source, "--out", out, "--date", "sent", "-j", "1", "-q")
    assert code == 0, err
    rows = pq.read_table(out).to_pylist()
    assert [(r["id"], r["status"]) for r in rows] == [("a", "ok"), ("b", "ok"), ("c", "empty")]
    assert rows[0]["line"] is None and isinstance(rows[0]["codes"], list) and "NEG120" in rows[0]["codes"]


def test_summary_per_agent_rule_and_week(capsys, messy_csv: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "batch", messy_csv, "--out", tmp_path / "r.jsonl", "--text", "body", "-j", "1",
                       "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert summary["rows"] == 8 and summary["graded"] == 3
    assert summary["statuses"] == {"ok": 3, "empty": 1, "unsupported-language": 1, "error": 3}
    agents = {a["agent"]: a for a in summary["agents"]}
    assert set(agents) == {"Ana", "Bo", "Cy"} and all(a["replies"] == 1 for a in agents.values())
    assert [w["week"] for w in summary["weeks"]] == ["2026-W45", "2026-W46", "2026-W47"]
    it_rules = {r["code"]: r for r in summary["rules"] if r["language"] == "it"}
    assert it_rules["NEG120"]["replies"] == 1 and it_rules["NEG120"]["share"] == 1.0
    assert summary["lowest"][0]["score"] == min(a["mean_score"] for a in agents.values())


def test_text_summary_names_agents_rules_and_weeks(capsys, messy_csv: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "batch", messy_csv, "--out", tmp_path / "r.jsonl", "--text", "body", "-j", "1")
    assert code == 0
    assert "8 rows: 3 graded, 1 empty, 3 error, 1 unsupported-language" in out
    assert "Per agent" in out and "Per rule" in out and "2026-W47" in out and "NEG120" in out


def _export(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "many.jsonl"
    replies = [IT_BAD, EN_GOOD, EN_BAD, "Ciao Marta, ti ho rimborsato 12,50 € oggi: li vedi entro 5 giorni."]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            handle.write(json.dumps({"id": i, "body": f"{replies[i % 4]} Ordine {1000 + i}.",
                                     "agent": "ABC"[i % 3], "date": f"2026-11-{1 + i % 28:02d}"}) + "\n")
    return path


def test_two_processes_and_dask_give_the_rows_of_one(capsys, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    export = _export(tmp_path, 150)
    outputs = {}
    for name, extra in {"one": ["-j", "1"], "two": ["-j", "2"], "dask": ["--engine", "dask", "-j", "2"]}.items():
        out = tmp_path / f"{name}.jsonl"
        code, summary, err = run(capsys, "batch", export, "--out", out, "-q", "--format", "json", *extra)
        assert code == 0, err
        outputs[name] = (out.read_bytes(), json.loads(summary))
    assert len(read_jsonl(tmp_path / "one.jsonl")) == 150
    assert outputs["two"] == outputs["one"]
    assert outputs["dask"] == outputs["one"]


def test_workers_read_only_a_window_ahead(tmp_path: Path) -> None:
    """Bounded memory whatever the file size: when the first result comes back, no more than the
    chunks in flight have been read."""
    export = _export(tmp_path, 2000)
    _, rows = open_export(export, max_bytes=10**6)
    maker = JobMaker(Columns(), source=export.name)
    read = 0

    def jobs():  # type: ignore[no-untyped-def]
        nonlocal read
        for number, row in enumerate(rows, start=1):
            read += 1
            yield maker.make(number, row)

    results = run_local(jobs(), Config(), workers=2)
    first, _ = next(results)
    assert first.row == 1
    assert read <= (2 * IN_FLIGHT_PER_WORKER + 1) * CHUNK < 2000
    results.close()


@pytest.mark.parametrize("preset", ["zendesk", "freshdesk", "helpscout", "gorgias"])
def test_presets_read_their_helpdesk_export(capsys, tmp_path: Path, preset: str) -> None:
    """Each preset's message-by-message export: agents' replies graded, customers' messages and
    internal notes skipped, and (with a ticket field) a customer's message given to the reply
    that follows it in the same ticket."""
    source = Path(__file__).parent / "data" / "batch" / f"{preset}.jsonl"
    out = tmp_path / "r.jsonl"
    code, _, err = run(capsys, "batch", source, "--preset", preset, "--out", out, "-j", "1", "-q",
                       "--include-text")
    assert code == 0, err
    rows = read_jsonl(out)
    raw = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == len(raw)
    statuses = [r["status"] for r in rows]
    assert statuses.count("ok") >= 4
    assert "skipped: internal note" in statuses
    if preset != "zendesk":  # a Zendesk comment does not say who wrote it
        assert "skipped: customer message" in statuses
    graded = [r for r in rows if r["status"] == "ok"]
    assert all(r["id"] and r["date"] and r["agent"] and r["language"] in ("it", "en") for r in graded)
    assert all("<p>" not in r["text"] for r in graded)  # HTML bodies arrive as text
    if preset in ("freshdesk", "gorgias"):  # their message objects carry the ticket id
        answered = [r for r in graded if r["customer"]]
        assert answered
        for reply in answered:
            before = [r for r in rows[: reply["row"] - 1] if r["status"] == "skipped: customer message"]
            assert before


def test_progress_bar_on_a_terminal_and_quiet_otherwise(tmp_path: Path) -> None:
    import subprocess
    import sys

    import pexpect

    export = _export(tmp_path, 120)
    terminal = pexpect.spawn(sys.executable, ["-m", "replylint", "batch", str(export), "--out",
                                              str(tmp_path / "t.jsonl"), "-j", "1"],
                             encoding="utf-8", timeout=300, dimensions=(40, 140))
    terminal.expect(pexpect.EOF)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", terminal.before)  # the summary's bold and colours
    assert "grading:" in shown and "rows, " in shown and "/s" in shown
    assert "120 rows: 120 graded" in shown
    quiet = pexpect.spawn(sys.executable, ["-m", "replylint", "batch", str(export), "--out",
                                           str(tmp_path / "q.jsonl"), "-j", "1", "--quiet"],
                          encoding="utf-8", timeout=300, dimensions=(40, 140))
    quiet.expect(pexpect.EOF)
    assert "grading:" not in quiet.before and "Per agent" not in quiet.before
    piped = subprocess.run([sys.executable, "-m", "replylint", "batch", str(export), "--out",
                            str(tmp_path / "p.jsonl"), "-j", "1"], capture_output=True, text=True, timeout=300)
    assert "grading:" not in piped.stderr and "120 rows: 120 graded" in piped.stdout
