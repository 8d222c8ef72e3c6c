"""Rewrite a draft with its findings' replacements, as Ruff applies fixes: safe ones by default,
unsafe ones on request, never at the cost of a fact or of a worse report.

Safe edits replace the flagged words with the rule's own rewrite (a neutral
phrase for a blaming one, a hedge for an absolute). Unsafe edits add
sentences (a missing thank-you, acknowledgement or next step; the brand's
greeting or sign-off) or carry a rewrite its rule marks unsafe. An edit is
kept only when (1) it lies outside the quoted history and signature, (2) every
number, date, address, id and name of the draft survives it, and (3) the
rewritten draft has strictly fewer warnings and errors, in the same language,
with no new finding (save a warning in place of an error it removed). Rounds repeat until nothing more applies, so fixing a
fixed draft changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from pydantic import BaseModel, Field

from ..models import Finding, Report, Severity
from .facts import lost

_MAX_ROUNDS = 4
Place = str  # where an added sentence goes: "start", "after_greeting", "before_signoff" or "end"


class Edit(BaseModel):
    """One change `fix` made, with offsets into the text it was made on (that round's draft)."""

    code: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    original: str
    replacement: str
    unsafe: bool = False


class Fixed(BaseModel):
    """The rewritten draft, the edits applied in order, the report of the rewritten draft, and the
    draft's own score for comparison."""

    text: str
    edits: list[Edit] = Field(default_factory=list)
    report: Report
    draft_score: int | None = Field(default=None, description="The score of the draft as it was given.")


Check = Callable[[str], Report]
PlaceOf = Callable[[str, str], Place]  # (code, lang) → where that rule's added sentence goes


def rewrite(text: str, check: Check, *, protect: Callable[[str], tuple[tuple[int, int], ...]], place_of: PlaceOf,
            unsafe: bool = False) -> Fixed:
    """Apply edits round by round (see the module docstring). `check` checks a draft with the
    caller's settings (and raises for bad input, before anything else reads the text); `protect`
    gives a draft's quoted ranges."""
    report = check(text)
    draft_score = report.score
    protected = protect(text)
    edits_done: list[Edit] = []
    for _ in range(_MAX_ROUNDS):
        if report.language is None:
            break
        candidates = _candidates(text, report, protected, place_of, unsafe)
        accepted = _accept(text, report, candidates, check)
        if accepted is None:
            break
        text, report, applied = accepted
        edits_done.extend(applied)
        protected = protect(text)
    return Fixed(text=text, edits=edits_done, report=report, draft_score=draft_score)


def _serious(report: Report) -> int:
    return len(report.at_or_above(Severity.warning))


def _candidates(text: str, report: Report, protected: tuple[tuple[int, int], ...], place_of: PlaceOf,
                unsafe: bool) -> list[Edit]:
    edits: list[Edit] = []
    for finding in report.at_or_above(Severity.warning):
        edit = _edit_for(text, finding, report.language or "en", place_of, unsafe)
        if edit is not None and not any(edit.start < end and start < max(edit.end, edit.start + 1)
                                        for start, end in protected):
            edits.append(edit)
    return edits


def _edit_for(text: str, finding: Finding, lang: str, place_of: PlaceOf, unsafe: bool) -> Edit | None:
    for suggestion in finding.suggestions:
        if suggestion.replacement is not None and (unsafe or not suggestion.unsafe):
            if suggestion.replacement == finding.excerpt:
                continue
            return Edit(code=finding.code, start=finding.span.start, end=finding.span.end,
                        original=finding.excerpt, replacement=suggestion.replacement, unsafe=suggestion.unsafe)
        if suggestion.insert and unsafe:
            place = place_of(finding.code, lang)
            at = _insertion_point(text, place)
            sentence = suggestion.insert.strip()
            before, after = text[:at], text[at:]
            glue_before = "" if not before or before.endswith(("\n", " ")) else " "
            glue_after = "" if not after or after.startswith(("\n", " ")) else " "
            if place == "start":  # a greeting: a line of its own
                glue_before, glue_after = "", "\n\n"
            elif place == "end":  # a sign-off: a block of its own
                glue_before, glue_after = "\n\n", ""
            return Edit(code=finding.code, start=at, end=at, original="",
                        replacement=f"{glue_before}{sentence}{glue_after}", unsafe=True)
    return None


def _insertion_point(text: str, place: Place) -> int:
    """The offset for an added sentence: at the very start (a greeting), right after the greeting
    line (listening, acknowledging, thanking), at the very end (a sign-off), else before the
    sign-off (the last short block), or at the end when there is none."""
    if place == "start":
        return 0
    if place == "end":
        return len(text.rstrip())
    lines = text.split("\n")
    if place == "after_greeting":
        first = lines[0]
        if len(lines) > 1 and len(first.split()) <= 5 and first.rstrip().endswith((",", "!", ":")):
            offset = len(first) + 1
            while offset < len(text) and text[offset] == "\n":
                offset += 1
            return offset
        return 0
    blocks = text.rstrip().split("\n\n")
    if len(blocks) > 1 and len(blocks[-1].split()) <= 6:
        return len(text.rstrip()) - len(blocks[-1])
    return len(text.rstrip())


_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def _doubled(text: str) -> int:
    """Words written twice in a row: two rewrites of overlapping findings can each add a hedge
    ("arriva probabilmente probabilmente"); such a result is refused."""
    return len(_DOUBLED.findall(text))


def _still_flagged(edits: list[Edit], before: Report, report: Report) -> bool:
    """True when a warning the draft had still covers rewritten words: half a fix of two
    overlapping findings ("arriva probabilmente di sicuro") reads worse than no fix. A warning new
    to the draft is the one `_better` let take an error's place, not half a fix."""
    shift = 0
    regions = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        regions.append((start, start + len(edit.replacement)))
        shift += len(edit.replacement) - (edit.end - edit.start)
    # Local findings only: one on the whole reply or paragraph (no greeting, a missing step) is not
    # about these words.
    had = {f.code for f in before.findings}
    return any(f.span.start < end and start < f.span.end and f.span.end - f.span.start <= 2 * (end - start) + 40
               for f in report.at_or_above(Severity.warning) if f.code in had for start, end in regions)


def _apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end:]
    return text


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and (edit.start < chosen[-1].end or (edit.start == chosen[-1].start == chosen[-1].end)):
            continue
        chosen.append(edit)
    return chosen


def _better(before: Report, after: Report) -> bool:
    """Strictly fewer warnings and errors, the same language, no more errors, and no rule firing
    more often than before — except that a warning may take an error's place: "ci dispiace" for
    "non è colpa nostra" can leave an apology with no action yet (a warning), which is still a
    better draft than one that shifts the blame (an error). Counted per code, not per excerpt: a
    finding on the whole reply (no greeting, a missing step) changes its excerpt with any edit
    without being a new problem."""
    if after.language != before.language or _serious(after) >= _serious(before):
        return False
    errors_before, errors_after = (len(r.at_or_above(Severity.error)) for r in (before, after))
    if errors_after > errors_before:
        return False
    old = Counter(f.code for f in before.findings)
    new = Counter(f.code for f in after.at_or_above(Severity.warning))
    grown = [f for f in after.at_or_above(Severity.warning) if new[f.code] > old[f.code]]
    traded = sum(new[code] - old[code] for code in {f.code for f in grown})
    return not grown or (all(f.severity is Severity.warning for f in grown)
                         and traded <= errors_before - errors_after)


def _accept(text: str, report: Report, candidates: list[Edit], check: Check) -> tuple[str, Report, list[Edit]] | None:
    """All candidates at once when that is better and keeps the facts; else each alone, the first
    that is; None when none is."""
    edits = _non_overlapping(candidates)
    if not edits:
        return None
    trials = [edits] + ([[e] for e in edits] if len(edits) > 1 else [])
    for trial in trials:
        new_text = _apply(text, trial)
        if new_text == text or lost(text, new_text) or _doubled(new_text) > _doubled(text):
            continue
        new_report = check(new_text)
        if _better(report, new_report) and not _still_flagged(trial, report, new_report):
            return new_text, new_report, trial
    return None
