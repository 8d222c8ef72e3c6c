#!/usr/bin/env python3
"""Regenerate twitter_sophie.jsonl from the fetched git dir of Sophie-X31/JSC270-Assignment4 (deterministic).

Source: github Sophie-X31/JSC270-Assignment4 @ COMMIT, the seven per-brand CSV files
(AirAsiaSupport, AppleSupport, AskRBC, McDonalds, NikeSupport, SpotifyCares, Walmart).
They are brand-authored (inbound = FALSE) tweets cut from the Kaggle "Customer Support on
Twitter" dataset (twcs.csv, Thought Vector, Oct-Dec 2017), which the repo's notebook cites.
The customer tweets are NOT in the repo, so `customer` is always null; the id of the tweet
answered is kept in the extra field `in_response_to_tweet_id` so it can be paired later.

The CSVs were re-saved with a BOM after being decoded as Windows-1252, so every non-ASCII
character is mojibake ("â€™" for "’", "ðŸ˜Š" for an emoji). The repair reverses exactly
that step for the whole string (encode with ftfy's sloppy-windows-1252, decode UTF-8; ftfy's
fix_encoding is only a fallback and was never needed), then html.unescape (&amp; &gt; &lt;).
Nothing else is changed: typos, spacing, line breaks, @handles, agent initials stay.

Usage: python twitter_sophie_extract.py   (writes twitter_sophie.jsonl, prints counts as JSON)
Needs: ftfy, lingua-language-detector, openpyxl (to read the kechtel/ericsson tweet ids).
"""
from __future__ import annotations

import csv
import difflib
import html
import io
import json
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252"
import openpyxl
from lingua import Language, LanguageDetectorBuilder

HERE = Path(__file__).resolve().parent
OUT = HERE / "twitter_sophie.jsonl"
sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

REPO = "Sophie-X31/JSC270-Assignment4"
GIT = "/work/.mirror/Sophie-X31+JSC270-Assignment4/repo"
COMMIT = "39ac11954a7a6f293c6322a29763ccde64c1dd29"
ERI_GIT = "/work/.mirror/kechtel+ericsson/repo"
ERI_COMMIT = "77cee42"  # resolved below to the full hash
FILES = [  # (path, brand)
    ("AirAsiaSupport.csv", "AirAsia"),
    ("AppleSupport.csv", "Apple"),
    ("AskRBC.csv", "RBC"),
    ("McDonalds.csv", "McDonald's"),
    ("NikeSupport.csv", "Nike"),
    ("SpotifyCares.csv", "Spotify"),
    ("Walmart.csv", "Walmart"),
]
LICENCE = "unstated"
SEED = 20240550
TARGET = 550
CANNED_CAP = 3   # at most this many near-identical replies per template (per brand)
NEAR = 0.85      # difflib ratio on normalised text for "near-identical"

HANDLE = re.compile(r"@\w+")
URL = re.compile(r"https?://\S+|www\.\S+")
# agent signatures: ^AB, /CB, -Sabi, - Anwar, Thanks-Sha ... (removed only for counting / language)
INITIALS = re.compile(r"\^\s?[A-Za-z]{1,4}\b\.?|(?<!\w)/[A-Z]{2,3}\b|(?:^|\s|\W)-\s?[A-Z][a-z]{1,12}\s*$", re.M)
PART = re.compile(r"(?<![\d/])\(?[1-3]\s?/\s?[2-3]\)?(?![\d/])")    # "(1/2)", "2/3"
CHAIN = re.compile(r">>")                                          # AirAsia's tweet-chain marker
NUMBERED = re.compile(r"^\d\s?[:.]\s")                              # Spotify's "1: ..." / "1. ..." parts
ELLIPSIS_END = re.compile(r"(\.\.\.|…)\s*(https?://\S+\s*)*$")      # "... there's info about..." (cut, continued)
LEAD_HANDLES = re.compile(r"^(\s*@\w+)+\s*")
LOWER_OK = re.compile(r"(iOS|iPhone|iPad|iPod|iTunes|iCloud|iMac|iMessage|macOS|watchOS|tvOS|https?://)")
EN_WORDS = set("""the an to of and or is are was be been you your we us our it this that for with on in at by from can
could would will please thanks thank hi hey hello let let's know if not do does did have has had here there what
which how when help sorry great yes sure just more any so all my i i'm we're we'll you're it's that's soon see""".split())
WORD = re.compile(r"[^\W_]+", re.UNICODE)

LANGS = [Language.ENGLISH, Language.ITALIAN, Language.SPANISH, Language.FRENCH, Language.GERMAN,
         Language.PORTUGUESE, Language.DUTCH, Language.MALAY, Language.INDONESIAN, Language.TAGALOG,
         Language.JAPANESE, Language.CHINESE, Language.KOREAN, Language.THAI, Language.VIETNAMESE,
         Language.ARABIC, Language.RUSSIAN, Language.TURKISH]
DETECTOR = LanguageDetectorBuilder.from_languages(*LANGS).build()


def git_show(git: str, commit: str, path: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git}", "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def repair(text: str) -> str:
    """Encoding repair only: undo the cp1252 mis-decoding, then HTML entities."""
    try:
        fixed = text.encode("sloppy-windows-1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = ftfy.fix_encoding(text)
    return html.unescape(fixed)


def core(text: str) -> str:
    """Reply without handles, links and agent signatures (for word counts / language / dedupe)."""
    t = URL.sub(" ", text)
    t = HANDLE.sub(" ", t)
    t = INITIALS.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip()


def lang_of(text: str) -> tuple[str, bool]:
    """(language, overridden). lingua first; a short reply lingua calls something else is taken as
    English when lingua still gives English >= 0.15 confidence or >= 40% of its words are common
    English function words (checked by hand: this rescues replies like "We do. We do! -Rad",
    "Let's continue in DM." and catches no Spanish/Malay/French/Dutch reply in this data)."""
    c = core(text)
    lang = DETECTOR.detect_language_of(c)
    code = lang.iso_code_639_1.name.lower() if lang else "unknown"
    if code in ("en", "it"):
        return code, False
    en_conf = DETECTOR.compute_language_confidence(c, Language.ENGLISH)
    words = re.findall(r"[a-z']+", c.lower())
    ratio = sum(w in EN_WORDS for w in words) / max(1, len(words))
    if en_conf >= 0.15 or ratio >= 0.4:
        return "en", True
    return code, False


def fragment_reason(reply: str, has_sibling: bool) -> str | None:
    """Part of a reply split over several tweets (half a reply, often cut mid-sentence)."""
    body = LEAD_HANDLES.sub("", reply)
    if PART.search(reply) or CHAIN.search(reply) or body.startswith(">") or NUMBERED.match(body):
        return "multi_tweet_fragment"
    if has_sibling and ELLIPSIS_END.search(reply):
        return "multi_tweet_fragment"
    if re.match(r"[a-z]", body) and not LOWER_OK.match(body):
        return "starts_lowercase_possible_continuation"
    return None


def norm_key(text: str) -> str:
    return " ".join(WORD.findall(core(text).lower()))


def ericsson_ids() -> set[str]:
    """Tweet ids of the agent tweets in kechtel/ericsson (twitter_ericsson.jsonl); kept out of this file."""
    full = subprocess.run(["git", f"--git-dir={ERI_GIT}", "rev-parse", ERI_COMMIT], check=True,
                          capture_output=True, text=True).stdout.strip()
    names = subprocess.run(["git", f"--git-dir={ERI_GIT}", "ls-tree", "-r", "--name-only", full, "data/labeled",
                            "data/preprocessed"], check=True, capture_output=True, text=True).stdout.split()
    ids = set()
    for p in names:
        if not p.endswith(".xlsx") or "/entire-dataset/" in p:
            continue
        ws = openpyxl.load_workbook(io.BytesIO(git_show(ERI_GIT, full, p)), read_only=True).active
        rows = ws.iter_rows(values_only=True)
        head = next(rows)
        for r in rows:
            d = dict(zip(head, r))
            if d.get("inbound") is False:
                ids.add(str(d["tweet_id"]))
    return ids


def main() -> None:
    stats = Counter()
    per_brand = defaultdict(Counter)
    nonen = Counter()
    nonen_brand = defaultdict(Counter)
    seen_reply: set[str] = set()
    seen_tweet: set[str] = set()
    eri = ericsson_ids()
    eligible: dict[str, list[dict]] = {b: [] for _, b in FILES}
    for path, brand in FILES:
        text = git_show(GIT, COMMIT, path).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        answers = Counter(r["in_response_to_tweet_id"] for r in rows if r["in_response_to_tweet_id"].strip())
        for rowno, r in enumerate(rows, 2):
            stats["seen"] += 1
            per_brand[brand]["seen"] += 1

            def drop(reason: str) -> None:
                stats["drop_" + reason] += 1
                per_brand[brand]["drop_" + reason] += 1

            if r["tweet_id"] in seen_tweet:
                drop("duplicate_tweet_id")
                continue
            seen_tweet.add(r["tweet_id"])
            if r["inbound"] != "FALSE" or r["author_id"] != path[:-4]:
                drop("not_agent_tweet")
                continue
            raw = r["text"]
            if not r["in_response_to_tweet_id"].strip() or not raw.lstrip().startswith("@"):
                drop("not_a_reply_broadcast")   # brand broadcast / status update, not addressed to a customer
                continue
            reply = repair(raw)
            ws = " ".join(reply.split())
            if ws in seen_reply:
                drop("exact_duplicate")
                continue
            seen_reply.add(ws)
            if len(WORD.findall(core(reply))) < 3:
                drop("under_3_words")
                continue
            lang, overridden = lang_of(reply)
            if lang not in ("en", "it"):
                nonen[lang] += 1
                nonen_brand[brand][lang] += 1
                drop("language_not_en_it")
                continue
            frag = fragment_reason(reply, answers[r["in_response_to_tweet_id"]] > 1)
            if frag:
                drop(frag)
                continue
            if r["tweet_id"] in eri:
                drop("also_in_twitter_ericsson")
                continue
            if overlaps(reply):
                drop("heldout_overlap")
                continue
            if overridden:
                stats["lang_en_by_override"] += 1
            eligible[brand].append({"rowno": rowno, "row": r, "path": path, "brand": brand,
                                    "reply": reply, "lang": lang})
            per_brand[brand]["eligible"] += 1
    stats["eligible"] = sum(len(v) for v in eligible.values())

    # Per brand: deterministic shuffle; a reply is skipped once CANNED_CAP near-identical replies are taken.
    def stream(brand: str):
        items = eligible[brand]
        order = list(range(len(items)))
        random.Random(f"{SEED}-{brand}").shuffle(order)
        reps: list[list] = []  # [normalised text, count]
        for k in order:
            key = norm_key(items[k]["reply"])
            hit = None
            for rep in reps:
                if difflib.SequenceMatcher(None, key, rep[0], autojunk=False).ratio() >= NEAR:
                    hit = rep
                    break
            if hit is not None:
                if hit[1] >= CANNED_CAP:
                    per_brand[brand]["skipped_canned_over_cap"] += 1
                    continue
                hit[1] += 1
            else:
                reps.append([key, 1])
            yield items[k]

    # Round-robin over brands until TARGET: balanced, a brand short of candidates leaves room to the others.
    streams = {b: stream(b) for _, b in FILES}
    chosen: list[dict] = []
    while len(chosen) < TARGET and streams:
        for _, b in FILES:
            if b not in streams or len(chosen) >= TARGET:
                continue
            e = next(streams[b], None)
            if e is None:
                del streams[b]
                continue
            chosen.append(e)
    order_of = {p: i for i, (p, _) in enumerate(FILES)}
    chosen.sort(key=lambda e: (order_of[e["path"]], e["rowno"]))

    with OUT.open("w", encoding="utf-8") as fh:
        for n, e in enumerate(chosen, 1):
            r = e["row"]
            rec = {
                "id": f"tws-{n}",
                "lang": e["lang"],
                "channel": "social",
                "customer": None,
                "reply": e["reply"],
                "source": f"{REPO}:{e['path']}#tweet_id={r['tweet_id']}",
                "licence": LICENCE,
                "origin": "real",
                "company": e["brand"],
                "in_response_to_tweet_id": r["in_response_to_tweet_id"].strip(),
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stats["kept"] = len(chosen)
    kept_brand = Counter(e["brand"] for e in chosen)
    for b in kept_brand:
        per_brand[b]["kept"] = kept_brand[b]
    stats["kept_it"] = sum(1 for e in chosen if e["lang"] == "it")
    print(json.dumps({"stats": dict(stats), "per_brand": {b: dict(c) for b, c in per_brand.items()},
                      "non_en_it_by_language": dict(nonen.most_common()),
                      "non_en_it_by_brand": {b: dict(c.most_common()) for b, c in nonen_brand.items()}},
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
