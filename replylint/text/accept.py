"""Accepting a finding for one reply: `check(..., accept=[...])` and inline markers.

An agent who knows a flagged phrase is right for this customer writes, in an
HTML draft (or a plain one), a comment the helpdesk never sends:

    <!-- replylint: accept NEG101 -->
    <!-- replylint: accept NEG101, TON1 -->

Codes or prefixes, separated by commas or spaces. The marker is masked
(blanked out, offsets unchanged) before anything is checked, so it neither
reads as words of the reply nor shifts a span; it then silences the findings
of the codes it names anywhere in that reply. A marker that silences nothing
is reported itself (META101), so stale markers do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"<!--\s*replylint\s*:\s*accept\b(?P<codes>[^>]*?)-->", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]{2,5}[0-9]{0,3}")


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    codes: tuple[str, ...]


def find_markers(text: str) -> list[Marker]:
    return [
        Marker(m.start(), m.end(), tuple(c.upper() for c in _CODE.findall(m.group("codes"))))
        for m in _MARKER.finditer(text)
    ]


def mask_markers(masked: str, markers: list[Marker]) -> str:
    """Blank the markers out of the text rules read (same length, newlines kept)."""
    if not markers:
        return masked
    chars = list(masked)
    for marker in markers:
        for i in range(marker.start, marker.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def accepted(code: str, prefixes: list[str] | tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in prefixes)
