#!/usr/bin/env python3
"""Extract real English agent replies from WMT-Chat-task/chat-task-2024-data.

Usage:
  python wmt_chat_extract.py [GIT_DIR] [OUT_JSONL] [STATS_JSON]

GIT_DIR defaults to the mirror made by the `fetch` tool:
  /work/.mirror/WMT-Chat-task+chat-task-2024-data/repo
Reads the CSVs straight from the bare git dir (`git show <rev>:<path>`), rebuilds
conversations (doc_id + row order), merges consecutive same-sender rows into
turns, filters agent turns, picks at most ONE agent turn per conversation
(seeded, deterministic) from as many conversations as possible, balanced over
client ids, then drops anything overlapping the replylint held-out set.
"""
from __future__ import annotations

import collections
import csv
import html
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

REPO = "WMT-Chat-task/chat-task-2024-data"
GIT_DIR = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/WMT-Chat-task+chat-task-2024-data/repo"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "/work/corpus_build/wmt_chat.jsonl")
STATS = Path(sys.argv[3] if len(sys.argv) > 3 else "/tmp/wmt_chat_stats.json")
REV = "HEAD"
SEED = 20240726
TARGET = 700
LICENCE = "CC-BY-NC-4.0"
# train + valid only: the test split has no English reference for the customer side.
FILES = [f"{split}/en-{lp}.csv" for split in ("train", "valid") for lp in ("de", "fr", "ko", "nl", "pt")]

sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402


def git_show(path: str) -> str:
    return subprocess.run(["git", "--git-dir", GIT_DIR, "show", f"{REV}:{path}"],
                          check=True, capture_output=True).stdout.decode("utf-8")


def fix_encoding(s: str) -> str:
    # Only encoding damage: HTML entities (&gt; &amp; &lt; occur in the data). No mojibake found.
    return html.unescape(s)


BOT_LINE = re.compile(r"^[A-Z][A-Z-]*_TEXT:")  # virtual-assistant lines that the data files under sender=customer
WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Greeting / closing / pleasantry phrases. A segment is boilerplate when, after removing these phrases,
# names/placeholders and filler words, no content word is left; a turn made only of boilerplate
# segments has no content.
_PHRASES = [
    r"(hi|hello|hey|hiya|greetings|good (morning|afternoon|evening|day))( there| again)?",
    r"(it'?s )?(very )?nice to (meet|e-?meet|chat with) you( on chat| here| too)?", r"(hope|i hope) (you'?re|you are|your|you're) (doing )?(well|good|fine|great)( today)?",
    r"my name is", r"(this is|i am|i'm)", r"you are through to", r"how are you( doing)?( today)?",
    r"welcome to( the)?( live)? chat", r"(i will|i'll) (be )?(assist|help)(ing)? you( today)?", r"you'?re (chatting|speaking) with", r"(i am|i'm) here to help",
    r"thanks? (you )?(so much |very much )?for (contacting|reaching out( to| on)?|chatting with|getting in touch with|choosing|your time|taking the time to (talk|chat) with me)( us)?",
    r"how (may|can|could) i (help|assist)( you)?( with)?( today)?", r"what can i do for you( today)?",
    r"(i will|i'll|i would|i'd|i am|i'm) (be )?(more than )?(happy|glad|pleased) to (help|assist)( you)?",
    r"is there anything else( apart from this)?( that)? (i|we) (can|could|may) (help|assist)( you)?( with)?( today)?",
    r"is there anything else( you need| i can do for you)?", r"anything else i can (help|assist)( you)? with",
    r"(have|enjoy) an? (great|nice|good|wonderful|lovely|excellent|amazing|fantastic|awesome|pleasant|blessed|happy) (day|evening|weekend|week|night|one|time|rest of (the|your) day)( ahead)?",
    r"i hope you have an? (great|nice|good|wonderful|lovely|excellent|amazing|fantastic|awesome|pleasant) (day|evening|weekend|week|night|one)( ahead)?",
    r"(it was|it's been|it has been|it is) (my|a|an absolute) pleasure( to (assist|help|chat with) you( today)?)?",
    r"take care", r"stay safe", r"good ?bye", r"bye", r"a pleasure",
    r"(thank you|thanks|many thanks|thanks a lot)( so much| very much)?( again)?",
    r"(you'?re|you are) (very |most )?welcome", r"no problem", r"no worries", r"my pleasure",
    r"ok(ay)?", r"alright", r"all right", r"great", r"perfect", r"sure", r"excellent",
]
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"#[A-Z_]+#|\b[A-Z]+-[A-Z]\b|\bURL\b|\bEMAIL\b|\bPRS-ORG\b")
_FILLER = {"and", "to", "you", "your", "today", "please", "with", "us", "again", "too", "so", "much", "very",
           "the", "a", "i", "we", "for", "of", "on", "in", "there", "dear", "sir", "madam", "s", "re", "help",
           "assist", "ahead", "be", "am", "ll", "m", "here", "this", "that", "now", "have", "also", "as", "well", "all", "it", "is"}
_ANSWERING_CLOSE = re.compile(r"^(you'?re (very |most )?welcome|you are (very |most )?welcome|no problem|no worries|my pleasure)\b",
                              re.IGNORECASE)
_PURE_LINK = re.compile(r"^(?:\s*(?:URL|#URL#|EMAIL|#EMAIL#|https?://\S+|www\.\S+)\s*)+$")


def is_boilerplate(seg: str) -> bool:
    seg = _PLACEHOLDER.sub(" ", seg)
    if not _PHRASE_RE.search(seg):
        return False
    rest = _PHRASE_RE.sub(" ", seg)
    content = [w for w in WORD.findall(rest.lower()) if w not in _FILLER and not w.isdigit()]
    return len(content) == 0


def classify(segs: list[str]) -> str:
    """'' = keep, else the drop reason."""
    text = "\n".join(segs)
    if len(WORD.findall(text)) < 3:
        return "under_3_words"
    if _PURE_LINK.match(text):
        return "pure_link_or_placeholder"
    if all(is_boilerplate(s) for s in segs if s.strip()):
        # "You're welcome, have a nice day" answers the customer's thanks: may stay.
        if _ANSWERING_CLOSE.match(segs[0].strip()):
            return ""
        return "pure_greeting_or_closing"
    return ""


def load_conversations():
    """Yield (path, doc_id, client_id, turns); turns = list of dicts(sender, rows, segs, en)."""
    seen_docs: set[str] = set()
    dup_blocks = 0
    convs = []
    for path in FILES:
        rows = list(csv.DictReader(io.StringIO(git_show(path), newline="")))
        blocks: list[list[tuple[int, dict]]] = []
        for n, r in enumerate(rows, 2):  # n = line number in the csv (header = line 1)
            if blocks and blocks[-1][0][1]["doc_id"] == r["doc_id"]:
                blocks[-1].append((n, r))
            else:
                blocks.append([(n, r)])
        for blk in blocks:
            doc = blk[0][1]["doc_id"]
            if doc in seen_docs:  # same conversation repeated (train/valid en-pt, twice in train en-nl)
                dup_blocks += 1
                continue
            seen_docs.add(doc)
            turns = []
            for n, r in blk:
                en = r["source"] if r["source_language"] == "en" else r["reference"]
                if turns and turns[-1]["sender"] == r["sender"]:
                    t = turns[-1]
                else:
                    t = {"sender": r["sender"], "lines": [], "segs": [], "en": [], "src_langs": set()}
                    turns.append(t)
                t["lines"].append(n)
                t["segs"].append(fix_encoding(r["source"]))
                t["en"].append(fix_encoding(en))
                t["src_langs"].add(r["source_language"])
            convs.append({"path": path, "doc": doc, "client": blk[0][1]["client_id"], "turns": turns})
    return convs, dup_blocks


def lang_detector():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    langs = [Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.KOREAN, Language.DUTCH,
             Language.PORTUGUESE, Language.ITALIAN, Language.SPANISH]
    det = LanguageDetectorBuilder.from_languages(*langs).build()

    en_func = {"the", "is", "are", "you", "your", "i", "we", "to", "and", "of", "for", "it", "this", "that",
               "in", "on", "can", "will", "please", "be", "have", "with", "so", "my", "me", "do", "not"}

    def detect(text: str) -> str:
        """'en', or the language of the first segment that is clearly not English (mixed turns count as non-English)."""
        for seg in text.split("\n"):
            seg_c = _PLACEHOLDER.sub(" ", seg)
            words = WORD.findall(seg_c.lower())
            if len(words) < 4:
                continue
            top = det.compute_language_confidence_values(seg_c)[0]
            if top.language == Language.ENGLISH or top.value < 0.9:
                continue
            if sum(w in en_func for w in words) / len(words) >= 0.15:  # English sentence quoting e.g. German product names
                continue
            return top.language.iso_code_639_1.name.lower()
        return "en"
    return detect


def main() -> int:
    convs, dup_blocks = load_conversations()
    detect = lang_detector()
    stats = collections.Counter()
    drops = collections.Counter()
    nonen = collections.Counter()
    eligible_by_conv = {}
    for c in convs:
        stats["conversations"] += 1
        elig = []
        for ti, t in enumerate(c["turns"]):
            if t["sender"] != "agent":
                continue
            stats["agent_turns_seen"] += 1
            reason = classify(t["segs"])
            if not reason and detect is not None:
                lg = detect("\n".join(t["segs"]))
                if lg != "en":
                    nonen[lg] += 1
                    reason = "non_english"
            if reason:
                drops[reason] += 1
                continue
            elig.append(ti)
        if elig:
            eligible_by_conv[(c["path"], c["doc"])] = (c, elig)
    stats["agent_turns_eligible"] = sum(len(e) for _, e in eligible_by_conv.values())
    stats["conversations_with_eligible_turn"] = len(eligible_by_conv)

    rng = random.Random(SEED)
    # Balance over client ids (anonymised companies): water-filling allocation of TARGET conversations.
    by_client = collections.defaultdict(list)
    for key in sorted(eligible_by_conv):
        by_client[eligible_by_conv[key][0]["client"]].append(key)
    alloc = {}
    remaining, clients = TARGET, sorted(by_client, key=lambda k: len(by_client[k]))
    for i, cl in enumerate(clients):
        share = remaining // (len(clients) - i)
        alloc[cl] = min(share, len(by_client[cl]))
        remaining -= alloc[cl]
    chosen = []
    for cl in sorted(by_client):
        keys = by_client[cl][:]
        rng.shuffle(keys)
        chosen.extend(keys[:alloc[cl]])
    chosen.sort()

    records, seen_text = [], set()
    heldout_dropped, dup_dropped = [], 0
    pos_bins = collections.Counter()
    for key in chosen:
        c, elig = eligible_by_conv[key]
        order = elig[:]
        rng.shuffle(order)  # random position => spread over opening / middle / closing across the corpus
        for ti in order:
            t = c["turns"][ti]
            reply = "\n".join(t["segs"])
            norm = " ".join(reply.split()).lower()
            if norm in seen_text:
                dup_dropped += 1
                continue
            break
        else:
            continue
        seen_text.add(norm)
        prev = c["turns"][ti - 1] if ti > 0 else None
        cust = None
        if prev is not None and prev["sender"] == "customer":
            lines = [e for e in prev["en"] if not BOT_LINE.match(e.strip())]
            cust = "\n".join(lines) if lines else None
        src = f"{REPO}:{c['path']}#{c['doc']}:{ti}"
        if overlaps(reply):
            heldout_dropped.append(src)
            continue
        n_agent = sum(1 for x in c["turns"] if x["sender"] == "agent")
        a_idx = sum(1 for x in c["turns"][:ti] if x["sender"] == "agent")
        pos_bins["first_agent_turn" if a_idx == 0 else "last_agent_turn" if a_idx == n_agent - 1 else "middle"] += 1
        records.append({"lang": "en", "channel": "chat", "customer": cust, "reply": reply, "source": src,
                        "licence": LICENCE, "origin": "real", "company": None,
                        "_client": c["client"], "_lines": f"{t['lines'][0]}-{t['lines'][-1]}"})
    with OUT.open("w", encoding="utf-8") as f:
        for i, r in enumerate(records, 1):
            out = {"id": f"wmt-{i:04d}"}
            out.update({k: v for k, v in r.items() if not k.startswith("_")})
            f.write(json.dumps(out, ensure_ascii=False) + "\n")
    stats_out = {
        **stats, "duplicate_conversation_blocks_skipped": dup_blocks, "drop_reasons": dict(drops),
        "non_english_agent_turns": dict(nonen), "allocation_by_client": alloc,
        "conversations_sampled": len(chosen), "within_file_duplicate_skipped": dup_dropped,
        "heldout_dropped": len(heldout_dropped), "heldout_dropped_sources": heldout_dropped,
        "written": len(records), "with_customer": sum(r["customer"] is not None for r in records),
        "position": dict(pos_bins),
        "by_file": dict(collections.Counter(r["source"].split(":")[1].split("#")[0] for r in records)),
        "by_client": dict(collections.Counter(r["_client"] for r in records)),
        "segments_per_reply": dict(sorted(collections.Counter(min(r["reply"].count("\n") + 1, 10) for r in records).items())),
    }
    STATS.write_text(json.dumps(stats_out, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in stats_out.items() if k != "heldout_dropped_sources"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
