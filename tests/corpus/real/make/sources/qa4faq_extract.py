#!/usr/bin/env python3
"""Regenerate qa4faq.jsonl from the fetched git dir of
alessandro9110/QA-4FAQ---Question-Answering-for-Frequently-Asked-Questions.

Input : Dataset/faqs_uft8_QA.csv (EVALITA 2016 QA4FAQ FAQ collection, ';'-separated,
        columns id;question;answer;tag), read with `git show <rev>:<path>`.
Output: /work/corpus_build/qa4faq.jsonl (+ counts on stdout)

Deterministic: rows are processed in file order; the first occurrence of an answer
(after whitespace normalisation) is kept.

Usage: python qa4faq_extract.py [GIT_DIR] [REV]
"""
from __future__ import annotations

import collections
import csv
import html
import io
import json
import subprocess
import sys

sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

REPO = "alessandro9110/QA-4FAQ---Question-Answering-for-Frequently-Asked-Questions"
GIT_DIR = "/work/.mirror/alessandro9110+QA-4FAQ---Question-Answering-for-Frequently-Asked-Questions/repo"
PATH = "Dataset/faqs_uft8_QA.csv"
OUT = "/work/corpus_build/qa4faq.jsonl"
LICENCE = "unstated"
MOJIBAKE = {"â€™": "’", "â€˜": "‘", "â€œ": "“", "â€\x9d": "”", "â€“": "–", "â€”": "—",
            "Ã¨": "è", "Ã©": "é", "Ã ": "à", "Ã¹": "ù", "Ã²": "ò", "Ã¬": "ì", "Ãˆ": "È"}


def repair(s: str) -> str:
    """Encoding repair only: CRLF -> LF, mojibake, HTML entities."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    for bad, good in MOJIBAKE.items():
        s = s.replace(bad, good)
    return html.unescape(s)


def main() -> None:
    git_dir = sys.argv[1] if len(sys.argv) > 1 else GIT_DIR
    rev = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    commit = subprocess.check_output(["git", f"--git-dir={git_dir}", "rev-parse", rev], text=True).strip()
    raw = subprocess.check_output(["git", f"--git-dir={git_dir}", "show", f"{commit}:{PATH}"])
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=";"))

    counts = collections.Counter(seen=len(rows))
    seen_norm: set[str] = set()
    out = []
    for r in rows:
        reply = repair(r["answer"]).strip()
        question = repair(r["question"]).strip() or None
        norm = " ".join(reply.split())
        if len(reply.split()) < 3:
            counts["dropped_under_3_words"] += 1
            continue
        if norm in seen_norm:
            counts["dropped_exact_duplicate"] += 1
            continue
        seen_norm.add(norm)
        if overlaps(reply):
            counts["dropped_heldout_overlap"] += 1
            continue
        out.append({
            "id": f"faq-{len(out) + 1}",
            "lang": "it",
            "channel": "email",
            "customer": question,
            "reply": reply,
            "source": f"{REPO}:{PATH}#id={r['id']}@{commit[:12]}",
            "licence": LICENCE,
            "origin": "real",
            "company": "Acquedotto Pugliese",
        })
    counts["kept"] = len(out)
    with open(OUT, "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(json.dumps(dict(counts), indent=1))


if __name__ == "__main__":
    main()
