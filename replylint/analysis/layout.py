"""The visible shape of a reply: lines, paragraphs, greeting, sign-off, body sentences.

Structure and LATTE checks both need to know where the greeting ends and
the sign-off begins (a missing step is pointed at the body, not at "Ciao
Marco,"), so the shape is worked out once per reply here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..core.context import Context
from ..text.scan import findall_words

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")
_NON_BLANK = re.compile(r"\S")
_BLANK_LINE_AHEAD = re.compile(r"\n(?=[ \t]*\n)")
_SIGNATURE_LINE = re.compile(r"^[\W\d_]*[A-ZÀ-Ý][\w'’.&-]*(?:[ \t]+[\w'’.&/–—-]+){0,9}[ \t]*$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @functools.cached_property  # asked several times per line by greeting and sign-off checks
    def words(self) -> int:
        return len(findall_words(_WORD, self.text, str.isalpha))


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]  # non-blank lines of the agent's own text
    paragraphs: tuple[tuple[int, int], ...]  # char spans of blocks separated by blank lines
    greeting: Line | None
    signoff: tuple[Line, ...]  # closing formula and signature lines at the end
    body_start: int  # char offset where the body begins (after the greeting line)
    body_end: int  # char offset where the sign-off begins

    @property
    def has_list(self) -> bool:
        return any(re.match(r"\s*(?:[-*•·]|\d+[.)])\s+\S", line.text) for line in self.lines)


def layout(ctx: Context) -> Layout:
    return ctx.cached("layout", lambda: _build(ctx))


def _build(ctx: Context) -> Layout:
    masked = ctx.masked
    lines = tuple(
        Line(m.start() + _lead(m.group(0)), m.end() - _trail(m.group(0)), m.group(0).strip())
        for m in _LINE.finditer(masked)
        if m.group(0).strip()
    )
    paragraphs = _paragraphs(masked)
    greeting = _greeting(ctx, lines[0]) if lines else None
    signoff = _signoff_lines(ctx, lines)
    body_start = greeting.end if greeting else (lines[0].start if lines else 0)
    body_end = signoff[0].start if signoff else (lines[-1].end if lines else len(masked))
    return Layout(lines, paragraphs, greeting, signoff, body_start, max(body_start, body_end))


def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the blocks separated by blank lines: each from a non-blank character to the
    line break before the next blank line (or the end). The same spans as
    `re.finditer(r"\\S(?:.|\\n(?![ \\t]*\\n))*", text)`, without trying that
    alternation at every character."""
    spans = []
    here = 0
    while (first := _NON_BLANK.search(text, here)) is not None:
        stop = _BLANK_LINE_AHEAD.search(text, first.start())
        here = stop.start() if stop else len(text)
        spans.append((first.start(), here))
    return tuple(spans)


def _greeting(ctx: Context, first: Line) -> Line | None:
    """The greeting at the start of the first line: "Ciao Marta," — or the whole line if short.

    "Ciao Marta, il tuo ordine è partito." is one line, but only "Ciao Marta,"
    is the greeting: the rest is body.
    """
    start, end = tokens_in(ctx, first.start, first.end)
    cues = [hit for hit in ctx.find("greeting", start, end) if hit[0] == start]
    if not cues:
        return None
    cut = re.search(r"[,!:;—–]|\s-\s", ctx.masked[first.start : first.end])
    if cut and len(findall_words(_WORD, ctx.masked[first.start : first.start + cut.start()], str.isalpha)) <= 6:
        stop = first.start + cut.end()
        return Line(first.start, stop, ctx.masked[first.start : stop])
    return first if first.words <= 6 else None


def _signoff_lines(ctx: Context, lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The closing formula ("Cordiali saluti,") and the signature lines after it.

    Looks at the last four lines: from a sign-off formula to the end, or a
    bare signature (a short line of names, no sentence punctuation) at the
    very end.
    """
    tail = lines[-4:]
    for k, line in enumerate(tail):
        if line.words <= 6 and ctx.find("signoff", *tokens_in(ctx, line.start, line.end)):
            rest = tail[k + 1 :]
            if all(_looks_like_signature(r, max_words=9) for r in rest):
                return tuple(tail[k:])
    if len(lines) >= 2 and _looks_like_signature(lines[-1]):
        return (lines[-1],)
    # A signature block without a formula: a name line, then a title or department
    # ("Dott. Franco Bellini" / "Ufficio Relazioni con la Clientela – Arredo Sì").
    block = tail[-3:] if len(lines) > 3 else ()
    for size in (2, 3):
        candidate = block[-size:]
        if len(candidate) == size and all(_looks_like_signature(r, max_words=9) for r in candidate) and any(
            r.words <= 4 for r in candidate
        ):
            return tuple(candidate)
    return ()


def _looks_like_signature(line: Line, max_words: int = 6) -> bool:
    """A short line of names and titles with no sentence punctuation ("Giulia – Servizio Clienti").

    After a sign-off formula a longer line is still a signature ("Ufficio Relazioni con
    la Clientela – Arredo Sì"); on its own at the end, only a short one is.
    """
    text = line.text
    return (
        line.words <= max_words
        and not text.endswith((".", "?", "!", ":", ";", ","))
        and bool(_SIGNATURE_LINE.match(text))
    )


def tokens_in(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """Token range covering the character range [start, end)."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return 0, 0
    return span.start, span.end


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _trail(text: str) -> int:
    return len(text) - len(text.rstrip())
