#!/usr/bin/env python3
"""Regenerate anac_npa.jsonl from the saved search answers in raw/anac_npa/*.json.

The raw files are answers of the search tool (corpus "issues") for queries on the
public issue tracker of anticorruzione/npa. Each result's excerpt is a thread
fragment made of blocks headed "<login> · <description|comment|review> · <YYYY-MM-DD>".
Only results from anticorruzione/npa that show a comment of an official account were
saved; a result identical to one saved earlier is stored as {"same_excerpt_as": "file#rank"}.

Steps (deterministic, no network):
 1. parse every excerpt into blocks; keep comments by OFFICIAL accounts;
 2. one record per distinct comment (issue, login, date, text): a version cut off by the
    excerpt length limit is replaced by a complete one when any excerpt shows it whole,
    otherwise it is dropped as truncated;
 3. HTML -> plain text (<p> paragraphs joined by "\\n\\n", <br> -> "\\n", tags dropped,
    entities unescaped); plain-markdown comments are left as they are;
 4. drop pure links and replies under 3 words (URLs not counted), exact duplicates (whitespace-normalised), non-Italian
    (counted by language), and replies overlapping the held-out set;
 5. near-template cap: a reply whose digit/link-blind word 5-shingles are contained >= TEMPLATE_SIM
    (|A&B| / min(|A|,|B|)) in those of a cluster's first reply joins that cluster; at most
    TEMPLATE_CAP replies per cluster are kept.
Records are ordered by (issue number, date, login).

Usage: python anac_npa_extract.py   (writes anac_npa.jsonl, prints counts as JSON)
"""
from __future__ import annotations

import collections
import glob
import html
import json
import os
import re
import sys

sys.path.insert(0, "/work/shared/heldout")
from check import overlaps  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "raw", "anac_npa")
OUT = os.path.join(HERE, "anac_npa.jsonl")
REPO = "anticorruzione/npa"
TEMPLATE_CAP = 5
TEMPLATE_SIM = 0.6   # containment of word 5-shingles, |A&B| / min(|A|,|B|)
# The search tool cuts excerpts at 1,500 characters; an excerpt this long has its last block
# is then treated as truncated.
EXCERPT_LIMIT = 1498

# Official ANAC accounts (see anac_npa.md): they push directly to main / merge PRs in
# anticorruzione/npa (git history of the fetched snapshot), use @anticorruzione.it
# addresses or are the platform's own support/operator accounts.
OFFICIAL = {"OperatoreIT", "supportoAnac", "anac-uscp", "mpizziconi", "obigno77",
            "domaltomare", "anfuste", "maiorDXC"}

# Official comments whose excerpt ends mid-word / mid-quotation although the excerpt is shorter
# than the limit (the index stores threads in chunks): treated as truncated, not kept.
SUSPECT_TRUNCATED = {(63, "supportoAnac", "2023-07-28"), (445, "mpizziconi", "2023-10-23"),
                     (219, "supportoAnac", "2023-09-26")}

HEAD = re.compile(r"^(?P<login>\S+) · (?P<kind>description|comment|review) · (?P<date>\d{4}-\d{2}-\d{2})$")
ISSUE = re.compile(r"^anticorruzione/npa · (?:issue|pull request) #(\d+)")

IT_WORDS = set("il lo la i gli le di del della che non per con si è sono una un è al alla nel nella "
               "gentile utente saluti cordiali segnalazione grazie stato scheda".split())
EN_WORDS = set("the and is are of to for with this that you we please thanks issue be".split())


# Official comments that were cut by the excerpt limit and never shown whole; from s024 on
# their excerpts were not copied into the raw files, only listed (url, login, date).
TRUNCATED_NOT_SAVED: set = set()


def load_results():
    files = sorted(glob.glob(os.path.join(RAW, "s*.json")))
    by_ref = {}
    out = []
    for f in files:
        d = json.load(open(f, encoding="utf-8"))
        name = os.path.basename(f)
        for t in d.get("omitted_official_truncated", []):
            TRUNCATED_NOT_SAVED.add((t["url"], t["login"], t["date"]))
        for r in d["results"]:
            if "same_excerpt_as" in r:
                r = dict(by_ref[r["same_excerpt_as"]], rank=r["rank"])
            by_ref[f"{name}#{r['rank']}"] = r
            out.append((name, r))
    return files, out


def parse(excerpt: str):
    lines = excerpt.split("\n")
    m = ISSUE.match(lines[0])
    issue = int(m.group(1)) if m else None
    blocks, cur = [], None
    for ln in lines[1:]:
        h = HEAD.match(ln)
        if h:
            cur = dict(h.groupdict(), lines=[])
            blocks.append(cur)
        elif cur is not None:
            cur["lines"].append(ln)
    for b in blocks:
        b["text"] = "\n".join(b.pop("lines")).strip("\n")
    if blocks:
        blocks[-1]["maybe_truncated"] = len(excerpt) >= EXCERPT_LIMIT
    return issue, blocks


def html_to_text(s: str) -> str:
    if not re.search(r"</?(p|br|a|strong|em|span|div|ul|ol|li|b|i)\b", s, re.I):
        return html.unescape(s).strip()
    s = re.sub(r"\s*<br\s*/?>\s*", "\n", s, flags=re.I)
    s = re.sub(r"\s*<li[^>]*>\s*", "\n- ", s, flags=re.I)
    s = re.sub(r"\s*</li>", "", s, flags=re.I)
    s = re.sub(r"</?(p|div|ul|ol)\b[^>]*>", "\n\n", s, flags=re.I)
    s = re.sub(r"<[^>]+>", "", s)
    s = html.unescape(s).replace("\u00a0", " ")
    paras = []
    for p in re.split(r"\n\s*\n", s):
        p = "\n".join(l.strip() for l in p.strip().split("\n"))
        if p.strip():
            paras.append(p.strip())
    return "\n\n".join(paras)


def lang_of(s: str) -> str:
    w = re.findall(r"[a-zàèéìòù]+", s.lower())
    it = sum(x in IT_WORDS for x in w)
    en = sum(x in EN_WORDS for x in w)
    return "en" if en > it else "it"


def template_shingles(s: str) -> set:
    s = re.sub(r"https?://\S+|\d+", " ", s.lower())
    w = re.findall(r"[^\W\d_]+", s)
    return {" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}


def main() -> None:
    files, results = load_results()
    c = collections.Counter(raw_files=len(files), saved_results=len(results))
    comments = {}   # key -> best version
    threads = set()
    for name, r in results:
        issue, blocks = parse(r["excerpt"])
        threads.add(issue)
        desc = next((b for b in blocks if b["kind"] == "description"), None)
        customer = None
        if desc and not desc.get("maybe_truncated"):
            customer = desc["text"] or None
        for b in blocks:
            if b["kind"] == "description" or b["login"] not in OFFICIAL:
                continue
            key = (issue, b["login"], b["date"], " ".join(b["text"].split())[:40])
            trunc = bool(b.get("maybe_truncated")) or (issue, b["login"], b["date"]) in SUSPECT_TRUNCATED
            old = comments.get(key)
            cand = {"issue": issue, "login": b["login"], "date": b["date"], "raw": b["text"],
                    "truncated": trunc, "customer": customer, "from": f"{name}#{r['rank']}"}
            if old is None or (old["truncated"] and not trunc) or \
                    (old["truncated"] == trunc and old["customer"] is None and customer is not None):
                comments[key] = cand
    shown_whole = {(f"https://github.com/{REPO}/issues/{v['issue']}", v["login"], v["date"])
                   for v in comments.values() if not v["truncated"]}
    c["dropped_truncated_by_excerpt_not_saved"] = len(TRUNCATED_NOT_SAVED - shown_whole)
    threads |= {int(u.rsplit("/", 1)[1]) for u, _, _ in TRUNCATED_NOT_SAVED}
    c["threads_seen"] = len(threads)
    c["official_comments_seen"] = len(comments)
    c["by_account_seen"] = dict(sorted(collections.Counter(v["login"] for v in comments.values()).items()))

    kept, seen_norm, clusters = [], set(), []
    lang_drop = collections.Counter()
    heldout_dropped = []
    for v in sorted(comments.values(), key=lambda v: (v["issue"], v["date"], v["login"], v["raw"])):
        if v["truncated"]:
            c["dropped_truncated_by_excerpt"] += 1
            continue
        reply = html_to_text(v["raw"])
        if re.fullmatch(r"\s*(https?://\S+\s*)+", reply):
            c["dropped_pure_link"] += 1
            continue
        if len(re.sub(r"https?://\S+", " ", reply).split()) < 3:   # links do not count as words
            c["dropped_under_3_words"] += 1
            continue
        norm = " ".join(reply.split())
        if norm in seen_norm:
            c["dropped_exact_duplicate"] += 1
            continue
        seen_norm.add(norm)
        lg = lang_of(reply)
        if lg != "it":
            lang_drop[lg] += 1
            c["dropped_not_italian"] += 1
            continue
        if overlaps(reply):
            c["dropped_heldout_overlap"] += 1
            heldout_dropped.append(f"{REPO}#{v['issue']}:{v['login']}:{v['date']}")
            continue
        sh = template_shingles(reply)
        cl = None
        for cluster in clusters:
            rep = cluster["sh"]
            if len(sh & rep) / max(1, min(len(sh), len(rep))) >= TEMPLATE_SIM:
                cl = cluster
                break
        if cl is None:
            cl = {"sh": sh, "n": 0}
            clusters.append(cl)
        if cl["n"] >= TEMPLATE_CAP:
            c["dropped_template_cap"] += 1
            continue
        cl["n"] += 1
        cl.setdefault("members", []).append(reply[:70].replace("\n", " "))
        kept.append((v, reply))
    with open(OUT, "w", encoding="utf-8") as f:
        for i, (v, reply) in enumerate(kept, 1):
            rec = {"id": f"npa-{i}", "lang": "it", "channel": "email", "customer": v["customer"],
                   "reply": reply, "source": f"{REPO}#{v['issue']}:{v['login']}:{v['date']}",
                   "licence": "unstated", "origin": "real", "company": "ANAC"}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    c["kept"] = len(kept)
    c["kept_with_customer"] = sum(1 for v, _ in kept if v["customer"])
    c["kept_by_account"] = dict(sorted(collections.Counter(v["login"] for v, _ in kept).items()))
    c["template_clusters"] = len(clusters)
    c["non_italian_by_language"] = dict(lang_drop)
    if "--clusters" in sys.argv:
        for cl in clusters:
            if cl["n"] > 1:
                print(cl["n"], cl["members"], file=sys.stderr)
    c["heldout_overlap_sources"] = heldout_dropped
    print(json.dumps(c, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
