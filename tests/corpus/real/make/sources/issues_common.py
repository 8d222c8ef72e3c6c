"""Shared, deterministic extraction of staff replies from saved `issues`-corpus search answers.

Each raw file (raw/<name>/qNNN.json) holds one search answer: {"query", "results": [...]}
where every result has an "excerpt" rendered as
    <repo> · issue #N · state · lang
    # title
    <author> · description|comment|review|review thread · YYYY-MM-DD
    text...
The search service caps an excerpt at 1,500 characters, so when an excerpt reaches the
cap its last segment is treated as truncated and never used as a reply.

Requires: lingua-language-detector (pip install lingua-language-detector); everything else is stdlib.
"""
from __future__ import annotations

import glob
import hashlib
import html
import json
import os
import re
from collections import Counter

from lingua import Language, LanguageDetectorBuilder

CAP = 1490  # excerpts this long were cut by the service
SEG = re.compile(r"^(?P<author>[^\s·]+) · (?P<kind>description|comment|review|review thread) · (?P<date>\d{4}-\d{2}-\d{2})$", re.M)
_LANGS = [Language.ITALIAN, Language.ENGLISH, Language.FRENCH, Language.GERMAN,
          Language.SPANISH, Language.PORTUGUESE, Language.DUTCH]
_DET = LanguageDetectorBuilder.from_languages(*_LANGS).build()
_HTML_TAG = re.compile(r"</?(?:p|div|span|sup|sub|b|i|strong|em|details|summary|a|ul|ol|li|font|center|u|small|h[1-6])(?:\s[^<>]*)?>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)


def html_to_text(t: str) -> str:
    """Minimal HTML->text: <br> -> newline, paragraph/div closes -> blank line, other known tags dropped,
    entities unescaped. XML-like payload tags (e.g. <idOperazioneANPR>) are left alone."""
    t = _BR.sub("\n", t)
    t = re.sub(r"</(?:p|div|li|h[1-6])>", "\n\n", t, flags=re.I)
    t = _HTML_TAG.sub("", t)
    t = html.unescape(t)
    t = re.sub(r"[ \t]+\n", "\n", t)
    t = re.sub(r"\n{3,}", "\n\n", t)
    return t.strip()


def fix_mojibake(t: str) -> str:
    if any(m in t for m in ("Ã", "â€")):
        try:
            r = t.encode("cp1252").decode("utf-8")
            return r
        except (UnicodeEncodeError, UnicodeDecodeError):
            return t
    return t


def segments(excerpt: str):
    ms = list(SEG.finditer(excerpt))
    out = []
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(excerpt)
        out.append({"author": m["author"], "kind": m["kind"], "date": m["date"],
                    "text": excerpt[m.end():end].strip("\n"), "last": i + 1 == len(ms)})
    return out


_STRIP = re.compile(r"```.*?```|`[^`]*`|https?://\S+|www\.\S+|[@#]\w[\w-]*|\b[0-9a-f]{7,40}\b|<[^>]+>|!\[[^\]]*\]\([^)]*\)", re.S)


def lang_of(text: str) -> str:
    """Language of the prose: code, links, handles and hashes are removed before detection."""
    prose = _STRIP.sub(" ", text)
    if len(re.findall(r"[^\W\d_]{2,}", prose)) < 2:
        prose = text
    conf = _DET.compute_language_confidence_values(prose)
    if not conf:
        return "unknown"
    top = conf[0].language
    if top != Language.ITALIAN:
        # short mixed replies ("In release, risolto con commit: ...") lean on English loanwords;
        # call them Italian when Lingua still gives Italian >= 0.2 and >= 2 Italian function words occur.
        it_conf = next((c.value for c in conf if c.language == Language.ITALIAN), 0.0)
        words = set(re.findall(r"[^\W\d_]+", prose.lower()))
        if it_conf >= 0.2 and len(words & _IT_FUNC) >= 2:
            return "it"
    return top.iso_code_639_1.name.lower()


_IT_FUNC = {"il", "lo", "la", "i", "gli", "le", "di", "del", "della", "dei", "delle", "che", "è", "e", "con",
            "per", "non", "un", "una", "sono", "stato", "stata", "risolto", "corretto", "grazie", "nel", "nella",
            "al", "alla", "da", "dal", "su", "sul", "ci", "si", "questo", "questa", "anche", "ma", "come"}


def norm_ws(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip().lower()


def template_key(t: str) -> str:
    return re.sub(r"[^a-zà-ù]+", "", t.lower())[:160]


def load_raw(raw_dir: str):
    for path in sorted(glob.glob(os.path.join(raw_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        for r in d["results"]:
            yield os.path.basename(path), r


def extract(raw_dir, staff, repos_ok, prefix, company_of, licence_of, max_template=5,
            overlaps=None, extra_drop=None):
    """Return (records, stats). staff: set of logins (case-sensitive as rendered)."""
    stats = Counter()
    nonit = Counter()
    seen_threads = set()
    seen_text = set()
    tmpl = Counter()
    recs = []
    # the same thread can come back in several answers with different excerpt windows:
    # collect every complete customer description first, then walk all windows.
    descs = {}
    for fname, r in load_raw(raw_dir):
        ex = r["excerpt"]
        for s in segments(ex):
            if s["kind"] == "description" and s["author"] not in staff and not (s["last"] and len(ex) >= CAP):
                descs.setdefault(r.get("url") or "", html_to_text(fix_mojibake(s["text"])) or None)
    for fname, r in load_raw(raw_dir):
        repo = r.get("repository") or ""
        url = r.get("url") or ""
        if url in seen_threads:
            stats["thread_windows_seen_again"] += 1
        else:
            stats["threads_seen"] += 1
        seen_threads.add(url)
        if not any(repo == p or repo.startswith(p.rstrip("*")) for p in repos_ok):
            stats["thread_repo_out_of_scope"] += 1
            continue
        ex = r["excerpt"]
        truncated = len(ex) >= CAP
        segs = segments(ex)
        customer = descs.get(url)
        for s in segs:
            if s["author"] not in staff:
                continue
            stats["staff_segments_seen"] += 1
            if s["kind"] != "comment":
                stats["drop_not_a_comment(description/review)"] += 1
                continue
            if s["last"] and truncated:
                stats["drop_truncated_by_search_excerpt"] += 1
                continue
            text = html_to_text(fix_mojibake(s["text"]))
            words = re.findall(r"[^\W_]+", re.sub(r"https?://\S+", " ", text))
            if len(words) < 3:
                stats["drop_under_3_words_or_link_only"] += 1
                continue
            if extra_drop and extra_drop(text):
                stats["drop_not_a_reply_to_user"] += 1
                continue
            lg = lang_of(text)
            if lg != "it":
                nonit[lg] += 1
                stats["drop_not_italian"] += 1
                continue
            n = norm_ws(text)
            if n in seen_text:
                stats["drop_exact_duplicate"] += 1
                continue
            tk = template_key(text)
            if tmpl[tk] >= max_template:
                stats["drop_template_cap"] += 1
                continue
            if overlaps and overlaps(text):
                stats["drop_heldout_overlap"] += 1
                continue
            seen_text.add(n)
            tmpl[tk] += 1
            recs.append({"lang": "it", "channel": "email", "customer": customer, "reply": text,
                         "source": f"{repo}:{url.split('github.com/' + repo + '/')[-1]}#{s['author']}@{s['date']}:{hashlib.sha1(text.encode()).hexdigest()[:8]}",
                         "licence": licence_of(repo), "origin": "real", "company": company_of(repo)})
    for i, rec in enumerate(recs, 1):
        rec["id"] = f"{prefix}{i}"
    recs = [{"id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in recs]
    stats["kept"] = len(recs)
    return recs, stats, nonit


def write_jsonl(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def run(name, prefix, staff, repos, company, extra_drop=None):
    """The whole of one tracker source's extractor: raw/<name>/ → <name>.jsonl, stats on stdout.

    `company` maps a repository (or "*") to the organisation whose staff answer there. Issue
    comments carry no licence statement (the repositories' code licences do not cover them),
    so every record's licence is "unstated"; at most 5 replies per canned template are kept.
    """
    import sys

    sys.path.insert(0, "/work/shared/heldout")
    from check import overlaps  # the held-out fingerprints

    here = os.path.dirname(os.path.abspath(__file__))
    recs, stats, nonit = extract(os.path.join(here, "raw", name), staff, repos, prefix,
                                 lambda repo: company.get(repo, company.get("*")), lambda repo: "unstated",
                                 max_template=5, overlaps=overlaps, extra_drop=extra_drop)
    write_jsonl(os.path.join(here, f"{name}.jsonl"), recs)
    print(json.dumps({"stats": dict(sorted(stats.items())), "non_italian": dict(nonit)}, ensure_ascii=False, indent=1))
