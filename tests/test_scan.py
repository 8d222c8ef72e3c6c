"""The fast text scans give exactly what the plain regular expressions they replace give."""

from __future__ import annotations

import re

import pytest

from replylint.analysis import layout, readability
from replylint.text.scan import findall_words

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


ORDER_TEXTS = [
    "Ordine 12345, AB-1234/5678 e #98765; IT/20240 x-1234 _1234 1234_ 1234- ABCDE1234 ABCD-#1234 abcd#12345.",
    "1234", "123", "a1234", "#1234", "--1234", "1234a", "12345678901234567890", "٣٤٥٦٧ e 1234", "A-1234-5678",
    "n. 4321\n#5555 e ORD/7777, rif. AB12345 e XY-9999!", "", "   ",
]


def test_order_numbers_are_what_the_plain_pattern_finds() -> None:
    import random

    from replylint.analysis.latte import ORDER_NUMBER, find_order_numbers

    rng = random.Random(11)
    alphabet = ["1", "2", "9", "٣", "a", "Z", "b", "#", "-", "/", " ", "_", ".", "\n", "é", "1234", "AB-", "#12345"]
    texts = ORDER_TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    found = 0
    for text in texts:
        expected = [(m.start(), m.end()) for m in ORDER_NUMBER.finditer(text)]
        assert [(m.start(), m.end()) for m in find_order_numbers(text)] == expected, text
        found += len(expected)
    assert found > 1000


# The readable form of each pattern the packs write "letter first" for speed (see STR105, STR106).
_LETTER_FIRST = {
    "X(?<![\\w-]X)X{2,}(?![\\w-])": r"(?<![\w-])X{3,}(?![\w-])",
    "[A-ZÀ-ÖØ-Þ](?<!\\w.)[A-ZÀ-ÖØ-Þ]+[!?.,]*(?:\\s+[A-ZÀ-ÖØ-Þ]+[!?.,]*){2,}":
        r"\b[A-ZÀ-ÖØ-Þ]{2,}[!?.,]*(?:\s+[A-ZÀ-ÖØ-Þ]+[!?.,]*){2,}",
    "[A-ZÀ-ÖØ-Þ](?<!\\w.)[A-ZÀ-ÖØ-Þ]{6,}\\b": r"\b[A-ZÀ-ÖØ-Þ]{7,}\b",
}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_letter_first_patterns_match_what_their_readable_form_matches(lang: str) -> None:
    import random

    from replylint.core.packs import default_packs_dir, load_packs
    from replylint.kinds import RULE_MODELS

    rules = {r.code: r for r in load_packs([default_packs_dir()], RULE_MODELS).rules if r.lang == lang}
    written = [p for code in ("STR105", "STR106") for p in rules[code].patterns if p in _LETTER_FIRST]
    assert len(written) == len(_LETTER_FIRST)
    rng = random.Random(5)
    alphabet = ["A", "B", "É", "X", "XX", "a", "x", " ", "\n", "!", ".", "-", "_", "1", "ABC", "Xx", "ÀÖ", "ß"]
    shouting = ["PLEASE READ THIS NOW!", "ATTENZIONE: NON RISPONDERE A QUESTA MAIL", "Caro XXX, ordine XXXX-1",
                "IMPORTANTISSIMO", "É VERO, È COSÌ. ÀÀ ÖÖ"]
    texts = [*TEXTS, *shouting,
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(4000))]
    for fast in written:
        fast_re, plain_re = re.compile(fast), re.compile(_LETTER_FIRST[fast])
        hits = 0
        for text in texts:
            expected = [m.span() for m in plain_re.finditer(text)]
            assert [m.span() for m in fast_re.finditer(text)] == expected, (fast, text)
            hits += len(expected)
        assert hits > 10
