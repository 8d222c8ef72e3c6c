"""A rule's hit, turned into the `Finding` a caller receives: excerpt, line and column, message, suggestions."""

from __future__ import annotations

import bisect
import functools
import re

from ..core.rulespec import RuleBase
from ..kinds.base import Hit
from ..models import Finding, Severity, Span, Suggestion
from ..text.accept import Marker

_NEWLINE = re.compile(r"\n")
UNUSED_ACCEPT = "META101"


def unused_markers(markers: list[Marker], hits: dict[str, list[Hit]]) -> list[Hit]:
    """META101: an accept marker that silences nothing (or names no rule) is a finding itself."""
    return [
        Hit(marker.start, marker.end, values={"code": code or "?"})
        for marker in markers
        for code in marker.codes or ("",)
        if not code or not any(found for c, found in hits.items() if c != UNUSED_ACCEPT and c.startswith(code))
    ]


class LineIndex:
    """Character offset → (line, column), both from 1, as editors count them."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def make_finding(
    rule: RuleBase, hit: Hit, severity: Severity, text: str, lines: LineIndex, lang: str
) -> Finding:
    excerpt = text[hit.start : hit.end]
    if hit.suggestions is not None:
        suggestions = list(hit.suggestions)
    else:
        advice = rule.suggest.advice.get(lang)
        suggestions = [
            Suggestion(advice=advice, replacement=_match_case(replacement, excerpt))
            for replacement in rule.suggest.replace
        ]
        rewritten = _rewrite(rule, excerpt)
        if rewritten is not None:
            suggestions.insert(0, Suggestion(advice=advice, replacement=rewritten[0], unsafe=rewritten[1]))
        suggestions = suggestions or [Suggestion(advice=advice)]
    message = hit.message or rule.message.get(lang)
    if hit.values:
        message = message.format_map(_Defaulting(hit.values))
    line, column = lines.position(hit.start)
    return Finding(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=severity,
        span=Span(start=hit.start, end=hit.end),
        excerpt=excerpt,
        line=line,
        column=column,
        message=message,
        suggestions=suggestions,
    )


class _Defaulting(dict):  # type: ignore[type-arg]
    """format_map helper: an unknown {placeholder} in a team's message stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rewrite(rule: RuleBase, excerpt: str) -> tuple[str, bool] | None:
    """The first of the rule's rewrites whose pattern occurs in the excerpt, applied: (text, unsafe)."""
    for rewrite in rule.suggest.rewrite:
        found = _compiled(rewrite.pattern).search(excerpt)
        if found is not None:
            # Python 3.11 parses the template again on every expand (60 µs a finding); one without a
            # backslash (no group reference, no escape) is its own expansion.
            replacement = found.expand(rewrite.to) if "\\" in rewrite.to else rewrite.to
            text = excerpt[: found.start()] + replacement + excerpt[found.end():]
            text = re.sub(r" {2,}", " ", text)
            if excerpt == excerpt.strip():
                text = text.strip()
            if found.start() == 0:
                text = _match_case(text, excerpt)
            return text, rewrite.unsafe
    return None


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _match_case(replacement: str, excerpt: str) -> str:
    """Keep a sentence-initial capital: "Devi" → "Ti chiedo di", "devi" → "ti chiedo di"."""
    if excerpt[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement
