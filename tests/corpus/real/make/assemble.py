"""Assemble `tests/corpus/real/replies.jsonl` from the per-source candidate files.

    python tests/corpus/real/make/assemble.py CANDIDATES_DIR [--out tests/corpus/real/replies.jsonl]

Each candidate file (`<source>.jsonl`, written by that source's
`*_extract.py` from a snapshot of the public repository it names) holds
real replies in the corpus schema. This script, deterministically:

1. drops every reply that overlaps replylint's held-out evaluation set
   (`../shared/heldout/check.py`), empty replies and exact duplicates;
2. fills the anonymisation tokens some datasets put in place of names,
   links and numbers (`#PRS_ORG#`, `NAME-M`, `URL`…) with plain fillers, so
   that a reviewer and replylint read a reply as it was sent, not as an
   unfilled template; nothing else in a reply is changed;
3. drops template copies: replies equal once names, ids, numbers, links,
   handles and agent initials are masked count once (the first, in id order);
4. samples each source down to its quota (`QUOTA`, a seeded sample per
   source), chosen so that no source is over 40% of its language;
5. assigns splits by source: per language one whole source goes to `test`
   only (`TEST_ONLY`), and the other sources are split 60/20/20 into
   train/dev/test by a hash of their group (conversation, thread, company),
   so that no conversation or thread spans two splits.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent
HELDOUT = REAL.parents[3] / "shared" / "heldout" / "check.py"  # ../shared from the repository
SEED = 20261205
MAX_SHARE = 0.40
# Replies taken from a source at most (two labellers each label every one): chosen so that no
# source is over 40% of its language; a source not listed is taken whole.
QUOTA = {"wmt": 520, "amz": 420, "tws": 420, "eri": 250, "faq": 250}
FIELDS = ("id", "lang", "channel", "customer", "reply", "source", "licence", "origin", "company")

# One source per language goes wholly to the test split: replies of an organisation the
# rules were never tuned on. Chosen before any label was read.
TEST_ONLY = {"en": "eri", "it": "anpr"}

# Anonymisation tokens of the WMT chat data → fillers (a reply as sent had a real value there).
FILLERS = {
    "#PRS_ORG#": "Acme", "#NAME#": "Sam", "NAME-M": "Mark", "NAME-F": "Anna", "#NUMBER#": "40213",
    "#EMAIL#": "help@example.com", "EMAIL": "help@example.com", "#PHONENUMBER#": "0800 123 456",
    "PHONENUMBER": "0800 123 456", "#URL#": "https://example.com/help", "URL": "https://example.com/help",
    "#ADDRESS#": "1 High Street", "#ALPHANUMERIC_ID#": "AB12345", "#DEVICEID#": "DEV-0001",
}
_FILLER = re.compile("|".join(re.escape(k) + (r"\b" if k[-1].isalnum() else "") for k in
                              sorted(FILLERS, key=len, reverse=True)))

_MASKS = [
    (re.compile(r"https?://\S+|www\.\S+"), " L "),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), " E "),
    (re.compile(r"[@#]\w+"), " H "),
    (re.compile(r"(?<![\w^])[\^*-]\s?[A-Z]{1,3}\b"), " "),  # agent initials: ^JK, -AB, *MS
    (re.compile(r"\d[\d.,:/-]*"), " 0 "),
]
_WORD = re.compile(r"[^\W_]+")


def _heldout():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("heldout_check", HELDOUT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.overlaps


def template_key(reply: str) -> str:
    """A reply with what varies between copies of one template masked: links, addresses, handles,
    initials, numbers, and capitalised words after the first word of a sentence (names)."""
    text = reply
    for pattern, repl in _MASKS:
        text = pattern.sub(repl, text)
    words = []
    sentence_start = True
    for match in _WORD.finditer(text):
        word = match.group()
        if not sentence_start and word[:1].isupper():
            word = "N"
        words.append(word.lower())
        tail = text[match.end(): match.end() + 2]
        sentence_start = any(ch in ".!?\n" for ch in tail)
    return " ".join(words)


def group_of(record: dict) -> str:
    """What must stay in one split: a conversation, an issue thread, a tweet thread, else the reply."""
    source = record["source"]
    for pattern in (r"#([^:]+):\d+$",  # WMT: doc_id:turn
                    r"^([^#]+#\d+)"):  # issue trackers: owner/repo#issue
        found = re.search(pattern, source)
        if found:
            return found.group(1)
    return record["id"]


def assign_split(group: str) -> str:
    bucket = int(hashlib.sha1(f"{SEED}:{group}".encode()).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "test"


def load_candidates(folder: Path) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                record = json.loads(line)
                missing = [f for f in FIELDS if f not in record]
                if missing:
                    raise SystemExit(f"{path}:{number}: missing fields {missing}")
                records.append(record)
    return records


def assemble(records: list[dict]) -> tuple[list[dict], dict]:
    overlaps = _heldout()
    stats: dict[str, Counter] = defaultdict(Counter)
    kept: list[dict] = []
    seen_exact: set[tuple[str, str]] = set()
    seen_template: set[tuple[str, str]] = set()
    for record in sorted(records, key=lambda r: r["id"]):
        prefix = record["id"].split("-")[0]
        if record.get("origin", "real") != "real":
            stats[prefix]["not real"] += 1
            continue
        reply = record["reply"]
        if not reply or not reply.strip():
            stats[prefix]["empty"] += 1
            continue
        if overlaps(reply):
            stats[prefix]["held-out overlap"] += 1
            continue
        exact = (record["lang"], " ".join(reply.split()))
        if exact in seen_exact:
            stats[prefix]["exact duplicate"] += 1
            continue
        seen_exact.add(exact)
        filled = _FILLER.sub(lambda m: FILLERS[m.group()], reply)
        key = (record["lang"], template_key(filled))
        if key in seen_template:
            stats[prefix]["template copy"] += 1
            continue
        seen_template.add(key)
        out = {f: record.get(f) for f in FIELDS}
        out["reply"] = filled
        if out["customer"]:
            out["customer"] = _FILLER.sub(lambda m: FILLERS[m.group()], out["customer"])
        if filled != reply:
            out["filled"] = True  # anonymisation tokens replaced by fillers
        kept.append(out)
        stats[prefix]["kept"] += 1
    capped = _cap(kept, stats)
    for record in capped:
        prefix = record["id"].split("-")[0]
        record["split"] = "test" if TEST_ONLY.get(record["lang"]) == prefix else assign_split(group_of(record))
    capped.sort(key=lambda r: (r["lang"], r["id"]))
    return capped, stats


def _cap(records: list[dict], stats: dict[str, Counter]) -> list[dict]:
    """Sample each source down to its quota (a seeded sample of its own: independent of the other
    sources, so a source's labelled replies stay the same when another source is added)."""
    out = []
    by_source: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_source[record["id"].split("-")[0]].append(record)
    for source, items in sorted(by_source.items()):
        quota = QUOTA.get(source, len(items))
        chosen = items if quota >= len(items) else random.Random(f"{SEED}:{source}").sample(items, quota)
        stats[source]["over the quota"] += len(items) - len(chosen)
        stats[source]["kept"] -= len(items) - len(chosen)
        out.extend(chosen)
    return out


def over_the_cap(records: list[dict]) -> list[str]:
    """Sources over MAX_SHARE of their language's replies."""
    problems = []
    for lang in sorted({r["lang"] for r in records}):
        counts = Counter(r["id"].split("-")[0] for r in records if r["lang"] == lang)
        total = sum(counts.values())
        problems += [f"{lang}: {source} is {n / total:.0%} of {total}" for source, n in counts.items()
                     if n > MAX_SHARE * total]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", type=Path)
    parser.add_argument("--out", type=Path, default=REAL / "replies.jsonl")
    args = parser.parse_args(argv)
    records, stats = assemble(load_candidates(args.candidates))
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    for source, counts in sorted(stats.items()):
        print(f"{source:<6}" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for problem in over_the_cap(records):
        print("over the 40% cap:", problem)
    by = Counter((r["lang"], r["split"]) for r in records)
    print("sizes:", dict(sorted(by.items())), "total", len(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
