#!/usr/bin/env python3
"""Regenerate twitter_ericsson.jsonl from the fetched git dir of kechtel/ericsson (deterministic, no sampling).

Source: github kechtel/ericsson @ COMMIT (code + online appendix of Kecht et al., "Event Log Construction
from Customer Service Conversations Using Natural Language Inference", ICPM 2021). Its tweets come from
the Kaggle "Customer Support on Twitter" dataset (twcs.csv, Thought Vector, Oct-Dec 2017).

Taken: every company-authored (inbound == False) tweet in
  * data/labeled/twcs-{AmazonHelp,AppleSupport,SpotifyCares}-100-outbound.xlsx   (3 x 100, hand-labelled
    with process actions such as "Request DM", "Provide URL"; the labels set to 1 go to `source_labels`)
  * data/preprocessed/twcs-{...}-preprocessed-{183,116,56}.xlsx  (conversation samples; their agent
    tweets carry no labels, `source_labels` = null).
The data/preprocessed/entire-dataset/*.xlsx files (>= 4 MiB) and twcs.csv (Git LFS) are not in the snapshot.

`customer` is always null: the labelled outbound tweets come without the tweets they answer, and the
customer tweets in data/preprocessed were run through a spelling corrector by the repo's
preprocessing.py ("Spotify" -> "notify", ...), so they are not verbatim. The id of the tweet answered
is kept in the extra field `in_response_to_tweet_id`.

Repairs: html.unescape (&amp; &gt; &lt;) and ftfy.fix_encoding (no mojibake found). The repo's
preprocessing replaced line breaks inside tweets with a space; that cannot be undone here.

Usage: python twitter_ericsson_extract.py   (writes twitter_ericsson.jsonl, prints counts as JSON)
Needs: ftfy, lingua-language-detector, openpyxl.
"""
from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import ftfy
import openpyxl
from lingua import Language, LanguageDetectorBuilder

HERE = Path(__file__).resolve().parent
OUT = HERE / "twitter_ericsson.jsonl"
sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

REPO = "kechtel/ericsson"
GIT = "/work/.mirror/kechtel+ericsson/repo"
COMMIT = "77cee42"  # HEAD of the snapshot; resolved to the full hash at run time
COMPANIES = [("AmazonHelp", "Amazon"), ("AppleSupport", "Apple"), ("SpotifyCares", "Spotify")]
LICENCE = "GPL-3.0 (repository LICENSE file: GNU General Public License v3)"
META = {None, "main_tweet_id", "tweet_id", "in_response_to_tweet_id", "response_tweet_id", "created_at",
        "author_id", "inbound", "text", "company"}

HANDLE = re.compile(r"@\w+")
URL = re.compile(r"https?://\S+|www\.\S+")
INITIALS = re.compile(r"\^\s?[A-Za-z]{1,4}\b\.?|(?<!\w)/[A-Z]{2,3}\b|(?:^|\s|\W)-\s?[A-Z][a-z]{1,12}\s*$", re.M)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
PART = re.compile(r"(?<![\d/])\(?[1-3]\s?/\s?[2-3]\)?(?![\d/])")    # "(1/2)", "2/3"
NUMBERED = re.compile(r"^\d\s?[:.]\s")                              # Spotify's "1: ..." / "1. ..." parts
LEAD_HANDLES = re.compile(r"^(\s*@\w+)+\s*")

DETECTOR = LanguageDetectorBuilder.from_languages(
    Language.ENGLISH, Language.ITALIAN, Language.SPANISH, Language.FRENCH, Language.GERMAN,
    Language.PORTUGUESE, Language.DUTCH, Language.JAPANESE, Language.HINDI,
).build()


def git(*args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={GIT}", *args], check=True, capture_output=True).stdout


def repair(text: str) -> str:
    return ftfy.fix_encoding(html.unescape(text))


def core(text: str) -> str:
    t = URL.sub(" ", text)
    t = HANDLE.sub(" ", t)
    t = INITIALS.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip()


def lang_of(text: str) -> str:
    lang = DETECTOR.detect_language_of(core(text))
    return lang.iso_code_639_1.name.lower() if lang else "unknown"


def sheets(full: str):
    for co, brand in COMPANIES:
        lab = f"data/labeled/twcs-{co}-100-outbound.xlsx"
        yield lab, brand, True
    for co, brand in COMPANIES:
        names = git("ls-tree", "--name-only", full, "data/preprocessed/").decode().split()
        pre = [n for n in names if n.startswith(f"data/preprocessed/twcs-{co}-preprocessed-") and n.endswith(".xlsx")]
        assert len(pre) == 1, pre
        yield pre[0], brand, False


def main() -> None:
    full = git("rev-parse", COMMIT).decode().strip()
    stats = Counter()
    nonen = Counter()
    per_file = {}
    seen_tweet: set[str] = set()
    seen_reply: set[str] = set()
    kept = []
    for path, brand, labelled in sheets(full):
        ws = openpyxl.load_workbook(io.BytesIO(git("show", f"{full}:{path}")), read_only=True).active
        rows = ws.iter_rows(values_only=True)
        head = list(next(rows))
        fc = Counter()
        for rowno, vals in enumerate(rows, 2):
            d = dict(zip(head, vals))
            if d["inbound"] is not False:
                fc["customer_rows_skipped"] += 1
                continue
            stats["seen"] += 1
            fc["seen"] += 1

            def drop(reason: str) -> None:
                stats["drop_" + reason] += 1
                fc["drop_" + reason] += 1

            tid = str(d["tweet_id"])
            if tid in seen_tweet:
                drop("duplicate_tweet_id")
                continue
            seen_tweet.add(tid)
            reply = repair(str(d["text"] or ""))
            norm = " ".join(reply.split())
            if norm in seen_reply:
                drop("exact_duplicate")
                continue
            seen_reply.add(norm)
            if len(WORD.findall(core(reply))) < 3:
                drop("under_3_words")
                continue
            lang = lang_of(reply)
            if lang not in ("en", "it"):
                nonen[lang] += 1
                drop("language_not_en_it")
                continue
            body = LEAD_HANDLES.sub("", reply)
            if PART.search(reply) or NUMBERED.match(body):
                drop("multi_tweet_fragment")
                continue
            if overlaps(reply):
                drop("heldout_overlap")
                continue
            labels = [h for h in head if h not in META and d.get(h) in (1, 1.0, "1", True)] if labelled else None
            kept.append({"path": path, "rowno": rowno, "tid": tid, "brand": brand, "reply": reply, "lang": lang,
                         "labels": labels, "irt": d["in_response_to_tweet_id"]})
            fc["kept"] += 1
        per_file[path] = dict(fc)

    with OUT.open("w", encoding="utf-8") as fh:
        for n, e in enumerate(kept, 1):
            irt = e["irt"]
            rec = {
                "id": f"eri-{n}",
                "lang": e["lang"],
                "channel": "social",
                "customer": None,
                "reply": e["reply"],
                "source": f"{REPO}:{e['path']}#tweet_id={e['tid']}",
                "licence": LICENCE,
                "origin": "real",
                "company": e["brand"],
                "source_labels": e["labels"],
                "in_response_to_tweet_id": None if irt is None else str(int(irt)) if isinstance(irt, (int, float)) else str(irt),
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stats["kept"] = len(kept)
    stats["kept_labelled"] = sum(1 for e in kept if e["labels"] is not None)
    print(json.dumps({"commit": full, "stats": dict(stats), "per_file": per_file,
                      "non_en_it_by_language": dict(nonen.most_common()),
                      "kept_by_company": dict(Counter(e["brand"] for e in kept))}, indent=1))


if __name__ == "__main__":
    main()
