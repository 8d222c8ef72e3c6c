"""Memory soak (not a test): RSS over many checks of replies that keep bringing new words.

    pip install '.[bench]' && python benchmarks/soak.py [--checks 200000] [--every 10000]

A pre-send hook sees new names, order numbers and words all day. This checks
replies built from fresh random words (alternating Italian and English, with a
customer message) and prints, every `--every` checks, the process's RSS, the
spaCy StringStore and vocabulary sizes per language, and the growth per check
since the previous line and since check 20,000 (the reliability goal: under
50 MiB from 20,000 to 200,000 checks). No reply text is printed.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import replylint  # noqa: E402
from replylint.text.nlp import pipeline  # noqa: E402


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10)))


def _reply(rng: random.Random, lang: str) -> tuple[str, str]:
    name, number = _word(rng).title(), rng.randint(10_000, 99_999_999)
    if lang == "it":
        return (f"Ciao {name}, il tuo ordine {number} è partito ieri: {_word(rng)} {_word(rng)}. Grazie!",
                f"Dov'è il mio ordine {number}? {_word(rng)}")
    return (f"Hi {name}, your order {number} shipped yesterday: {_word(rng)} {_word(rng)}. Thanks!",
            f"Where is order {number}? {_word(rng)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", type=int, default=200_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    replylint.load()
    process, rng = psutil.Process(), random.Random(args.seed)
    previous = reference = None
    started = time.perf_counter()
    print(f"{'checks':>8} {'RSS MiB':>8} {'KB/check':>9} {'since 20k MiB':>14} {'strings it/en':>16} {'vocab it/en':>16}")
    for i in range(args.checks + 1):
        if i % args.every == 0:
            rss = process.memory_info().rss / 2**20
            per_check = "" if previous is None or i == 0 else f"{(rss - previous) * 1024 / args.every:.2f}"
            if i >= 20_000 and reference is None:
                reference = rss
            since = "" if reference is None else f"{rss - reference:+.1f}"
            strings = "/".join(str(len(pipeline(lang).vocab.strings)) for lang in ("it", "en"))
            vocab = "/".join(str(len(pipeline(lang).vocab)) for lang in ("it", "en"))
            print(f"{i:>8} {rss:>8.0f} {per_check:>9} {since:>14} {strings:>16} {vocab:>16}", flush=True)
            previous = rss
        lang = "it" if i % 2 else "en"
        reply, customer = _reply(rng, lang)
        replylint.check(reply, customer=customer, lang=lang)
    print(f"{args.checks} checks in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
