"""Quality benchmark (not a test): precision, recall and F1 per language and category.

    python benchmarks/quality.py [--lang it|en] [--corpus DIR] [--rules] [--errors]

Runs every reply of the labelled corpus (`tests/corpus/<lang>.jsonl`) through
`replylint.check()` with the default configuration and compares the
categories flagged at warning or above with the labels. Also prints LATTE
step detection, per-rule precision (how often a rule's finding agrees with
the labels) and how good and bad replies spread over the five service levels.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replylint.evaluation import Evaluation, evaluate, load_corpus, table  # noqa: E402
from replylint.models import LATTE_STEPS, Level  # noqa: E402

CATEGORIES = ("negative", "latte", "promise", "structure", "readability", "deflection", "tone")


def report(lang: str, ev: Evaluation, show_rules: bool, show_errors: bool) -> None:
    print(f"\n== {lang}: {ev.items} replies ==")
    print(table(ev, CATEGORIES))
    print("\nLATTE step detection (against the corpus's step labels)")
    print(f"{'step':<13}{'precision':>10}{'recall':>8}")
    for step in LATTE_STEPS:
        c = ev.latte_steps[step]
        print(f"{step:<13}{c.precision:>10.2f}{c.recall:>8.2f}")
    print("\nService levels (rows: corpus quality; columns: level replylint gave)")
    levels = [level.value for level in Level]
    print(f"{'':<6}" + "".join(f"{name[:13]:>15}" for name in levels))
    for quality in ("good", "bad"):
        row = ev.levels.get(quality, {})
        print(f"{quality:<6}" + "".join(f"{row.get(name, 0):>15}" for name in levels))
    good = ev.levels.get("good", {})
    bad = ev.levels.get("bad", {})
    top = sum(good.get(n, 0) for n in ("stellar", "above_average"))
    bottom = sum(bad.get(n, 0) for n in ("unacceptable", "below_average"))
    print(f"good replies in the top two levels: {top}/{sum(good.values())}; "
          f"bad replies in the bottom two: {bottom}/{sum(bad.values())}")
    if show_rules:
        print("\nPer-rule precision (replies where the rule fired at warning+)")
        for code, c in sorted(ev.rules.items()):
            print(f"{code:<8}{c.tp + c.fp:>5} fired {c.precision:>6.2f}")
    if show_errors:
        print("\nDisagreements (id: expected → got)")
        for item_id, expected, got in ev.errors:
            print(f"{item_id}: {sorted(expected)} → {sorted(got)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=("it", "en"), action="append")
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--rules", action="store_true", help="per-rule precision")
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    os.environ.setdefault("REPLYLINT_NLP", "blank")
    for lang in args.lang or ("it", "en"):
        path = args.corpus / f"{lang}.jsonl"
        if not path.is_file():
            print(f"{path}: no corpus for {lang}")
            continue
        report(lang, evaluate(load_corpus(path)), args.rules, args.errors)


if __name__ == "__main__":
    main()
