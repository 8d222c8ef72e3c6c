"""Grammar through LanguageTool, against a local stand-in server.

The stand-in is `http.server` on 127.0.0.1 (a free port) in a thread: it answers
`GET /v2/languages` and `POST /v2/check` form posts in LanguageTool's documented
JSON shape (the envelope of replylint's own `/v2` endpoint,
`replylint.service.ltcompat`), finding a few real errors in the text it is sent
(a repeated word, a space before a comma, some misspellings) at UTF-16
offsets, as LanguageTool counts them. Its modes cover what a real server does
on a bad day: slow, 500, a body that is not JSON, JSON of the wrong shape,
offsets outside the text, a redirect, a body that trickles in; plus a port
nobody listens on and a host name that does not resolve.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("language_tool_python")

import replylint
from replylint import Config, ConfigError, Severity
from replylint.authoring.examples import ExampleCase, run_case
from replylint.cli import main
from replylint.core.rulespec import Examples
from replylint.engine import get_engine
from replylint.engine.deadline import time_limit
from replylint.engine.grammar import (
    NOTE_CODE,
    Unavailable,
    base_url,
    own_text,
    parse_matches,
)
from replylint.service.ltcompat import LANGUAGES, _Utf16, empty_response

TIMEOUT = 0.6
# replylint's own offline spelling rules, when the packs have them: they win over LanguageTool's
# misspellings on the same words, so the tests of the mapping itself leave them out.
SPELLING = sorted({r.code for r in get_engine().rules if getattr(r, "kind", "") == "spelling"})
BOUND = TIMEOUT + 0.6  # the check returns within the time limit and a small margin

REPLY_EN = (
    "> I never recieved the the parcel!\n"
    "\n"
    "Hi Martha,\n"
    "as I already told you, the parcel ships tomorow. We recieved your e-mail 📦 and we are sorry for the the delay.\n"
    "You wrote \"it never recieved\" , so I checked again.\n"
    "\n"
    "Best,\n"
    "Julia\n"
    "-- \n"
    "Julia Rossi, recieved calls 9-5"
)

_TYPOS = {
    "en": {"recieved": ["received", "relieved"], "tomorow": ["tomorrow"]},
    "it": {"ricevutto": ["ricevuto"], "ordne": ["ordine", "orde"]},
}
_MESSAGES = {
    "repeat": {"en": "Possible typo: you repeated a word.", "it": "Possibile errore di battitura: hai ripetuto una parola."},
    "comma": {"en": "Put a space after the comma, but not before it.", "it": "Lo spazio va dopo la virgola, non prima."},
    "typo": {"en": "Possible spelling mistake found.", "it": "Errore di ortografia."},
    "told": {"en": "This phrase can sound impatient.", "it": "Questa frase può suonare impaziente."},
}


def lt_match(text: str, start: int, end: int, rule_id: str, issue: str, category: str, message: str,
             replacements: list[str]) -> dict[str, Any]:
    """One match as LanguageTool's /v2/check writes it (offsets in UTF-16 code units)."""
    utf16 = _Utf16(text)
    return {
        "message": message, "shortMessage": "",
        "replacements": [{"value": r} for r in replacements],
        "offset": utf16(start), "length": utf16(end) - utf16(start),
        "context": {"text": text[max(0, start - 40): end + 40], "offset": min(start, 40), "length": end - start},
        "sentence": text, "type": {"typeName": "Other"},
        "rule": {"id": rule_id, "description": message, "issueType": issue,
                 "category": {"id": category, "name": category.title()}},
        "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
    }


def find_errors(text: str, language: str) -> list[dict[str, Any]]:
    """What the stand-in "finds": a few real errors, at their real offsets."""
    lang = "it" if language.startswith("it") else "en"
    upper = "ITALIAN" if lang == "it" else "ENGLISH"
    matches = []
    for m in re.finditer(r"\b(\w+) \1\b", text):
        matches.append(lt_match(text, m.start(), m.end(), f"{upper}_WORD_REPEAT_RULE", "duplication", "MISC",
                                _MESSAGES["repeat"][lang], [m.group(1)]))
    for m in re.finditer(r" ,", text):
        matches.append(lt_match(text, m.start(), m.end(), "COMMA_PARENTHESIS_WHITESPACE", "whitespace",
                                "TYPOGRAPHY", _MESSAGES["comma"][lang], [","]))
    for word, fixes in _TYPOS[lang].items():
        for m in re.finditer(rf"\b{word}\b", text):
            rule = "MORFOLOGIK_RULE_IT_IT" if lang == "it" else f"MORFOLOGIK_RULE_{language.replace('-', '_').upper()}"
            matches.append(lt_match(text, m.start(), m.end(), rule, "misspelling", "TYPOS", _MESSAGES["typo"][lang], fixes))
    for m in re.finditer(r"I already told", text):  # also flagged by replylint (NEG120): replylint wins
        matches.append(lt_match(text, m.start(), m.end(), "ALREADY_TOLD", "style", "STYLE", _MESSAGES["told"][lang], []))
    return sorted(matches, key=lambda m: m["offset"])


class StandIn:
    """A LanguageTool stand-in on 127.0.0.1; `mode` says how it answers, `requests` what it was sent."""

    def __init__(self) -> None:
        self.mode = "good"
        self.requests: list[dict[str, Any]] = []
        self.redirect_to: str | None = None
        self.languages: list[dict[str, str]] = LANGUAGES
        self.trickle_ended = threading.Event()  # the client hung up on a trickling answer
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                stand_in.requests.append({"method": "GET", "path": self.path})
                if self.path.startswith("/v2/languages"):
                    self._send(200, json.dumps(stand_in.languages).encode())
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"),
                                                                   keep_blank_values=True).items()}
                stand_in.requests.append({"method": "POST", "path": self.path, "form": form})
                if self.path != "/v2/check":
                    self._send(404, b"not found", "text/plain")
                    return
                mode = stand_in.mode
                text, language = form.get("text", ""), form.get("language", "auto")
                answer = empty_response(language)
                answer["matches"] = find_errors(text, language)
                if mode == "slow":
                    time.sleep(TIMEOUT * 3)
                if mode == "500":
                    self._send(500, b"java.lang.OutOfMemoryError", "text/plain")
                elif mode == "garbage":
                    self._send(200, b"<html><body>Bad Gateway</body></html>", "text/html")
                elif mode == "shape-list":
                    self._send(200, b"[1, 2, 3]")
                elif mode == "shape-matches":
                    self._send(200, json.dumps({**answer, "matches": {"offset": 3}}).encode())
                elif mode == "shape-match":
                    self._send(200, json.dumps({**answer, "matches": [{"offset": "3", "length": 2, "rule": {}}]}).encode())
                elif mode == "offsets":
                    wild = lt_match(text, 0, 1, "X", "grammar", "GRAMMAR", "x", [])
                    wild["offset"] = len(text) * 2 + 50
                    self._send(200, json.dumps({**answer, "matches": [*answer["matches"], wild]}).encode())
                elif mode == "redirect":
                    self._send(307, b"", "text/plain", {"Location": stand_in.redirect_to or "http://127.0.0.1:9/"})
                elif mode == "trickle":  # headers at once, then the body a byte at a time
                    body = json.dumps(answer).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(TIMEOUT / 4)
                    except OSError:
                        stand_in.trickle_ended.set()
                else:
                    self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up on a slow answer: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def checks(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == "POST"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lt() -> Iterator[StandIn]:
    stand_in = StandIn()
    yield stand_in
    stand_in.close()


def grammar_config(url: str, **extra: Any) -> dict[str, Any]:
    return {"languagetool": {"url": url, "timeout_seconds": TIMEOUT, **extra.pop("languagetool", {})}, **extra}


def grm(report: replylint.Report) -> list[replylint.Finding]:
    return [f for f in report.findings if f.code.startswith("GRM")]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- what is sent, and when ---------------------------------------------------------------------


def test_nothing_is_sent_and_nothing_imported_without_a_url(lt: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    from replylint.engine import checker

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the grammar stage started without a url")

    monkeypatch.setattr(checker, "GrammarCheck", never)
    monkeypatch.setitem(sys.modules, "language_tool_python", None)  # any import of it would fail
    report = replylint.check(REPLY_EN, lang="en")
    assert not grm(report) and not report.notes
    assert lt.requests == []


def test_ignored_or_accepted_grammar_sends_nothing(lt: StandIn) -> None:
    for config, accept in ((grammar_config(lt.url, ignore=["GRM"]), None),
                           (grammar_config(lt.url, select=["NEG"]), None),
                           (grammar_config(lt.url), ["GRM"])):
        report = replylint.check(REPLY_EN, lang="en", config=config, accept=accept)
        assert not grm(report) and not report.notes
    assert lt.requests == []


def test_only_the_agents_own_words_are_sent(lt: StandIn) -> None:
    replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url, languagetool={"disabled_rules": ["EN_QUOTES"]}))
    [sent] = lt.checks
    form = sent["form"]
    assert form["language"] == "en-US" and form["disabledRules"] == "EN_QUOTES"
    text = form["text"]
    assert "I never recieved" not in text  # the quoted line
    assert "Julia Rossi" not in text and "9-5" not in text  # the signature
    assert "it never recieved" not in text and 'You wrote "…" , so' in text  # an inline quotation: its marks stay
    assert text.startswith("\n\nHi Martha,\nas I already told you")  # line breaks kept


def test_language_variant_and_italian(lt: StandIn) -> None:
    replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url, languagetool={"english": "en-GB"}))
    report = replylint.check("Ciao Marta,\nabbiamo ricevutto il tuo ordne ieri.\n\nUn saluto,\nGiulia", lang="it",
                             config=grammar_config(lt.url, ignore=SPELLING))
    assert [c["form"]["language"] for c in lt.checks] == ["en-GB", "it-IT"]
    found = {f.excerpt: f for f in grm(report)}
    assert found["ricevutto"].message == "Errore di ortografia. (LanguageTool MORFOLOGIK_RULE_IT_IT)"
    assert found["ricevutto"].suggestions[0].replacement == "ricevuto"
    assert found["ordne"].suggestions[0].replacement is None
    assert "«ordine», «orde»" in found["ordne"].suggestions[0].advice


# -- matches → findings -------------------------------------------------------------------------


def test_matches_map_onto_the_reply_offsets(lt: StandIn) -> None:
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url, ignore=SPELLING))
    assert not report.notes
    found = grm(report)
    for finding in found:
        assert REPLY_EN[finding.span.start:finding.span.end] == finding.excerpt
        assert finding.category.value == "quality"
    by_excerpt = {f.excerpt: f for f in found}
    # after the quoted line, an emoji (two UTF-16 units) and across lines: still exactly on the words
    assert set(by_excerpt) == {"tomorow", "recieved", "the the", " ,"}
    recieved = by_excerpt["recieved"]
    assert recieved.span.start == REPLY_EN.index("We recieved") + 3  # not the quoted one, not the signature's
    assert (recieved.line, recieved.column) == (4, REPLY_EN.split("\n")[3].index("recieved") + 1)
    the_the = by_excerpt["the the"]
    assert the_the.span.start == REPLY_EN.rindex("the the")  # the one after the emoji, not in the quote
    assert the_the.code == "GRM101" and the_the.severity is Severity.warning
    assert the_the.message == "Possible typo: you repeated a word. (LanguageTool ENGLISH_WORD_REPEAT_RULE)"
    assert the_the.suggestions[0].replacement == "the"
    assert by_excerpt["tomorow"].suggestions[0].replacement == "tomorrow"
    assert by_excerpt["recieved"].suggestions[0].replacement is None  # two candidates: advice only
    assert '"received", "relieved"' in by_excerpt["recieved"].suggestions[0].advice
    comma = by_excerpt[" ,"]
    assert comma.code == "GRM102" and comma.severity is Severity.info and comma.name == "grammar-style"
    assert "COMMA_PARENTHESIS_WHITESPACE" in comma.message


def test_replylint_wins_where_both_cover_the_words(lt: StandIn) -> None:
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))
    neg = next(f for f in report.findings if f.code == "NEG120")
    assert neg.excerpt == "as I already told"
    assert not [f for f in grm(report) if f.span.start < neg.span.end and neg.span.start < f.span.end]
    assert "ALREADY_TOLD" not in " ".join(f.message for f in report.findings)
    # A finding that only places a remark on a whole sentence (LATTE, structure) hides nothing in it.
    anchors = [f for f in report.findings if f.code.startswith(("LAT", "STR"))]
    assert anchors and any(a.span.start <= f.span.start < a.span.end for a in anchors for f in grm(report))


@pytest.mark.skipif(not SPELLING, reason="no offline spelling rules in the packs")
def test_replylints_own_spelling_wins_over_languagetools(lt: StandIn) -> None:
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))
    flagged = {f.excerpt: f.code for f in report.findings if f.excerpt == "tomorow"}
    assert flagged == {"tomorow": SPELLING[0]}  # one finding on the word: replylint's


def test_without_replylints_finding_the_match_stays(lt: StandIn) -> None:
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url, ignore=["NEG120"]))
    assert any("ALREADY_TOLD" in f.message and f.code == "GRM102" for f in grm(report))


def test_severity_and_selection_follow_the_config(lt: StandIn) -> None:
    report = replylint.check(REPLY_EN, lang="en",
                             config=grammar_config(lt.url, select=["GRM102"], severity={"GRM102": "warning"}))
    assert {f.code for f in report.findings} == {"GRM102"}
    assert all(f.severity is Severity.warning for f in report.findings)


def test_astral_characters_before_and_inside_a_match(lt: StandIn) -> None:
    text = "Hi 🙂 Martha 🎉,\nwe are sorry for the the 📦 delay and we recieved it."
    report = replylint.check(text, lang="en", config=grammar_config(lt.url, select=["GRM"]))
    assert sorted(f.excerpt for f in report.findings) == ["recieved", "the the"]


def test_own_text_maps_back_and_refuses_gaps() -> None:
    text = 'Hi,\n> quoted\nYou wrote «non va» e  basta.'
    quoted = [(4, 12), (text.index("«"), text.index("»") + 1)]
    own = own_text(text, quoted)
    assert own.text == "Hi,\n\nYou wrote «…» e  basta."
    start = own.text.index("basta")
    assert own.to_original(start, start + 5) == (text.index("basta"), text.index("basta") + 5)
    dots = own.text.index("…")
    assert own.to_original(dots, dots + 1) is None  # the placeholder is nobody's words
    assert own.to_original(own.text.index("«"), own.text.index("»") + 1) is None
    assert own.to_original(2, 6) is None  # across the left-out line
    assert base_url("http://h:8081") == base_url("http://h:8081/v2/") == "http://h:8081/"
    assert base_url("http://h/lt") == "http://h/lt/"


def test_utf16_offsets_around_and_inside_astral_characters() -> None:
    sent = "a 📦 b 🎉c d"
    inside = lt_match(sent, sent.index("📦"), sent.index("b") + 1, "R", "grammar", "GRAMMAR", "m", [])
    after = lt_match(sent, sent.index("c"), sent.index("c") + 1, "R", "grammar", "GRAMMAR", "m", [])
    found = parse_matches({"matches": [inside, after]}, sent)
    assert [sent[m.start:m.end] for m in found] == ["📦 b", "c"]
    split_pair = dict(inside, offset=inside["offset"] + 1)  # inside the emoji's surrogate pair
    with pytest.raises(Unavailable, match="offsets"):
        parse_matches({"matches": [split_pair]}, sent)
    with pytest.raises(Unavailable, match="offsets"):
        parse_matches({"matches": [dict(after, length=-1)]}, sent)


def test_grammar_rules_bad_examples_fire_against_the_stand_in(lt: StandIn) -> None:
    engine = get_engine()
    rules = [r for r in engine.rules if r.kind == "languagetool"]  # type: ignore[attr-defined]
    assert {(r.code, r.lang) for r in rules} == {("GRM101", "en"), ("GRM101", "it"), ("GRM102", "en"), ("GRM102", "it")}
    for rule in rules:
        for number, item in enumerate(rule.examples.bad, start=1):
            example = Examples.as_example(item)
            report = replylint.check(example.reply, lang=rule.lang,
                                     config=grammar_config(lt.url, select=[rule.code]))
            assert any(f.code == rule.code for f in report.findings), (rule.code, rule.lang, number)
        for number, item in enumerate(rule.examples.good, start=1):
            case = ExampleCase(rule, "good", number, Examples.as_example(item))
            assert run_case(case).passed
            report = replylint.check(case.example.reply, lang=rule.lang, config=grammar_config(lt.url, select=[rule.code]))
            assert not report.findings, (rule.code, rule.lang, number)


def test_explain_and_rules_know_the_grammar_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "GRM101"]) == 0
    out = capsys.readouterr().out
    assert "GRM101" in out and "LanguageTool" in out
    assert main(["rules", "--format", "json"]) == 0
    codes = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert codes["GRM102"]["category"] == "quality" and codes["GRM102"]["severity"] == "info"


# -- when the server fails ----------------------------------------------------------------------


FAILURES = ["slow", "500", "garbage", "shape-list", "shape-matches", "shape-match", "offsets", "redirect", "trickle"]


def _assert_degrades(report: replylint.Report, elapsed: float) -> None:
    assert elapsed < BOUND, f"took {elapsed:.2f} s"
    assert not grm(report)
    assert [n.code for n in report.notes] == [NOTE_CODE]
    message = report.notes[0].message
    assert "recieved" not in message and "Martha" not in message and "tomorow" not in message
    assert report.score is not None and any(f.code == "NEG120" for f in report.findings)  # the rest ran


@pytest.mark.parametrize("mode", FAILURES)
def test_a_bad_answer_gives_one_note_in_bounded_time(lt: StandIn, mode: str) -> None:
    replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))  # languages asked once, before
    lt.mode = mode
    other = StandIn()  # where the redirect points: must receive nothing
    lt.redirect_to = other.url + "/v2/check"
    try:
        started = time.monotonic()
        report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))
        _assert_degrades(report, time.monotonic() - started)
        assert other.requests == []
        if mode == "trickle":  # the abandoned request does not read on: its socket is shut at the deadline
            assert lt.trickle_ended.wait(2.0)
    finally:
        other.close()
    reason = {"slow": "did not answer within 0.6 s", "500": "HTTP status 500", "garbage": "not answer in JSON",
              "offsets": "positions outside", "redirect": "HTTP status 307", "trickle": "did not answer within"}
    assert reason.get(mode, "shape that is not LanguageTool's") in report.notes[0].message


def test_a_closed_port_and_an_unknown_host(lt: StandIn) -> None:
    for url in (f"http://127.0.0.1:{closed_port()}", "http://languagetool.invalid:8081"):
        started = time.monotonic()
        report = replylint.check(REPLY_EN, lang="en", config=grammar_config(url))
        _assert_degrades(report, time.monotonic() - started)
    assert "could not be reached" in report.notes[0].message or "did not answer" in report.notes[0].message
    assert "languagetool.invalid:8081" in report.notes[0].message


def test_the_note_speaks_the_message_language(lt: StandIn) -> None:
    url = f"http://user:secret@127.0.0.1:{closed_port()}/lt"
    report = replylint.check("Ciao Marta,\nil pacco parte oggi.\n\nUn saluto,\nGiulia", lang="it", config=grammar_config(url))
    assert report.notes[0].message.startswith("Grammatica non controllata: il server LanguageTool su 127.0.0.1:")
    assert "secret" not in report.notes[0].message and "/lt" not in report.notes[0].message


def test_a_callers_shorter_time_limit_bounds_the_wait(lt: StandIn) -> None:
    replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))  # languages asked once, before
    lt.mode = "slow"
    started = time.monotonic()
    with time_limit(TIMEOUT):
        report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url, languagetool={"timeout_seconds": 20}))
    assert time.monotonic() - started < BOUND
    assert [n.code for n in report.notes] == [NOTE_CODE]


def test_the_server_recovers_after_a_bad_answer(lt: StandIn) -> None:
    lt.mode = "500"
    assert replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url)).notes
    lt.mode = "good"
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))
    assert not report.notes and grm(report)


def test_languages_the_server_does_not_list(lt: StandIn) -> None:
    lt.languages = [{"name": "German", "code": "de", "longCode": "de-DE"}]
    report = replylint.check(REPLY_EN, lang="en", config=grammar_config(lt.url))
    assert [n.code for n in report.notes] == [NOTE_CODE] and "does not check en-US" in report.notes[0].message
    assert lt.checks == []


# -- configuration, command line, server --------------------------------------------------------


def test_config_file_section(tmp_path: Path, lt: StandIn) -> None:
    path = tmp_path / "replylint.toml"
    path.write_text(f'[languagetool]\nurl = "{lt.url}"\ntimeout_seconds = 2\ndisabled_rules = ["X"]\n')
    config = replylint.load_config(path)
    assert config.languagetool.url == lt.url and config.languagetool.timeout_seconds == 2
    path.write_text('[languagetool]\nurl = "localhost:8081"\n')
    with pytest.raises(ConfigError, match=r"replylint.toml: key 'languagetool.url'.*http://"):
        replylint.load_config(path)
    path.write_text('[languagetool]\ntimeout = 2\n')
    with pytest.raises(ConfigError, match="unknown key 'languagetool.timeout'"):
        replylint.load_config(path)
    assert Config().languagetool.url is None


def test_a_url_without_the_grammar_extra_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "language_tool_python", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"pip install language-tool-python") as caught:
        replylint.check("Hi Martha, the parcel ships today.", config={"languagetool": {"url": "http://localhost:8081"}})
    assert "\n" not in str(caught.value)
    replylint.check("Hi Martha, the parcel ships today.")  # no url: no need for it


def test_cli_languagetool_option(lt: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY_EN, encoding="utf-8")
    code = main(["check", "--exit-zero", "--lang", "en", "--languagetool", lt.url, "--format", "json", str(reply)])
    out = capsys.readouterr().out
    assert code == 0 and len(lt.checks) == 1
    findings = json.loads(out)["findings"]
    assert {"GRM101", "GRM102"} <= {f["code"] for f in findings}

    code = main(["check", "--exit-zero", "--lang", "en", str(reply)])
    assert "GRM101" not in capsys.readouterr().out and len(lt.checks) == 1  # off again without the option

    monkeypatch.setenv("REPLYLINT_LANGUAGETOOL_URL", lt.url)
    code = main(["check", "--lang", "en", "--fail-on", "warning", "--select", "GRM", str(reply)])
    out = capsys.readouterr().out
    assert code == 1 and "GRM101 [warning]" in out and "replace with: 'tomorrow'" in out and len(lt.checks) == 2
    monkeypatch.delenv("REPLYLINT_LANGUAGETOOL_URL")

    lt.mode = "500"
    code = main(["check", "--exit-zero", "--lang", "en", "--languagetool", lt.url, str(reply)])
    out = capsys.readouterr().out
    assert code == 0 and "note: Grammar not checked" in out

    code = main(["check", "--languagetool", "ftp://example.org", str(reply)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "languagetool.url" in err


def test_the_pre_send_hook_uses_the_configured_server(lt: StandIn) -> None:
    pytest.importorskip("fastapi")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from replylint.service.server import create_app

    config = Config.model_validate(grammar_config(lt.url))
    with TestClient(create_app(config)) as client:
        answer = client.post("/v1/check", json={"reply": REPLY_EN, "lang": "en"}).json()
        assert {"GRM101", "GRM102"} <= {f["code"] for f in answer["findings"]}
        assert len(lt.checks) == 1
        # replylint's own LanguageTool endpoint does not ask the server in turn
        lt_answer = client.post("/v2/check", data={"text": REPLY_EN, "language": "en-US"}).json()
        assert not [m for m in lt_answer["matches"] if m["rule"]["id"].startswith("GRM")]
        assert len(lt.checks) == 1
        lt.mode = "slow"
        started = time.monotonic()
        response = client.post("/v1/check", json={"reply": REPLY_EN, "lang": "en"})
        assert response.status_code == 200 and time.monotonic() - started < BOUND
        assert [n["code"] for n in response.json()["notes"]] == [NOTE_CODE]
