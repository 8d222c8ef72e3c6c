"""The fast text scans give exactly what the plain regular expressions they replace give."""

from __future__ import annotations

import re

import pytest

from replylint import layout, readability
from replylint.scan import findall_words

TEXTS = [
    "Ciao Marco,\n\nl'ordine 12345 è partito oggi.  \nTi scrivo   domani!\n\n\n-- \nGiulia",
    "a.\n b \t\n.\n\n x_y 12ab ½ ٣٤ l'amico dell’ufficio ... !? \n",
    "Ciao.  \nSì\t\n", "\n\n", "  \n", ".\n", "abc\n", "a. \n", "", "   ", "one\n \t\ntwo\n\n", "\r\nx\r\n\r\n y",
    "We'll ship it on 3/4 — don't worry: it's O'Neil's order_no 42!\n\n\n\nThanks",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    ("pattern", "whole"),
    [
        (r"\w+(?:['’]\w+)*", str.isalnum),
        (r"[^\W\d_]+(?:['’][^\W\d_]+)*", str.isalpha),
        (r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", str.isalpha),
        (r"\w+", str.isalnum),
    ],
)
def test_findall_words_is_findall(text: str, pattern: str, whole) -> None:  # type: ignore[no-untyped-def]
    compiled = re.compile(pattern)
    assert findall_words(compiled, text, whole) == compiled.findall(text)


@pytest.mark.parametrize("text", TEXTS)
def test_closing_lines_is_the_lookbehind_substitution(text: str) -> None:
    line_end = re.compile(r"(?<![.!?…:;])[ \t]*\n")
    assert readability._close_lines(text + "\n") == line_end.sub(". ", text + "\n")


@pytest.mark.parametrize("text", TEXTS)
def test_paragraph_spans_are_the_regex_spans(text: str) -> None:
    expected = tuple((m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text))
    assert layout._paragraphs(text) == expected
