"""Quality benchmark (not a test): replylint's judgement against reviewers' labels on REAL replies.

    python benchmarks/quality.py [--split dev|test|train|all] [--lang it|en] [--format text|json]
                                 [--rules] [--errors N] [--no-synthetic]

The real corpus (`tests/corpus/real/`) is the measure: per language and
category precision, recall and F1 with 95% bootstrap intervals, per-rule
precision (how often a code's warning lands on a reply labelled with its
category) and support, LATTE step agreement on complaint replies, service
levels (exact, within ±1, quadratic weighted κ) and a breakdown by channel,
with the two labellers' own agreement beside them: it is the ceiling.
Findings count as flags at warning and error only.

The `test` split is read only to report: never choose a pattern, a
threshold or a weight by looking at it. Tune on `train`, check on `dev`.

The self-written corpus (`tests/corpus/*.jsonl`) is still reported, below
the real figures and marked as such: its replies were written by the
project, so its figures say the rules do what their authors meant, not
that they judge real replies well.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replylint.evaluation import evaluate, load_corpus, table  # noqa: E402
from replylint.evaluation.real import (  # noqa: E402
    DEFAULT_ROOT,
    GUIDE_CATEGORIES,
    STEPS,
    Figures,
    figures,
    judge_all,
    labeller_agreement,
    load_real,
)

LEVEL_NAMES = ("1 unacc.", "2 below", "3 avg", "4 above", "5 stellar")


def _fmt(interval: dict) -> str:
    value, low, high = interval["value"], interval["low"], interval["high"]
    if value is None:
        return "–"
    return f"{value:.2f}" if low is None else f"{value:.2f} [{low:.2f}–{high:.2f}]"


def render(lang: str, split: str, fig: Figures, ceiling: dict, show_rules: bool) -> str:
    data = fig.as_dict()
    out = [f"\n== {lang} · {split} split · {fig.replies} real replies"
           + (f" ({fig.unchecked} not checked: other language)" if fig.unchecked else "") + " =="]
    out.append(f"{'category':<11}{'support':>8}{'flagged':>8}  {'precision':<19}{'recall':<19}{'F1':<19}{'labellers κ':<12}")
    for name in GUIDE_CATEGORIES:
        c = data["categories"][name]
        kappa = ceiling["categories"][name]["kappa"]["value"]
        out.append(f"{name:<11}{c['support']:>8}{c['flagged']:>8}  {_fmt(c['precision']):<19}{_fmt(c['recall']):<19}"
                   f"{_fmt(c['f1']):<19}{'–' if kappa is None else f'{kappa:.2f}':<12}")
    levels = data["levels"]
    out.append(f"\nlevels ({levels['replies']} replies): exact {_fmt(levels['exact'])} · within ±1 "
               f"{_fmt(levels['within_one'])} · quadratic weighted κ {_fmt(levels['qwk'])}"
               f"  (labellers: exact {ceiling['levels']['exact']}, ±1 {ceiling['levels']['within_one']}, "
               f"κw {_fmt(ceiling['levels']['qwk'])})")
    out.append("confusion (rows: reviewer's level, columns: replylint's):")
    out.append(f"{'':<11}" + "".join(f"{n:>10}" for n in LEVEL_NAMES))
    for name, row in zip(LEVEL_NAMES, levels["confusion"]):
        out.append(f"{name:<11}" + "".join(f"{v:>10}" for v in row))
    steps = data["latte_steps"]
    out.append(f"\nLATTE steps on complaint replies ({steps['listen']['replies']}): agreement [95% CI] · κ · "
               "labelled/found present · labellers κ")
    for step in STEPS:
        s = steps[step]
        kappa = ceiling["latte_steps"][step]["kappa"]["value"]
        out.append(f"  {step:<12}{_fmt(s['agreement']):<19}{'–' if s['kappa'] is None else format(s['kappa'], '.2f'):>6}"
                   f"  {s['labelled_present']:>4}/{s['found_present']:<4}  {'–' if kappa is None else f'{kappa:.2f}'}")
    out.append("\nby channel: replies · per category flagged/support/true positives · level exact, ±1")
    for channel, c in data["channels"].items():
        cats = " ".join(f"{n[:4]} {v['flagged']}/{v['support']}/{v['tp']}" for n, v in c["categories"].items())
        exact = c["level_exact"]
        within = c["level_within_one"]
        out.append(f"  {channel:<7}{c['replies']:>5}  {cats}  · {exact if exact is None else round(exact, 2)}, "
                   f"{within if within is None else round(within, 2)}")
    if show_rules:
        out.append("\nper rule (warning+): fired · on a reply labelled with its category · precision")
        for code, r in data["rules"].items():
            out.append(f"  {code:<8}{str(r['category']):<11}{r['fired']:>5}{r['on_target']:>5}  {r['precision']:.2f}")
    return "\n".join(out)


def errors(items, judgements, limit: int) -> str:  # type: ignore[no-untyped-def]
    """The first disagreements: ids only, with expected and flagged categories (no reply text)."""
    out = ["\ndisagreements (id: labelled → flagged):"]
    shown = 0
    for item, judgement in zip(items, judgements):
        expected = set(item.labels.expect)
        if expected != set(judgement.flagged) and shown < limit:
            out.append(f"  {item.reply.id}: {sorted(expected)} → {sorted(judgement.flagged)}")
            shown += 1
    return "\n".join(out)


def synthetic(langs: list[str]) -> str:
    out = ["\n== self-written corpus (tests/corpus/*.jsonl) — written by the project: regression cases, "
           "not evidence of quality =="]
    for lang in langs:
        for name, path in (("tuning", ROOT / "tests" / "corpus" / f"{lang}.jsonl"),
                           ("held-out", ROOT / "tests" / "corpus" / "holdout" / f"{lang}.jsonl")):
            if path.is_file():
                ev = evaluate(load_corpus(path))
                out.append(f"\n{lang} {name} ({ev.items} replies)")
                out.append(table(ev))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("train", "dev", "test", "all"), default="dev")
    parser.add_argument("--lang", choices=("it", "en"), action="append")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_ROOT, help="the real corpus folder")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--rules", action="store_true", help="per-rule precision")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the first N disagreements (ids)")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the self-written corpus")
    args = parser.parse_args(argv)
    if not (args.corpus / "replies.jsonl").is_file():
        print(f"quality.py: no real corpus at {args.corpus}", file=sys.stderr)
        return 2
    os.environ.setdefault("REPLYLINT_NLP", "blank")
    langs = args.lang or ["it", "en"]
    split = None if args.split == "all" else args.split
    payload: dict[str, object] = {"split": args.split, "languages": {}}
    for lang in langs:
        items = load_real(args.corpus, lang=lang, split=split)
        if not items:
            print(f"no labelled real {lang} replies in the {args.split} split", file=sys.stderr)
            continue
        judgements = judge_all(items)
        fig = figures(items, judgements)
        ceiling = labeller_agreement(args.corpus, lang=lang, split=split)
        payload["languages"][lang] = {"figures": fig.as_dict(), "labellers": ceiling}  # type: ignore[index]
        if args.format == "text":
            print(render(lang, args.split, fig, ceiling, args.rules))
            if args.errors:
                print(errors(items, judgements, args.errors))
    if args.format == "json":
        sys.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    elif not args.no_synthetic:
        print(synthetic(langs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
