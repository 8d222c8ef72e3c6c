"""Word counting without running a regular expression over every character.

Python's `re` costs tens of nanoseconds per character for a word pattern,
and a check counts words several times (the report, readability, layout,
paragraph length). Word patterns never match across whitespace, so the text
can be split on whitespace first; a piece made only of word characters is a
single match by itself, and only the rest (words glued to punctuation,
digits, apostrophes) goes through the pattern. The result is exactly
`pattern.findall(text)`, at a third of the cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def findall_words(pattern: re.Pattern[str], text: str, whole: Callable[[str], bool]) -> list[str]:
    """`pattern.findall(text)`, for a pattern whose matches hold no whitespace.

    `whole(piece)` must be true only of a piece the pattern matches entirely
    in one match (`str.isalnum` for `\\w+…`, `str.isalpha` for letters-only).
    """
    found: list[str] = []
    for piece in text.split():
        if whole(piece):
            found.append(piece)
        else:
            found.extend(pattern.findall(piece))
    return found
