#!/usr/bin/env python3
"""Regenerate amazon_pairs.jsonl from the saved raw chunks (deterministic).

Source: gulshan29-kumar/customer-support-on-twitter, data/amazon_support_pairs.csv
(commit daea244853cda06f265f1616520495a78b4ce870, 11,943,718 chars, 29,765 rows per
the repo README). No git snapshot of the repo could be fetched here, so the file was read
through the search tool's read_file in 16,000-character windows. The windows read are
listed in OFFSETS: 0 plus 15 offsets drawn with random.Random(450).sample(range(1, 746), 15)
(x 16000). Each window's COMPLETE csv rows (partial rows at the window edges dropped)
were saved verbatim under raw/amazon_pairs/chunk_<offset>.csv.
 * chunk_0000000 and chunk_0512000 keep all 8 original columns;
 * the others keep customer_tweet_id, raw_customer_text, support_tweet_id, support_text,
   intent (customer_text is a cleaned copy of raw_customer_text; support_author_id and
   brand are constant "AmazonHelp") and, for rows whose agent reply is plainly neither
   English nor Italian, raw_customer_text was left empty (those rows are dropped anyway).

Usage: python amazon_pairs_extract.py   (writes amazon_pairs.jsonl + prints counts as JSON)
Needs: ftfy, lingua-language-detector.
"""
from __future__ import annotations

import csv
import difflib
import html
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import ftfy
from lingua import Language, LanguageDetectorBuilder

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw" / "amazon_pairs"
OUT = HERE / "amazon_pairs.jsonl"
sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

REPO = "gulshan29-kumar/customer-support-on-twitter"
PATH = "data/amazon_support_pairs.csv"
COMMIT = "daea244853cda06f265f1616520495a78b4ce870"
OFFSETS = [0] + [k * 16000 for k in sorted(random.Random(450).sample(range(1, 11943718 // 16000), 15))]
SEED = 20240450
TARGET = 450
CANNED_CAP = 3          # at most this many near-identical replies per template
NEAR = 0.85             # difflib ratio on normalised text for "near-identical"

HANDLE = re.compile(r"@\w+")
URL = re.compile(r"https?://\S+|www\.\S+")
INITIALS = re.compile(r"\^\s?[A-Za-z]{1,4}\b\.?|^\s*-\s?[A-Z][a-z]+ [A-Z]\.?\s*$|- [A-Z][a-z]+ [A-Z]\b", re.M)
PART = re.compile(r"(?<![\d/])\(?[1-3]\s?/\s?[2-3]\)?(?![\d/])")
WORD = re.compile(r"[^\W_]+", re.UNICODE)

DETECTOR = LanguageDetectorBuilder.from_languages(
    Language.ENGLISH, Language.ITALIAN, Language.SPANISH, Language.FRENCH, Language.GERMAN,
    Language.PORTUGUESE, Language.JAPANESE, Language.DUTCH, Language.HINDI,
).build()


def repair(text: str) -> str:
    """Encoding repair only: HTML entities and mojibake. Quotes, spacing, emoji untouched."""
    return ftfy.fix_encoding(html.unescape(text))


def core(text: str) -> str:
    """Reply without handles, links and agent initials (for word counts / language / dedupe)."""
    t = URL.sub(" ", text)
    t = HANDLE.sub(" ", t)
    t = INITIALS.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip()


def lang_of(text: str) -> str:
    c = core(text)
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", c):
        return "ja"
    lang = DETECTOR.detect_language_of(c)
    return {None: "unknown"}.get(lang, lang.iso_code_639_1.name.lower() if lang else "unknown")


def norm_key(text: str) -> str:
    return " ".join(WORD.findall(core(text).lower()))


def load_rows():
    rows = []
    for off in OFFSETS:
        f = RAW / f"chunk_{off:07d}.csv"
        with f.open(encoding="utf-8", newline="") as fh:
            for i, r in enumerate(csv.DictReader(fh)):
                rows.append((off, i, r))
    return rows


def main() -> None:
    stats = Counter()
    nonen = Counter()
    seen_reply = set()
    seen_tweet = set()
    eligible = []
    for off, i, r in load_rows():
        stats["seen"] += 1
        if r["support_tweet_id"] in seen_tweet:
            stats["drop_duplicate_row"] += 1
            continue
        seen_tweet.add(r["support_tweet_id"])
        reply = repair(r["support_text"])
        ws = " ".join(reply.split())
        if ws in seen_reply:
            stats["drop_exact_duplicate"] += 1
            continue
        seen_reply.add(ws)
        if len(WORD.findall(core(reply))) < 3:
            stats["drop_under_3_words"] += 1
            continue
        lang = lang_of(reply)
        if lang not in ("en", "it"):
            nonen[lang] += 1
            stats["drop_language_not_en_it"] += 1
            continue
        if PART.search(reply):
            stats["drop_multi_tweet_fragment"] += 1
            continue
        if overlaps(reply):
            stats["drop_heldout_overlap"] += 1
            continue
        cust = repair(r.get("raw_customer_text") or "").strip() or None
        eligible.append({"off": off, "i": i, "row": r, "reply": reply, "customer": cust, "lang": lang})
    stats["eligible"] = len(eligible)

    # deterministic variety-preferring sample: shuffle, cap near-identical templates, take TARGET
    order = list(range(len(eligible)))
    random.Random(SEED).shuffle(order)
    reps: list[tuple[str, int]] = []   # (normalised text, count)
    chosen = []
    for k in order:
        key = norm_key(eligible[k]["reply"])
        hit = None
        for j, (rk, n) in enumerate(reps):
            if difflib.SequenceMatcher(None, key, rk, autojunk=False).ratio() >= NEAR:
                hit = j
                break
        if hit is not None:
            if reps[hit][1] >= CANNED_CAP:
                stats["drop_canned_over_cap"] += 1
                continue
            reps[hit] = (reps[hit][0], reps[hit][1] + 1)
        else:
            reps.append((key, 1))
        if len(chosen) >= TARGET:
            stats["not_sampled_over_target"] += 1
            continue
        chosen.append(eligible[k])
    chosen.sort(key=lambda e: (OFFSETS.index(e["off"]), e["i"]))

    with OUT.open("w", encoding="utf-8") as fh:
        for n, e in enumerate(chosen, 1):
            rec = {
                "id": f"amz-{n}",
                "lang": e["lang"],
                "channel": "social",
                "customer": e["customer"],
                "reply": e["reply"],
                "source": f"{REPO}:{PATH}#support_tweet_id={e['row']['support_tweet_id']}@{COMMIT[:12]}",
                "licence": "unstated",
                "origin": "real",
                "company": "Amazon",
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stats["kept"] = len(chosen)
    stats["kept_it"] = sum(1 for e in chosen if e["lang"] == "it")
    print(json.dumps({"stats": dict(stats), "non_en_it_by_language": dict(nonen.most_common())}, indent=1))


if __name__ == "__main__":
    main()
