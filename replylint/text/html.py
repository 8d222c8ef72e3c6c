"""HTML reply → plain text to check, with a map from every text offset back to the HTML.

Helpdesks hand over the draft as HTML. The rules run on text, so the HTML
is flattened the way a mail client would show it (block elements and
`<br>` become line breaks, runs of whitespace collapse, entities are
decoded) and each character of the text remembers the HTML range it came
from. `Converted.html_span(start, end)` turns a finding's text span into
the HTML range that covers it, so a UI holding the HTML can underline it.

Quoted history and signatures are dropped from the text: `<blockquote>`,
the quote containers of Gmail, Outlook, Apple Mail, Yahoo, Thunderbird,
ProtonMail and Zendesk, signature blocks, and everything after Outlook's
reply separator. `<script>`, `<style>`, `<head>` and `<template>` content
is never text. The parser is the standard library's `html.parser`, which
accepts any input (malformed HTML included) without raising.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import unescape
from html.entities import html5
from html.parser import HTMLParser

from .prepare import merge_ranges

# Elements whose content is never shown as text.
_INVISIBLE = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "object"})
# Elements that start and end a line.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table", "tr",
        "ul", "center",
    }
)
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"})
_CELL = frozenset({"td", "th"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Quoted history and signatures: class names and ids used by the common mail clients and helpdesks.
_QUOTE_CLASSES = frozenset(
    {
        "gmail_quote", "gmail_quote_container", "gmail_extra", "gmail_signature", "yahoo_quoted",
        "moz-cite-prefix", "moz-signature", "protonmail_quote", "protonmail_signature_block",
        "applemail-quote", "zmail_extra", "zd-comment-quote", "quoted-text", "quote",
        "signature", "email-signature", "x_gmail_quote",
    }
)
_QUOTE_IDS = frozenset({"signature", "divrplyfwdmsg", "appendonsend", "mail-signature", "zwchr"})
# Outlook puts the quoted message *after* these, as siblings: drop the rest of the document.
_CUT_REST_IDS = frozenset({"divrplyfwdmsg", "appendonsend"})
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u200b]+")
_LINE = re.compile(r"\n")


@dataclass(frozen=True)
class Converted:
    """The text of an HTML reply and where each of its characters came from."""

    html: str
    text: str
    starts: tuple[int, ...]  # HTML offset where text[i] begins
    ends: tuple[int, ...]  # HTML offset where text[i] ends
    removed: tuple[tuple[int, int], ...]  # HTML ranges dropped as quoted history or signature

    def html_span(self, start: int, end: int) -> tuple[int, int]:
        """HTML range covering text[start:end] (an empty span maps to an empty range)."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
        if start == end:
            point = self.starts[start] if start < len(self.text) else self.ends[-1]
            return (point, point)
        return (self.starts[start], max(self.ends[end - 1], self.starts[start]))


def html_to_text(html: str) -> Converted:
    parser = _Parser(html)
    parser.feed(html)
    rest = parser.rawdata
    if rest.startswith("&") and "<" not in rest:
        # html.parser drops the "&" of an unfinished entity at the very end ("AT&T"): it is text.
        parser.handle_trailing_text(rest, len(html) - len(rest))
        parser.rawdata = ""
    parser.close()
    return parser.result()


class _TextBuffer:
    """The text being built, one character at a time, each with the HTML range it came from.

    White space collapses as a browser collapses it: a run becomes one pending
    space, written only when more text follows on the same line.
    """

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pending_space: int | None = None  # HTML offset of a collapsed whitespace run

    def emit(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def emit_each(self, data: str, start: int, first: int, last: int) -> None:
        """data[first:last], each character mapped to its own HTML offset."""
        for i in range(first, last):
            self.emit(data[i], start + i, start + i + 1)

    def space_at(self, offset: int) -> None:
        if self.pending_space is None:
            self.pending_space = offset

    def flush_space(self) -> None:
        if self.pending_space is not None:
            if self.chars and self.chars[-1] not in " \n":
                self.emit(" ", self.pending_space, self.pending_space + 1)
            self.pending_space = None

    def drop_trailing_spaces(self) -> None:
        self.pending_space = None
        while self.chars and self.chars[-1] == " ":
            self.chars.pop(), self.starts.pop(), self.ends.pop()

    def newlines(self, count: int, at: int) -> None:
        """End the current line (count=1) or paragraph (count=2), never more."""
        self.drop_trailing_spaces()
        if not self.chars:
            return
        trailing = 0
        while trailing < len(self.chars) and self.chars[-1 - trailing] == "\n":
            trailing += 1
        for _ in range(count - trailing):
            self.emit("\n", at, at)

    def separate(self, at: int) -> None:
        """A space between table cells, unless one is there already."""
        self.flush_space()
        if self.chars and self.chars[-1] not in " \n":
            self.emit(" ", at, at)

    def text(self, data: str, start: int, pre: bool) -> None:
        if pre:
            self.flush_space()
            self.emit_each(data, start, 0, len(data))
            return
        position = 0
        for match in _SPACE.finditer(data):
            if match.start() > position:
                self.flush_space()
                self.emit_each(data, start, position, match.start())
            self.space_at(start + match.start())
            position = match.end()
        if position < len(data):
            self.flush_space()
            self.emit_each(data, start, position, len(data))

    def trimmed(self) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """The text without leading or trailing blank lines, and its offset maps."""
        while self.chars and self.chars[-1] in " \n":
            self.chars.pop(), self.starts.pop(), self.ends.pop()
        lead = 0
        while lead < len(self.chars) and self.chars[lead] in " \n":
            lead += 1
        return "".join(self.chars[lead:]), tuple(self.starts[lead:]), tuple(self.ends[lead:])


class _Hidden:
    """What is not the agent's visible text: invisible elements, quoted history, signatures.

    Tracks the open elements and how deep inside a skipped region the parser
    is, and records the HTML ranges dropped as quoted history or signature.
    After Outlook's reply separator everything is dropped (`cut_at`).
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a skipped region)
        self.depth = 0
        self.skip_from = 0
        self.cut_at: int | None = None
        self.removed: list[tuple[int, int]] = []

    @property
    def active(self) -> bool:
        """True while text must not be written."""
        return bool(self.depth) or self.cut_at is not None

    def open(self, tag: str, values: dict[str, str | None], here: int) -> None:
        classes = {c.lower() for c in (values.get("class") or "").split()}
        ident = (values.get("id") or "").lower()
        quoted = (
            tag == "blockquote"
            or bool(classes & _QUOTE_CLASSES)
            or ident in _QUOTE_IDS
            or (values.get("data-smartmail") or "") == "gmail_signature"
            or "data-marker" in values and values.get("data-marker") == "__QUOTED_TEXT__"
        )
        skipped = tag in _INVISIBLE or quoted
        if tag not in _VOID:
            self.stack.append((tag, skipped))
        if skipped:
            if self.depth == 0:
                self.skip_from = here
            self.depth += 1
        if quoted and ident in _CUT_REST_IDS and self.depth == 1:
            self.cut_at = here

    def close(self, tag: str, end: int) -> bool:
        """Close `tag` and the unclosed tags inside it; False for a stray end tag."""
        index = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == tag), None)
        if index is None:
            return False
        for _, skipped in self.stack[index:]:
            if skipped:
                self.depth -= 1
                if self.depth == 0:
                    self.removed.append((self.skip_from, end))
        del self.stack[index:]
        return True

    def ranges(self, length: int) -> tuple[tuple[int, int], ...]:
        """Every dropped HTML range, a region left open running to the end."""
        if self.depth and self.cut_at is None:
            self.removed.append((self.skip_from, length))
        if self.cut_at is not None:
            self.removed.append((self.cut_at, length))
        return tuple(merge_ranges(self.removed))


class _Parser(HTMLParser):
    """The standard library's tolerant parser, feeding a `_TextBuffer` and a `_Hidden` tracker."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self._html = html
        self._line_starts = [0] + [m.end() for m in _LINE.finditer(html)]
        self._out = _TextBuffer()
        self._hidden = _Hidden()
        self._pre = 0

    def _here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _text(self, data: str, start: int) -> None:
        if self._hidden.active or not data:
            return
        self._out.text(data, start, pre=bool(self._pre))

    # -- parser callbacks ---------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._here()
        end = here + len(self.get_starttag_text() or "")
        self._open(tag, attrs, here, end)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._here()
        end = here + len(self.get_starttag_text() or "")
        self._open(tag, attrs, here, end)
        self._close(tag, end, end)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], here: int, end: int) -> None:
        if self._hidden.cut_at is not None:
            return
        values = dict(attrs)
        self._hidden.open(tag, values, here)
        if self._hidden.active:
            return
        out = self._out
        if tag == "br":
            out.drop_trailing_spaces()
            out.emit("\n", here, end)
        elif tag in _PARAGRAPH:
            out.newlines(2, here)
        elif tag in _BLOCK:
            out.newlines(1, here)
        elif tag in _CELL:
            out.separate(here)
        elif tag == "img":
            alt = values.get("alt")
            if alt and alt.strip():
                out.flush_space()
                out.emit(" ".join(alt.split()), here, end)
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        here = self._here()
        end = self._html.find(">", here)
        end = len(self._html) if end < 0 else end + 1
        self._close(tag, here, end)

    def _close(self, tag: str, here: int, end: int) -> None:
        if self._hidden.cut_at is not None:
            return
        if not self._hidden.close(tag, end) or self._hidden.depth:
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _PARAGRAPH:
            self._out.newlines(2, here)
        elif tag in _BLOCK:
            self._out.newlines(1, here)

    def handle_trailing_text(self, data: str, start: int) -> None:
        self._text(data, start)

    def handle_data(self, data: str) -> None:
        self._text(data, self._here())

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};", f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};", f"&#{name}")

    def _entity(self, with_semicolon: str, without: str) -> None:
        if self._hidden.active:
            return
        here = self._here()
        raw = with_semicolon if self._html.startswith(with_semicolon, here) else without
        value = unescape(raw) if (raw.endswith(";") or raw[1:] + ";" in html5 or raw.startswith("&#")) else raw
        if not value:
            return
        if value.isspace() and not self._pre:
            self._out.space_at(here)
            return
        self._out.flush_space()
        self._out.emit(value, here, here + len(raw))

    def handle_comment(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        if data.upper().startswith("CDATA["):
            self._text(data[6:], self._here() + 9)

    def result(self) -> Converted:
        removed = self._hidden.ranges(len(self._html))
        text, starts, ends = self._out.trimmed()
        return Converted(html=self._html, text=text, starts=starts, ends=ends, removed=removed)


def text_offset(converted: Converted, html_offset: int) -> int:
    """The first text character that comes from at or after `html_offset` (for callers mapping the other way)."""
    return bisect.bisect_left(converted.starts, html_offset)
