"""Measure every rule on the real corpus's dev split and write `rules/measured.json`.

    python -m replylint.evaluation.rule_figures [--corpus tests/corpus/real] [--split dev] [--out rules/measured.json]

Every rule is selected (those off by default included), each reply is
checked, and for each (code, language): how many replies it flagged at
warning or above, how many of those a reviewer labelled with its category
(precision), and how many of the replies labelled with that category it
flagged (recall). The engine reads the file: a rule under 0.90 precision
there is off by default. `test` is never measured here. A rule of a
category the labels do not have (`quality`: spelling) gets its replies
flagged but no precision or recall; its precision comes from a labelled
sample of its flags instead (README, "Spelling").

Learned rules (kind `learned`) stay silent where a pattern rule of their
category already fired, so their record depends on which pattern rules run
beside them. They are measured in a second pass, beside the pattern rules
that stay on by default after the first, which is how they run for users;
measured beside every pattern rule they would be judged on the leftovers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from ..core.measured import MEASURED_FILE, MIN_FIRED, PRECISION_FLOOR, below_floor
from ..core.packs import default_packs_dir
from ..learned.corpus import DEFAULT_ROOT, RealItem, load_real
from ..models import Severity
from .real import CATEGORY_MAP


def measure(root: Path, lang: str, split: str) -> dict[str, object]:
    from ..engine import get_engine

    rules = [r for r in get_engine().rules if r.lang == lang]
    category = {r.code: CATEGORY_MAP.get(r.category.value) for r in rules}
    learned = sorted({r.code for r in rules if r.kind == "learned"})
    items = load_real(root, lang=lang, split=split)
    figures = _figures(items, lang, sorted(category), category)
    if learned:
        kept = sorted(
            r.code for r in rules
            if r.kind != "learned" and r.enabled and not _below_floor(figures[r.code])  # type: ignore[arg-type]
        )
        second = _figures(items, lang, kept + learned, category)
        figures.update({code: second[code] for code in learned})
    return {"replies": len(items), "rules": figures}


def _below_floor(values: dict[str, object]) -> bool:
    return below_floor(values["precision"], values["fired"])  # type: ignore[arg-type]


def _figures(items: list[RealItem], lang: str, codes: list[str], category: dict[str, str | None]) -> dict[str, dict[str, object]]:
    """Per selected code: replies flagged, how many on target, precision and recall."""
    from .. import check

    fired: Counter[str] = Counter()
    on_target: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    for item in items:
        for name in item.labels.expect:
            labelled[name] += 1
        report = check(item.reply.reply, customer=item.reply.customer, lang=lang, channel=item.reply.channel,
                       config={"select": codes})
        for code in {f.code for f in report.findings if f.severity.rank >= Severity.warning.rank}:
            fired[code] += 1
            on_target[code] += category.get(code) in item.labels.expect
    figures = {}
    for code in codes:
        wanted = labelled[category[code]] if category[code] else 0
        figures[code] = {
            "category": category[code],
            "fired": fired[code],
            "on_target": on_target[code],
            "labelled": wanted,
            # A category the reviewers' labels do not have (quality: spelling, an unused accept
            # marker) cannot be measured against them: no precision, so no verdict on the rule.
            "precision": round(on_target[code] / fired[code], 4) if fired[code] and category[code] else None,
            "recall": round(on_target[code] / wanted, 4) if wanted else None,
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--out", type=Path, default=default_packs_dir() / MEASURED_FILE)
    args = parser.parse_args(argv)
    if not (args.corpus / "replies.jsonl").is_file():
        print(f"rule_figures: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if args.out.exists():
        args.out.unlink()  # measure every rule with its own default, not last run's
    from ..engine import checker

    checker._engines.clear()
    payload = {
        "split": args.split,
        "precision_floor": PRECISION_FLOOR,
        "min_fired": MIN_FIRED,
        "note": "warning-or-above findings on labelled real replies; written by replylint.evaluation.rule_figures",
        "languages": {lang: measure(args.corpus, lang, args.split) for lang in ("it", "en")},
    }
    args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for lang, block in payload["languages"].items():  # type: ignore[union-attr]
        low = [code for code, values in block["rules"].items() if _below_floor(values)]
        print(f"{lang}: {block['replies']} replies; off by default (precision < {PRECISION_FLOOR}): {', '.join(low) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
