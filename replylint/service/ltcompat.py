"""LanguageTool's HTTP API shape over replylint findings (`POST /v2/check`, `GET /v2/languages`).

Any LanguageTool client (editor plugins, the browser add-on's "local
server" setting, `language-tool-python`'s `remote_server=`) can then show
replylint's findings inline with no integration work.

Offsets: LanguageTool is Java, so `offset` and `length` count UTF-16 code
units, not code points; an emoji before a finding moves it by two. This
module converts Python's code-point offsets accordingly
(`language_tool_python` subtracts one per astral character on its side).
With `data=` (annotated text) the offsets point into the concatenation of
all `text` and `markup` parts, as LanguageTool's do; the checked text is the
`text` parts with each markup's `interpretAs`.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..engine import get_engine
from ..models import Category, Finding, Report, Severity

LANGUAGES: list[dict[str, str]] = [
    {"name": "Italian", "code": "it", "longCode": "it-IT"},
    {"name": "Italian", "code": "it", "longCode": "it"},
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
]
_NAMES = {"it": "Italian", "en": "English"}
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
CONTEXT_CHARS = 40


class LTRequestError(ValueError):
    """A request LanguageTool would answer with 400; the message is LanguageTool-like plain text."""


def parse_language(value: str | None) -> tuple[str | None, str]:
    """(replylint language or None for auto, the code to echo back)."""
    tag = (value or "auto").strip()
    if tag.lower() == "auto":
        return None, "auto"
    match = _LANG_TAG.match(tag)
    if match and match.group(1).lower() in _NAMES:
        return match.group(1).lower(), tag
    raise LTRequestError(f"Unsupported language: {tag!r} (replylint checks it and en; use 'auto' to detect)")


@dataclass(frozen=True)
class Source:
    """The text to check and, for each of its characters, the position in what the client sent."""

    original: str
    plain: str
    positions: tuple[int, ...] | None  # None: plain is original

    def to_original(self, index: int) -> int:
        if self.positions is None:
            return index
        if index < len(self.positions):
            return self.positions[index]
        return len(self.original)


def form_value(value: str | None) -> str | None:
    """A form field as the client sent it, when it sent raw UTF-8 rather than %-escapes.

    Starlette reads the raw bytes of an urlencoded body as Latin-1 (only `%XX`
    escapes as UTF-8), so `curl -d text=già` arrived as "giÃ\xa0" and no rule
    saw "già". LanguageTool reads them as UTF-8, as every client means them. A
    value whose characters are all Latin-1 and whose bytes are valid UTF-8 is
    read again as UTF-8; any other value (escaped properly) is left as it is.
    """
    if value is None or value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def source_from(text: str | None, data: str | None) -> Source:
    if text is not None:
        return Source(text, text, None)
    if data is None:
        raise LTRequestError("Missing 'text' or 'data' parameter")
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):
        raise LTRequestError("Invalid 'data' parameter: not JSON") from None
    annotation = parsed.get("annotation") if isinstance(parsed, dict) else None
    if not isinstance(annotation, list):
        raise LTRequestError("Invalid 'data' parameter: expected {\"annotation\": [...]}")
    original: list[str] = []
    plain: list[str] = []
    positions: list[int] = []
    cursor = 0
    for part in annotation:
        if not isinstance(part, dict):
            raise LTRequestError("Invalid 'data' parameter: every annotation entry must be an object")
        if isinstance(part.get("text"), str):
            piece = part["text"]
            plain.append(piece)
            positions.extend(range(cursor, cursor + len(piece)))
        elif isinstance(part.get("markup"), str):
            piece = part["markup"]
            spoken = part.get("interpretAs")
            if isinstance(spoken, str):
                plain.append(spoken)
                positions.extend([cursor] * len(spoken))
        else:
            raise LTRequestError("Invalid 'data' parameter: an annotation entry needs 'text' or 'markup'")
        original.append(piece)
        cursor += len(piece)
    return Source("".join(original), "".join(plain), tuple(positions))


class _Utf16:
    """Code-point index → UTF-16 code-unit index, for one string."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)


def _issue_type(finding: Finding) -> str:
    if finding.severity is Severity.error:
        return "grammar"
    if finding.category in (Category.tone, Category.negative, Category.brand):
        return "register"
    return "style"


class _Sentences:
    """The sentence around a span, for LanguageTool's `sentence` field. The sentence ends of the
    text are found once, then each finding's sentence by bisection: scanning from the start of the
    text for every finding was quadratic (55,000 characters took 2 s against 0.17 s on /v1)."""

    def __init__(self, plain: str) -> None:
        self._plain = plain
        matches = [m.span() for m in _SENTENCE_END.finditer(plain)]
        self._starts = [a for a, _ in matches]
        self._ends = [b for _, b in matches]

    def around(self, start: int, end: int) -> str:
        plain = self._plain
        # The last sentence end that starts before `start` (cut at `start` if it runs past it).
        i = bisect.bisect_left(self._starts, start) - 1
        begin = min(self._ends[i], start) if i >= 0 else 0
        # The first sentence end at or after `end`: inside a run of blanks that began before `end`
        # only a line break can start one, as `_SENTENCE_END.search(plain, end)` finds.
        j = bisect.bisect_left(self._starts, end)
        stop = self._starts[j] if j < len(self._starts) else len(plain)
        if j > 0 and self._ends[j - 1] > end:
            newline = plain.find("\n", end, self._ends[j - 1])
            stop = newline if newline >= 0 else stop
        return plain[begin:stop].strip()


def empty_response(language_code: str) -> dict[str, Any]:
    return _envelope(language_code, None, [])


def _envelope(language_code: str, report: Report | None, matches: list[dict[str, Any]]) -> dict[str, Any]:
    lang = report.language if report is not None else None
    detected = (report.detected_language if report is not None else None) or lang
    echo = language_code if language_code != "auto" else (lang or detected or "auto")
    return {
        "software": {
            "name": "replylint", "version": __version__, "buildDate": None, "apiVersion": 1,
            "premium": False, "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": _NAMES.get(lang or "", detected or "Unknown"),
            "code": echo,
            "detectedLanguage": {
                "name": _NAMES.get(detected or "", detected or "Unknown"),
                "code": detected or "auto",
                "confidence": 1.0 if detected else 0.0,
            },
        },
        "matches": matches,
    }


def to_response(source: Source, report: Report, language_code: str, packs: tuple = ()) -> dict[str, Any]:
    engine = get_engine(packs)
    utf16_original = _Utf16(source.original)
    sentences = _Sentences(source.plain)
    matches = []
    for finding in report.findings:
        if finding.severity is Severity.info:
            continue  # advice only: an editor underlines what should change before sending
        start, end = finding.span.start, finding.span.end
        o_start = source.to_original(start)
        o_end = source.to_original(end - 1) + 1 if end > start else o_start
        c_start = max(0, start - CONTEXT_CHARS)
        c_end = min(len(source.plain), end + CONTEXT_CHARS)
        context = source.plain[c_start:c_end]
        ctx16 = _Utf16(context)
        rule = engine.rule(finding.code, report.language or "en")
        text_lang = report.language or "en"
        description = rule.summary.get(text_lang) if rule is not None else finding.name
        matches.append({
            "message": finding.message,
            "shortMessage": finding.name.replace("-", " "),
            "replacements": [
                {"value": s.replacement} for s in finding.suggestions if s.replacement is not None
            ],
            "offset": utf16_original(o_start),
            "length": utf16_original(o_end) - utf16_original(o_start),
            "context": {
                "text": context,
                "offset": ctx16(start - c_start),
                "length": ctx16(end - c_start) - ctx16(start - c_start),
            },
            "sentence": sentences.around(start, end),
            "type": {"typeName": "Other"},
            "rule": {
                "id": finding.code,
                "description": description,
                "issueType": _issue_type(finding),
                "category": {"id": finding.category.value.upper(), "name": finding.category.value.capitalize()},
                "subId": finding.name,
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    return _envelope(language_code, report, matches)
