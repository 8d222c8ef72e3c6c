"""One output row per input row: what a team lead's spreadsheet needs, and no reply text unless
asked for.

The same flat record goes to JSONL, CSV and Parquet, so a file written in one format reads the same
in another; only `codes` changes shape (a list in JSONL and Parquet, space-separated in CSV).
"""

from __future__ import annotations

from typing import Any

from ..models import Category, Report, Severity

CATEGORIES = tuple(c.value for c in Category)
SEVERITIES = tuple(s.value for s in Severity)
# Column order of every output file; `text` and `customer` only with --include-text.
FIELDS = ("row", "source", "line", "id", "agent", "date", "channel", "status", "language", "score", "level",
          *(f"n_{s}" for s in SEVERITIES), *(f"n_{c}" for c in CATEGORIES), "codes")
TEXT_FIELDS = ("text", "customer")

OK = "ok"
EMPTY = "empty"
UNSUPPORTED = "unsupported-language"


def error_status(reason: str) -> str:
    """`error: <reason>`, on one line whatever the reason says."""
    return "error: " + " ".join(reason.split())


def blank(row: int, line: int | None, **fields: Any) -> dict[str, Any]:
    """A result with every column present and nothing graded yet."""
    record: dict[str, Any] = {name: None for name in FIELDS}
    record.update(row=row, line=line, codes=[])
    record.update(fields)
    return record


def graded(record: dict[str, Any], report: Report) -> dict[str, Any]:
    """Fill a result from a report: language, score, level, counts and codes of the findings that
    are on (an `unsupported-language` or `nothing-to-check` note becomes the status)."""
    notes = {note.code for note in report.notes}
    if "unsupported-language" in notes:
        record["status"] = UNSUPPORTED
        record["language"] = report.detected_language  # which one it is, for the team lead's count
        return record
    if "nothing-to-check" in notes or report.language is None:
        record["status"] = EMPTY
        return record
    record.update(status=OK, language=report.language, score=report.score,
                  level=report.level.value if report.level else None)
    for severity in SEVERITIES:
        record[f"n_{severity}"] = 0
    for category in CATEGORIES:
        record[f"n_{category}"] = 0
    codes: list[str] = []
    for finding in report.findings:
        record[f"n_{finding.severity.value}"] += 1
        record[f"n_{finding.category.value}"] += 1
        if finding.code not in codes:
            codes.append(finding.code)
    record["codes"] = codes
    return record
