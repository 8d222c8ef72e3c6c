"""Compare the check speed of two commits, interleaved in one run (not a test).

    python benchmarks/compare.py BASE_REV [--rounds 6] [--replies 300]

Checks out BASE_REV into a temporary git worktree and times the same
generated replies (both languages, `benchmarks/replies.py` from this tree)
with the base code and with the working tree, alternating base/new each
round so that the machine's slow and fast moments fall on both. Each round
is a fresh process per side that loads replylint, warms up, then times
every reply's check; the figure per round is the median per-reply time.
Prints per-round medians, the median over rounds and the ratio new/base.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time, statistics
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
from replies import generate
import replylint
replylint.load()
texts = [(t, "it") for t in generate("it", int(sys.argv[3]), seed=11)] + [(t, "en") for t in generate("en", int(sys.argv[3]), seed=11)]
for t, l in texts[:40]:
    replylint.check(t, lang=l)
times = []
for t, l in texts:
    t0 = time.perf_counter()
    replylint.check(t, lang=l)
    times.append(time.perf_counter() - t0)
print(json.dumps({"median_ms": statistics.median(times) * 1000, "mean_ms": statistics.fmean(times) * 1000}))
"""


def _run(tree: Path, replies: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(ROOT / "benchmarks"), str(replies)],
        check=True, capture_output=True, text=True, cwd=tree,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--replies", type=int, default=300, help="replies per language")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], check=True, cwd=ROOT,
                       capture_output=True)
        try:
            results: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
            for round_no in range(args.rounds):
                order = (("base", base), ("new", ROOT)) if round_no % 2 == 0 else (("new", ROOT), ("base", base))
                for name, tree in order:
                    results[name].append(_run(tree, args.replies))
                print(f"round {round_no + 1}: base {results['base'][-1]['median_ms']:.2f} ms, "
                      f"new {results['new'][-1]['median_ms']:.2f} ms")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
    for stat in ("median_ms", "mean_ms"):
        b = statistics.median(r[stat] for r in results["base"])
        n = statistics.median(r[stat] for r in results["new"])
        print(f"{stat}: base {b:.2f}, new {n:.2f}, new/base {n / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
