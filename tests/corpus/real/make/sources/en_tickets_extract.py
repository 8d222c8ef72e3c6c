#!/usr/bin/env python3
"""Regenerate en_tickets.jsonl from the saved search answers (deterministic, offline).

Input: raw/en_tickets/sNNN.json — the search tool's `issues` corpus answers that were used
(only the results holding a usable staff comment are kept in each file; `omitted_ranks`
lists the others). The JSON files are produced from the transcripts in raw/en_tickets/txt/
by raw/en_tickets/txt2json.py. Transcription rules (see en_tickets.md):
  * excerpts are verbatim, except that the machine-added "Document Details" block of
    MicrosoftDocs issue descriptions is replaced by the line "[Document Details block omitted]"
    and text after the last transcribed staff comment is replaced by the line "[…]";
  * staff comments cut off by the search tool's excerpt limit were not transcribed.

Staff identification:
  * Microsoft: commenter login contains "msft" (case-insensitive), the Microsoft convention
    for employee accounts (e.g. "SaibabaBalapur-MSFT", "mike-urnun-msft"), in MicrosoftDocs/*,
    Azure/* or microsoft/* repositories; PRMerger* bots excluded.
  * Twilio SendGrid: commenter who signs at least one saved comment (own text, not a quoted
    e-mail) with a SendGrid team signature and is not the issue author; ("SendGrid Docs Team", "Twilio SendGrid Docs Team", "SendGrid DX Team").
A staff comment is kept as a reply to the customer only if it is addressed to the issue's
reporter: it mentions the issue author, or it mentions nobody; comments addressed only to
other people (e.g. "@contentauthor can you take a look") and "#command" comments are dropped.

Usage: python en_tickets_extract.py   (writes en_tickets.jsonl, prints counts as JSON)
"""
from __future__ import annotations

import difflib
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

from lingua import Language, LanguageDetectorBuilder

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw" / "en_tickets"
OUT = HERE / "en_tickets.jsonl"
sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

CANNED_CAP = 5
NEAR = 0.85
ENTRY = re.compile(r"^(?P<login>[^\s·]+) · (?P<kind>description|comment|review) · (?P<date>\d{4}-\d{2}-\d{2})$")
HEAD = re.compile(r"^(?P<repo>\S+) · (?P<type>issue|pull request) #(?P<num>\d+)")
MENTION = re.compile(r"(?<![\w/])@([A-Za-z0-9][A-Za-z0-9-]*)")
SG_SIGN = re.compile(r"(Twilio )?SendGrid (Docs|DX) Team|Team SendGrid DX")
OMIT = "[Document Details block omitted]"
TEMPLATE_LINES = {"## Expected content", "## Actual content", "**Link to page**:", "[Enter feedback here]"}
WORD = re.compile(r"[^\W_]+", re.UNICODE)
DETECTOR = LanguageDetectorBuilder.from_languages(
    Language.ENGLISH, Language.ITALIAN, Language.SPANISH, Language.FRENCH, Language.GERMAN,
    Language.PORTUGUESE, Language.CHINESE, Language.JAPANESE).build()


def parse_excerpt(text: str):
    lines = text.split("\n")
    m = HEAD.match(lines[0])
    info = {"repo": m.group("repo"), "type": m.group("type"), "num": m.group("num"), "title": None}
    entries, cur = [], None
    for ln in lines[1:]:
        if cur is None and ln.startswith("# ") and info["title"] is None:
            info["title"] = ln[2:]
            continue
        e = ENTRY.match(ln)
        if e:
            cur = {"login": e.group("login"), "kind": e.group("kind"), "date": e.group("date"), "body": []}
            entries.append(cur)
        elif ln == "[…]":
            cur = None
            break
        elif cur is not None:
            cur["body"].append(ln)
    for e in entries:
        e["body"] = "\n".join(e["body"]).strip("\n").rstrip()
    return info, entries


def org_of(repo: str, login: str, sg_staff: set[str]) -> str | None:
    owner = repo.split("/")[0].lower()
    if owner in ("microsoftdocs", "azure", "microsoft") and "msft" in login.lower() and not login.lower().startswith("prmerger"):
        return "Microsoft"
    if owner == "sendgrid" and login in sg_staff:
        return "Twilio SendGrid"
    return None


def real_text(t: str) -> bool:
    rest = [ln for ln in t.split("\n") if ln.strip() and ln.strip() not in TEMPLATE_LINES and ln.strip() != OMIT]
    return bool(WORD.findall(" ".join(rest)))


def clean_customer(t: str) -> str:
    t = t.replace("\n" + OMIT, "").replace(OMIT, "")
    return html.unescape(t).strip()


def core(text: str) -> str:
    t = re.sub(r"https?://\S+", " ", text)
    t = MENTION.sub(" ", t)
    return " ".join(WORD.findall(t.lower()))


def main() -> None:
    files = sorted(RAW.glob("s[0-9][0-9][0-9].json"))
    answers = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    sg_staff = set()
    for a in answers:
        for r in a["results"]:
            _, ents = parse_excerpt(r["excerpt"])
            author = next((e["login"] for e in ents if e["kind"] == "description"), None)
            for e in ents:
                own = "\n".join(ln for ln in e["body"].split("\n") if not ln.lstrip().startswith(">"))
                if e["kind"] == "comment" and e["login"] != author and SG_SIGN.search(own):
                    sg_staff.add(e["login"])
    stats, langs, orgs = Counter(), Counter(), Counter()
    cands, seen_key, seen_text = [], set(), set()
    for f, a in zip(files, answers):
        for r in a["results"]:
            info, ents = parse_excerpt(r["excerpt"])
            if info["type"] != "issue":
                continue
            author = next((e["login"] for e in ents if e["kind"] == "description"), None)
            desc = next((e["body"] for e in ents if e["kind"] == "description"), None)
            for idx, e in enumerate(ents):
                org = org_of(info["repo"], e["login"], sg_staff) if e["kind"] == "comment" else None
                if not org:
                    continue
                stats["staff_comments_seen"] += 1
                body = e["body"]
                key = (info["repo"], info["num"], e["login"], e["date"], body)
                if key in seen_key:
                    stats["drop_same_comment_in_another_search"] += 1
                    continue
                seen_key.add(key)
                mentions = [m for m in MENTION.findall(body)]
                if body.lstrip().startswith("#"):
                    stats["drop_bot_command"] += 1
                    continue
                if mentions and author and author not in mentions:
                    stats["drop_not_addressed_to_reporter"] += 1
                    continue
                if mentions and not author and all(org_of(info["repo"], m, sg_staff) for m in mentions):
                    stats["drop_not_addressed_to_reporter"] += 1
                    continue
                reply = html.unescape(body)
                ws = " ".join(reply.split())
                if ws in seen_text:
                    stats["drop_exact_duplicate"] += 1
                    continue
                seen_text.add(ws)
                if len(core(reply).split()) < 3:
                    stats["drop_under_3_words"] += 1
                    continue
                lang = DETECTOR.detect_language_of(core(reply))
                lang = lang.iso_code_639_1.name.lower() if lang else "unknown"
                if lang != "en":
                    langs[lang] += 1
                    stats["drop_language_not_en"] += 1
                    continue
                if overlaps(reply):
                    stats["drop_heldout_overlap"] += 1
                    continue
                # customer: description if it has real content, else the reporter's latest earlier comment, else the title
                customer = None
                if desc is not None and real_text(desc):
                    customer = clean_customer(desc)
                else:
                    prev = [p for p in ents[:idx] if p["login"] == author and p["kind"] == "comment" and real_text(p["body"])]
                    customer = clean_customer(prev[-1]["body"]) if prev else html.unescape(info["title"] or "") or None
                cands.append({
                    "reply": reply, "customer": customer, "org": org,
                    "source": f"{info['repo']}#{info['num']}:{e['login']}:{e['date']}",
                })
    stats["eligible"] = len(cands)
    reps: list[list] = []
    kept = []
    for c in cands:
        k = core(c["reply"])
        hit = None
        for rp in reps:
            if difflib.SequenceMatcher(None, k, rp[0], autojunk=False).ratio() >= NEAR:
                hit = rp
                break
        if hit is None:
            reps.append([k, 1])
        elif hit[1] >= CANNED_CAP:
            stats["drop_canned_over_cap"] += 1
            continue
        else:
            hit[1] += 1
        kept.append(c)
    with OUT.open("w", encoding="utf-8") as fh:
        for n, c in enumerate(kept, 1):
            orgs[c["org"]] += 1
            fh.write(json.dumps({
                "id": f"tkt-{n}", "lang": "en", "channel": "email", "customer": c["customer"],
                "reply": c["reply"], "source": c["source"], "licence": "unstated", "origin": "real",
                "company": c["org"],
            }, ensure_ascii=False) + "\n")
    stats["kept"] = len(kept)
    print(json.dumps({"search_answers": len(files), "stats": dict(stats), "kept_by_org": dict(orgs),
                      "non_en_by_language": dict(langs), "sendgrid_staff": sorted(sg_staff)}, indent=1))


if __name__ == "__main__":
    main()
