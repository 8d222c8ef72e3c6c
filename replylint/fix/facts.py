"""The facts of a draft a rewrite must keep: numbers, amounts, dates, URLs, e-mail addresses,
order ids and people's names.

A rewrite that drops "entro il 12 marzo" or "order 48213" changes what the
customer is told, however much better it reads, so `fix` checks every
rewrite against this list and refuses an edit that loses any of it.
"""

from __future__ import annotations

import re
from collections import Counter

_URL = r"(?:https?://|www\.)\S+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_HANDLE = r"[@#]\w+"
# Numbers, amounts, dates and ids: letters and digits joined by - _ . / , : with a digit somewhere
# ("48213", "14,90", "12/03", "AB-4821"); a sentence's final period is not part of it.
_CODE = r"\b(?=[\w./,:-]*\d)[A-Za-z0-9]+(?:[-_./,:][A-Za-z0-9]+)*\b"
# A capitalised word inside a sentence ("Laura", "D'Amico"), not a contraction ("I've", "I'm").
_NAME = r"(?<=[a-zà-ÿ,;:] )[A-ZÀ-Ý](?:['’][A-ZÀ-Ý])?[a-zà-ÿ]+(?:['’][a-zà-ÿ]+)?"
_MONTH = (r"\b(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|"
          r"january|february|march|april|may|june|july|august|september|october|november|december|"
          r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|"
          r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_FACT = re.compile("|".join(f"(?:{p})" for p in (_URL, _EMAIL, _HANDLE, _CODE, _MONTH)), re.IGNORECASE)
_NAMES = re.compile(_NAME)  # case matters here


def facts(text: str) -> Counter[str]:
    """Each fact of `text` with how often it occurs (months and days in lower case)."""
    found: Counter[str] = Counter(m.group().lower() if m.group()[0].isalpha() and not any(c.isdigit() for c in m.group())
                                  and "@" not in m.group() and "/" not in m.group() else m.group()
                                  for m in _FACT.finditer(text))
    found.update(m.group() for m in _NAMES.finditer(text))
    return found


def lost(before: str, after: str) -> list[str]:
    """The facts of `before` that `after` has fewer of."""
    kept = facts(after)
    return [fact for fact, count in facts(before).items() if kept[fact] < count]
