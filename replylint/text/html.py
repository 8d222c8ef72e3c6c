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


class _Parser(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self._html = html
        self._line_starts = [0] + [m.end() for m in _LINE.finditer(html)]
        self._chars: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, opened a skipped region)
        self._skip_depth = 0
        self._skip_from = 0
        self._cut_at: int | None = None
        self._removed: list[tuple[int, int]] = []
        self._pending_space: int | None = None  # HTML offset of a collapsed whitespace run
        self._pre = 0

    # -- positions ---------------------------------------------------------

    def _here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    # -- output --------------------------------------------------------------

    def _emit(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self._chars.append(ch)
            self._starts.append(start)
            self._ends.append(end)

    def _flush_space(self) -> None:
        if self._pending_space is not None:
            if self._chars and self._chars[-1] not in " \n":
                self._emit(" ", self._pending_space, self._pending_space + 1)
            self._pending_space = None

    def _newlines(self, count: int, at: int) -> None:
        """End the current line (count=1) or paragraph (count=2), never more."""
        self._pending_space = None
        while self._chars and self._chars[-1] == " ":
            self._chars.pop(), self._starts.pop(), self._ends.pop()
        if not self._chars:
            return
        trailing = 0
        while trailing < len(self._chars) and self._chars[-1 - trailing] == "\n":
            trailing += 1
        for _ in range(count - trailing):
            self._emit("\n", at, at)

    def _text(self, data: str, start: int) -> None:
        if self._skip_depth or self._cut_at is not None or not data:
            return
        if self._pre:
            self._flush_space()
            for i, ch in enumerate(data):
                self._emit(ch, start + i, start + i + 1)
            return
        position = 0
        for match in _SPACE.finditer(data):
            if match.start() > position:
                self._flush_space()
                for i in range(position, match.start()):
                    self._emit(data[i], start + i, start + i + 1)
            if self._pending_space is None:
                self._pending_space = start + match.start()
            position = match.end()
        if position < len(data):
            self._flush_space()
            for i in range(position, len(data)):
                self._emit(data[i], start + i, start + i + 1)

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
        if self._cut_at is not None:
            return
        values = dict(attrs)
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
            self._stack.append((tag, skipped))
        if skipped:
            if self._skip_depth == 0:
                self._skip_from = here
            self._skip_depth += 1
        if quoted and ident in _CUT_REST_IDS and self._skip_depth == 1:
            self._cut_at = here
            return
        if self._skip_depth:
            return
        if tag == "br":
            self._pending_space = None
            while self._chars and self._chars[-1] == " ":
                self._chars.pop(), self._starts.pop(), self._ends.pop()
            self._emit("\n", here, end)
        elif tag in _PARAGRAPH:
            self._newlines(2, here)
        elif tag in _BLOCK:
            self._newlines(1, here)
        elif tag in _CELL:
            self._flush_space()
            if self._chars and self._chars[-1] not in " \n":
                self._emit(" ", here, here)
        elif tag == "img":
            alt = values.get("alt")
            if alt and alt.strip():
                self._flush_space()
                self._emit(" ".join(alt.split()), here, end)
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        here = self._here()
        end = self._html.find(">", here)
        end = len(self._html) if end < 0 else end + 1
        self._close(tag, here, end)

    def _close(self, tag: str, here: int, end: int) -> None:
        if self._cut_at is not None:
            return
        # Pop up to the matching open tag (tolerates unclosed inner tags); ignore stray end tags.
        index = next((i for i in range(len(self._stack) - 1, -1, -1) if self._stack[i][0] == tag), None)
        if index is None:
            return
        for _, skipped in self._stack[index:]:
            if skipped:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._removed.append((self._skip_from, end))
        del self._stack[index:]
        if self._skip_depth:
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _PARAGRAPH:
            self._newlines(2, here)
        elif tag in _BLOCK:
            self._newlines(1, here)

    def handle_trailing_text(self, data: str, start: int) -> None:
        self._text(data, start)

    def handle_data(self, data: str) -> None:
        self._text(data, self._here())

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};", f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};", f"&#{name}")

    def _entity(self, with_semicolon: str, without: str) -> None:
        if self._skip_depth or self._cut_at is not None:
            return
        here = self._here()
        raw = with_semicolon if self._html.startswith(with_semicolon, here) else without
        value = unescape(raw) if (raw.endswith(";") or raw[1:] + ";" in html5 or raw.startswith("&#")) else raw
        if not value:
            return
        if value.isspace() and not self._pre:
            if self._pending_space is None:
                self._pending_space = here
            return
        self._flush_space()
        self._emit(value, here, here + len(raw))

    def handle_comment(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        if data.upper().startswith("CDATA["):
            self._text(data[6:], self._here() + 9)

    def result(self) -> Converted:
        if self._skip_depth and self._cut_at is None:
            self._removed.append((self._skip_from, len(self._html)))
        if self._cut_at is not None:
            self._removed.append((self._cut_at, len(self._html)))
        # Drop leading/trailing whitespace lines.
        while self._chars and self._chars[-1] in " \n":
            self._chars.pop(), self._starts.pop(), self._ends.pop()
        lead = 0
        while lead < len(self._chars) and self._chars[lead] in " \n":
            lead += 1
        removed = tuple(merge_ranges(self._removed))
        return Converted(
            html=self._html,
            text="".join(self._chars[lead:]),
            starts=tuple(self._starts[lead:]),
            ends=tuple(self._ends[lead:]),
            removed=removed,
        )


def text_offset(converted: Converted, html_offset: int) -> int:
    """The first text character that comes from at or after `html_offset` (for callers mapping the other way)."""
    return bisect.bisect_left(converted.starts, html_offset)
