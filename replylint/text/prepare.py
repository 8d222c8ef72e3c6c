"""Separate the agent's own words from text the agent is only quoting.

Rules must not fire on the customer's words: a reply that quotes "non
funziona niente!" is not negative phrasing by the agent. Quoted history
(lines starting with ">", everything after "On … wrote:" / "Il giorno … ha
scritto:" or an "Original Message" separator), the e-mail signature after
"-- " and short inline quotations are masked with spaces. Masking instead of
cutting keeps every character offset identical to the caller's text, so
spans need no mapping back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTED_LINE = re.compile(r"(?m)^[ \t]*>.*$")
_HISTORY_START = re.compile(
    r"""(?imx)
    ^[ \t]*(?:
        (?:on|il\ giorno|il|in\ data|el|le|am)\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?
        \b(?:wrote|ha\ scritto|scrisse|escribió|a\ écrit|schrieb)[ \t]*:[ \t]*$
      | -{2,}[ \t]*(?:original\ message|messaggio\ originale|forwarded\ message|messaggio\ inoltrato)[ \t]*-{2,}.*$
    )
    """
)
_SIGNATURE = re.compile(r"(?m)^-- ?$")
_INLINE_QUOTE = re.compile(r"«[^»\n]{1,300}»|“[^”\n]{1,300}”|\"[^\"\n]{1,300}\"")


@dataclass(frozen=True)
class Prepared:
    original: str
    masked: str  # same length as original; out-of-scope text replaced by spaces
    quoted: tuple[tuple[int, int], ...]  # masked ranges, for callers that want to show them

    @property
    def own_text(self) -> str:
        """The agent's words alone, for language detection and word counts."""
        return " ".join(self.masked.split())


def prepare(text: str, inline_quotes: bool = True) -> Prepared:
    """Mask what is out of scope. `inline_quotes=False` keeps «…» and "…": in the
    customer's own message those are still the customer's words."""
    ranges: list[tuple[int, int]] = []
    history = _HISTORY_START.search(text)
    if history:
        ranges.append((history.start(), len(text)))
    signature = _SIGNATURE.search(text)
    if signature and (not history or signature.start() < history.start()):
        ranges.append((signature.start(), history.start() if history else len(text)))
    ranges.extend((m.start(), m.end()) for m in _QUOTED_LINE.finditer(text))
    if inline_quotes:
        ranges.extend((m.start(), m.end()) for m in _INLINE_QUOTE.finditer(text))
    if not ranges:
        return Prepared(text, text, ())
    merged = merge_ranges(ranges)
    chars = list(text)
    for start, end in merged:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return Prepared(text, "".join(chars), tuple(merged))


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping or touching ranges fused."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def quoted_customer_lines(text: str) -> str:
    """The lines a reply quotes with ">" — the customer's words when no message is given."""
    if ">" not in text:  # nearly every reply: skip the line-by-line scan
        return ""
    return "\n".join(line.lstrip()[1:].strip() for line in _QUOTED_LINE.findall(text))
