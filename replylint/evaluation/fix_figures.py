"""How far `replylint fix` gets on real replies: of the replies a check flags (a warning or an
error), the share the rewrite makes clean, at the safe and at the unsafe level, per language.

    python -m replylint.evaluation.fix_figures [--split dev|test] [--json]

Real replies, never self-written ones: the share of flagged drafts that a
click on "fix" would make sendable is what a helpdesk would see. Also
reported: warnings and errors removed on average, and how many replies got
an edit at all. Intervals are percentile bootstraps over replies.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .. import check, fix
from ..learned.corpus import load_real
from ..models import Severity
from .metrics import Interval, bootstrap


def _share(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def measure(lang: str, split: str) -> dict[str, object]:
    flagged = []
    for item in load_real(lang=lang, split=split):
        reply = item.reply
        report = check(reply.reply, customer=reply.customer, lang=lang, channel=reply.channel)
        serious = len(report.at_or_above(Severity.warning))
        if serious:
            flagged.append((reply, serious))
    out: dict[str, object] = {"lang": lang, "split": split, "flagged": len(flagged)}
    for level in ("safe", "unsafe"):
        clean, removed, edited = [], [], []
        for reply, serious in flagged:
            fixed = fix(reply.reply, customer=reply.customer, lang=lang, channel=reply.channel, unsafe=level == "unsafe")
            left = len(fixed.report.at_or_above(Severity.warning))
            clean.append(left == 0)
            removed.append(float(serious - left))
            edited.append(bool(fixed.edits))
        out[level] = {
            "made_clean": bootstrap(_share, [clean]).as_dict(),
            "warnings_removed_per_reply": bootstrap(_mean, [removed]).as_dict(),
            "edited": sum(edited),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = [measure(lang, args.split) for lang in ("it", "en")]
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return 0
    for row in results:
        print(f"{row['lang']} {row['split']}: {row['flagged']} flagged replies")
        for level in ("safe", "unsafe"):
            figures = row[level]
            clean = Interval(**figures["made_clean"])  # type: ignore[index]
            removed = Interval(**figures["warnings_removed_per_reply"])  # type: ignore[index]
            print(f"  {level:6} made clean {clean}  warnings removed/reply {removed}  edited {figures['edited']}")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())
