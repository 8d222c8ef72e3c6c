"""Grammar through a LanguageTool server: only when one is configured, never longer than its time limit.

With `[languagetool] url` (or `--languagetool URL`) set, a check sends the
agent's own words to that server's `/v2/check` and turns its matches into
findings of the `languagetool` rules (GRM101 errors, GRM102 style; which
match goes where is the `check` of their pack entries). Without a URL nothing
here runs and `language_tool_python` is not even imported.

What is sent: the reply with quoted history, the signature, `>` lines and
accept markers left out (their line breaks kept), and an inline quotation
(«…», “…”, "…") reduced to its quote marks around "…", so the sentence around
it still reads as one. `OwnText.positions` maps every character sent back to
the caller's text; a match is kept only where it maps onto one unbroken stretch
of the original (not across something left out, not on a placeholder).
LanguageTool counts offsets in UTF-16 code units: they are converted.

The client is language-tool-python's `LanguageTool(remote_server=…)`: it
builds the request (language, `disabledRules`) and checks on its first call
that the server lists the language (`GET /v2/languages`, cached per server).
With `remote_server` it never downloads LanguageTool or Java (that is only
its local-server path). Its transport (`_query_server`, `requests`) is
replaced, because as shipped it waits up to 300 s per socket operation,
retries once, follows redirects (a 307 would post the text to wherever the
server points) and takes proxies and credentials from the environment. Here
each request is one try with the standard library's HTTP client, to the
configured server only: no redirects, nothing from the environment, socket
timeouts cut to what is left of the time limit, the socket shut when it
runs out (a body that trickles in byte by byte ends there too), and an
answer over 2 MiB refused.

The time limit holds whatever the network does: the request runs in a daemon
thread started before the rules run (so the two overlap), and the check
waits for it at most `timeout_seconds` (or what is left of the caller's own
`time_limit`, if shorter). A server that is down, slow, or answers with a
5xx, not JSON, the wrong shape or offsets outside the text gives one
`languagetool-unavailable` note and no grammar findings. An abandoned
request ends by itself at the time limit (a name lookup may take longer). Nothing here logs,
and no note carries reply text.
"""

from __future__ import annotations

import bisect
import functools
import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import GRAMMAR_EXTRA_MISSING, LanguageToolConfig
from ..core.rulespec import RuleBase
from ..errors import ConfigError
from ..kinds.base import Hit
from ..models import Finding, Note, Severity, Span, Suggestion
from ..text.prepare import merge_ranges
from .deadline import remaining
from .findings import LineIndex, make_finding

GRAMMAR_KIND = "languagetool"
NOTE_CODE = "languagetool-unavailable"
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_MESSAGE_CHARS = 300
MAX_CHOICES = 5
# Findings of these kinds point at a sentence or the whole reply to place a remark about it (a
# missing LATTE step, a long sentence, the learned detectors' "reads like"), not at wrong words:
# they do not hide a LanguageTool match inside that sentence. Every other finding does.
ANCHOR_KINDS = frozenset({"latte", "structure", "readability", "learned", "context"})

# LanguageTool's `rule.issueType` (the Localization Quality Issue Types) that mean "this is wrong";
# the rest (style, register, whitespace, locale-violation, …) are suggestions.
_ERROR_ISSUES = frozenset({
    "misspelling", "grammar", "typographical", "duplication", "inconsistency", "mistranslation",
    "omission", "untranslated", "characters", "nonconformance",
})
# For a rule LanguageTool leaves "uncategorized" (or an issue type it may add later), its category.
_ERROR_CATEGORIES = frozenset({"TYPOS", "GRAMMAR", "CONFUSED_WORDS", "CASING", "COMPOUNDING"})
_OPENING_QUOTES = "«“\""


# -- what is sent -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnText:
    """The text sent to LanguageTool and, for each of its characters, its offset in the caller's
    text (-1 for a placeholder that stands for a left-out quotation)."""

    text: str
    positions: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """The caller's span of `text[start:end]`, or None when it is not one unbroken stretch of it."""
        if not 0 <= start < end <= len(self.text):
            return None
        first, last = self.positions[start], self.positions[end - 1]
        if first < 0 or last < 0 or last - first != end - 1 - start:
            return None
        return first, last + 1


def own_text(text: str, left_out: Sequence[tuple[int, int]]) -> OwnText:
    """`text` without the `left_out` ranges: a range spanning lines keeps only its line breaks, a
    one-line quotation becomes its quote marks around "…", anything else on one line goes."""
    chars: list[str] = []
    positions: list[int] = []

    def keep(start: int, end: int) -> None:
        chars.extend(text[start:end])
        positions.extend(range(start, end))

    cursor = 0
    for start, end in merge_ranges(list(left_out)):
        keep(cursor, start)
        piece = text[start:end]
        if "\n" in piece:
            for i in range(start, end):
                if text[i] == "\n":
                    chars.append("\n")
                    positions.append(i)
        elif len(piece) >= 2 and piece[0] in _OPENING_QUOTES:
            chars.extend((piece[0], "…", piece[-1]))
            positions.extend((start, -1, end - 1))
        cursor = max(cursor, end)
    keep(cursor, len(text))
    while chars and chars[-1].isspace():
        chars.pop()
        positions.pop()
    return OwnText("".join(chars), tuple(positions))


class _Utf16:
    """LanguageTool's UTF-16 code-unit offsets → code points of one string (None inside a pair or out of range)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._units = len(text) + len(self._astral)

    def to_code_point(self, unit: int) -> int | None:
        if not 0 <= unit <= self._units:
            return None
        if not self._astral:
            return unit
        # The code point i sits at unit i + (astral characters before i); find the i for `unit`.
        lo, hi = 0, unit
        while lo < hi:
            mid = (lo + hi) // 2
            if mid + bisect.bisect_left(self._astral, mid) < unit:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo + bisect.bisect_left(self._astral, lo) == unit else None


# -- talking to the server ----------------------------------------------------------------------


class Unavailable(Exception):
    """The server gave nothing usable; `reason` keys `_REASONS`, `detail` fills it in. Never reply text."""

    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def base_url(url: str) -> str:
    """The server's root as `remote_server=` wants it: a trailing slash (so that a path prefix
    survives `urljoin(…, "v2/")`) and no `/v2` of its own."""
    return url.strip().rstrip("/").removesuffix("/v2") + "/"


def where(url: str) -> str:
    """host[:port] of a server URL: what a note may show (no credentials, no path)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


_call = threading.local()  # the deadline of the request this thread makes


@functools.cache
def _client_class() -> type:
    """language-tool-python's client with replylint's transport (see the module docstring)."""
    try:
        import language_tool_python
    except ImportError:
        raise ConfigError(GRAMMAR_EXTRA_MISSING) from None

    class Client(language_tool_python.LanguageTool):  # type: ignore[misc]
        def _query_server(self, url: str, params: dict[str, str] | None = None, *args: Any, **kwargs: Any) -> Any:
            return _fetch(url, params, post=url.endswith("/check"))

        def check_raw(self, text: str) -> Any:
            """The server's answer to `/v2/check` for `text`, as parsed JSON, unvalidated."""
            return self._query_server(urllib.parse.urljoin(self._url, "check"), self._create_params(text))

    return Client


def _cut(connection: http.client.HTTPConnection) -> None:
    """The deadline passed: shut the socket, so that a read blocked on a trickling server returns now."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fetch(url: str, params: dict[str, str] | None, *, post: bool) -> Any:
    """One request to `url` within this thread's deadline: parsed JSON, or `Unavailable`.

    The standard library's HTTP client, so that nothing is taken from the environment (proxies,
    credentials) and no redirect is followed; each socket operation waits at most what is left,
    and a timer shuts the socket at the deadline, which also ends a body that trickles in. Only
    the name lookup cannot be cut short: the waiting check has given up by then anyway.
    """
    deadline: float = _call.deadline
    left = deadline - time.monotonic()
    if left <= 0:
        raise Unavailable("timeout")
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.urlencode(params or {})
    target = (parts.path or "/") + ("" if post or not query else f"?{query}")
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=left)
    watchdog = threading.Timer(left, _cut, (connection,))
    watchdog.daemon = True
    watchdog.start()
    body = bytearray()
    try:
        headers = {"Accept": "application/json"}
        if post:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        connection.request("POST" if post else "GET", target, body=query.encode("utf-8") if post else None,
                           headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            raise Unavailable("http", status=response.status)
        while chunk := response.read1(64 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise Unavailable("too-large")
            if time.monotonic() > deadline:
                raise Unavailable("timeout")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if time.monotonic() >= deadline or isinstance(exc, TimeoutError):
            raise Unavailable("timeout") from None
        raise Unavailable("connect" if isinstance(exc, OSError) else "protocol") from None
    finally:
        watchdog.cancel()
        connection.close()
    try:
        return json.loads(bytes(body))
    except (ValueError, RecursionError):
        raise Unavailable("not-json") from None


_clients: dict[tuple[str, str, tuple[str, ...]], Any] = {}


def _client(url: str, tag: str, disabled: tuple[str, ...]) -> Any:
    """One client per server, language and disabled rules: its first use asks the server's languages."""
    key = (url, tag, disabled)
    client = _clients.get(key)
    if client is None:
        try:
            client = _client_class()(tag, remote_server=url)
        except Unavailable:
            raise
        except ValueError:  # language_tool_python.LanguageTag: the server does not list the language
            raise Unavailable("language", tag=tag) from None
        except Exception:  # a /v2/languages answer of the wrong shape
            raise Unavailable("shape") from None
        if disabled:
            client.disabled_rules = set(disabled)
        _clients[key] = client
    return client


class _Pending:
    """A call running in a daemon thread; `wait` gives up after its time."""

    def __init__(self, fn: Callable[[], Any], deadline: float) -> None:
        self._done = threading.Event()
        self._result: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            _call.deadline = deadline
            try:
                self._result = fn()
            except BaseException as exc:  # handed to the waiting thread
                self._error = exc
            finally:
                self._done.set()

        threading.Thread(target=run, name="replylint-languagetool", daemon=True).start()

    def wait(self, seconds: float) -> Any:
        if not self._done.wait(max(0.0, seconds)):
            raise Unavailable("timeout")
        if self._error is not None:
            raise self._error
        return self._result


# -- matches → findings -------------------------------------------------------------------------


@dataclass(frozen=True)
class LTMatch:
    start: int  # code points into OwnText.text
    end: int
    rule_id: str
    issue_type: str
    category: str
    message: str
    replacements: tuple[str, ...]

    @property
    def check(self) -> str:
        """Which `languagetool` rule takes it: "grammar" (an error) or "style" (a suggestion)."""
        if self.issue_type in _ERROR_ISSUES:
            return "grammar"
        if self.issue_type in ("", "uncategorized", "other") and self.category in _ERROR_CATEGORIES:
            return "grammar"
        return "style"


def parse_matches(payload: Any, sent: str) -> list[LTMatch]:
    """LanguageTool's `/v2/check` answer for `sent`, validated; `Unavailable` for anything else."""
    if not isinstance(payload, dict) or not isinstance(payload.get("matches"), list):
        raise Unavailable("shape")
    utf16 = _Utf16(sent)
    found = []
    for item in payload["matches"]:
        if not isinstance(item, dict):
            raise Unavailable("shape")
        offset, length, rule = item.get("offset"), item.get("length"), item.get("rule")
        if type(offset) is not int or type(length) is not int or not isinstance(rule, dict):
            raise Unavailable("shape")
        rule_id = rule.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise Unavailable("shape")
        start = utf16.to_code_point(offset)
        end = utf16.to_code_point(offset + length) if length >= 0 else None
        if start is None or end is None:
            raise Unavailable("offsets")
        category = rule.get("category")
        category_id = category.get("id") if isinstance(category, dict) else None
        issue = rule.get("issueType")
        message = item.get("message")
        replacements = item.get("replacements")
        found.append(LTMatch(
            start=start, end=end, rule_id=rule_id.strip()[:100],
            issue_type=issue.strip().lower() if isinstance(issue, str) else "",
            category=category_id.strip().upper() if isinstance(category_id, str) else "",
            message=" ".join(message.split())[:MAX_MESSAGE_CHARS] if isinstance(message, str) else "",
            replacements=tuple(
                r["value"] for r in (replacements if isinstance(replacements, list) else [])
                if isinstance(r, dict) and isinstance(r.get("value"), str)
            ),
        ))
    return found


_FALLBACK = {
    "it": "Possibile errore segnalato da LanguageTool.",
    "en": "Possible error reported by LanguageTool.",
}
_REPLACE_WITH = {"it": "Sostituisci con «{value}».", "en": 'Replace with "{value}".'}
_CHOICES = {"it": "LanguageTool propone: {values}.", "en": "LanguageTool proposes: {values}."}
_QUOTE = {"it": "«{}»", "en": '"{}"'}


def _suggestions(match: LTMatch, excerpt: str, lang: str) -> tuple[Suggestion, ...] | None:
    """The single replacement LanguageTool gives as a replacement; several as advice listing them."""
    values = list(dict.fromkeys(v for v in match.replacements if v != excerpt))
    if not values:
        return None  # the rule's own advice
    if len(values) == 1 and len(match.replacements) == 1:
        return (Suggestion(advice=_REPLACE_WITH[lang].format(value=values[0]), replacement=values[0]),)
    listed = ", ".join(_QUOTE[lang].format(v) for v in values[:MAX_CHOICES])
    return (Suggestion(advice=_CHOICES[lang].format(values=listed)),)


def to_findings(
    matches: list[LTMatch], sent: OwnText, rules: dict[str, RuleBase], active: dict[str, Severity],
    taken: list[Span], text: str, lines: LineIndex, message_lang: str,
) -> list[Finding]:
    """Findings for the matches that map onto the caller's text, of an active rule, and that no
    replylint finding already covers (`taken`: their spans)."""
    findings = []
    seen: set[tuple[int, int, str]] = set()
    for match in matches:
        rule = rules.get(match.check)
        if rule is None or rule.code not in active:
            continue
        span = sent.to_original(match.start, match.end)
        if span is None:
            continue  # across something left out, or on a quotation's placeholder
        start, end = span
        if any(start < max(t.end, t.start + 1) and t.start < end for t in taken):
            continue  # replylint's own finding on these words wins
        if (start, end, match.rule_id) in seen:
            continue
        seen.add((start, end, match.rule_id))
        hit = Hit(
            start, end,
            suggestions=_suggestions(match, text[start:end], message_lang),
            values={"message": match.message or _FALLBACK[message_lang], "rule": match.rule_id},
        )
        findings.append(make_finding(rule, hit, active[rule.code], text, lines, message_lang))
    return findings


# -- the stage the engine runs ------------------------------------------------------------------


_REASONS = {
    "timeout": ("did not answer within {seconds:g} s", "non ha risposto entro {seconds:g} s"),
    "connect": ("could not be reached", "non è raggiungibile"),
    "http": ("answered with HTTP status {status}", "ha risposto con lo stato HTTP {status}"),
    "not-json": ("did not answer in JSON", "non ha risposto in JSON"),
    "shape": ("answered in a shape that is not LanguageTool's", "ha risposto in un formato diverso da quello di LanguageTool"),
    "offsets": ("answered with positions outside the text it was sent",
                "ha risposto con posizioni fuori dal testo che ha ricevuto"),
    "language": ("does not check {tag}", "non controlla {tag}"),
    "too-large": ("sent an answer over 2 MiB", "ha mandato una risposta oltre i 2 MiB"),
    "protocol": ("did not answer in HTTP", "non ha risposto in HTTP"),
    "error": ("failed ({name})", "ha dato un errore ({name})"),
}
_NOTE = {
    "en": "Grammar not checked: the LanguageTool server at {where} {reason}. The other checks ran as usual.",
    "it": "Grammatica non controllata: il server LanguageTool su {where} {reason}. Gli altri controlli sono stati eseguiti normalmente.",
}


def unavailable_note(problem: Unavailable, url: str, seconds: float, lang: str) -> Note:
    en, it = _REASONS.get(problem.reason, _REASONS["error"])
    values = {"seconds": seconds, "status": "?", "tag": "?", "name": problem.reason, **problem.detail}
    reason = (it if lang == "it" else en).format(**values)
    return Note(code=NOTE_CODE, message=_NOTE["it" if lang == "it" else "en"].format(where=where(url), reason=reason))


def language_tag(lang: str, settings: LanguageToolConfig) -> str:
    return "it-IT" if lang == "it" else settings.english


class GrammarCheck:
    """One reply's grammar request: started before the rules run, collected after them."""

    def __init__(self, settings: LanguageToolConfig, lang: str, text: str, left_out: Sequence[tuple[int, int]]) -> None:
        assert settings.url is not None
        self.url = settings.url
        self.sent = own_text(text, left_out)
        limit = remaining()
        self.seconds = settings.timeout_seconds if limit is None else min(settings.timeout_seconds, limit)
        self.deadline = time.monotonic() + self.seconds
        _client_class()  # here, not in the thread: a missing extra is the caller's ConfigError
        url, tag, disabled = base_url(self.url), language_tag(lang, settings), tuple(sorted(settings.disabled_rules))
        sent = self.sent.text
        self._pending = _Pending(lambda: _client(url, tag, disabled).check_raw(sent), self.deadline)

    def collect(
        self, rules: dict[str, RuleBase], active: dict[str, Severity], findings: list[Finding],
        anchors: Callable[[str], bool], text: str, lines: LineIndex, message_lang: str,
    ) -> tuple[list[Finding], list[Note]]:
        """(grammar findings, notes): the findings when the server answered in time, else one note.
        `anchors(code)` says which replylint findings only place a remark and do not cover words."""
        try:
            payload = self._pending.wait(self.deadline - time.monotonic())
            matches = parse_matches(payload, self.sent.text)
        except Unavailable as problem:
            return [], [unavailable_note(problem, self.url, self.seconds, message_lang)]
        except ConfigError:
            raise
        except Exception as exc:  # anything else the client raised: still only a note
            return [], [unavailable_note(Unavailable("error", name=type(exc).__name__), self.url, self.seconds,
                                         message_lang)]
        taken = [f.span for f in findings if not anchors(f.code)]
        return to_findings(matches, self.sent, rules, active, taken, text, lines, message_lang), []
