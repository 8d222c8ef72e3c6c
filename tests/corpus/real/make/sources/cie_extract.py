#!/usr/bin/env python3
"""Regenerate cie.jsonl from the saved `issues`-corpus search answers in raw/cie/.

Deterministic: reads raw/cie/q*.json in name order, keeps comments by the staff accounts
below (see cie.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes cie.jsonl.
Run: python cie_extract.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, "/work/shared/heldout")
from issues_common import extract, write_jsonl  # noqa: E402
from check import overlaps  # noqa: E402  (held-out fingerprints)

STAFF = set("""aantetomaso fottavi AntonioCiccarelli bitpdg FVA-Bit4ID""".split())
REPOS = ['italia/cie-middleware']
COMPANY = {'*': "CIE – Ministero dell'Interno / IPZS (software CIE)"}
EXTRA_DROP = lambda t: t.startswith('@bitpdg')  # internal hand-off to colleagues, not a reply to the user


def company_of(repo):
    return COMPANY.get(repo, COMPANY.get("*"))


def licence_of(repo):
    return "unstated"  # issue comments carry no licence statement (repo code licences do not cover them)


if __name__ == "__main__":
    recs, stats, nonit = extract(os.path.join(HERE, "raw", "cie"), STAFF, REPOS, "cie-",
                                 company_of, licence_of, max_template=5, overlaps=overlaps,
                                 extra_drop=EXTRA_DROP)
    write_jsonl(os.path.join(HERE, "cie.jsonl"), recs)
    print(json.dumps({"stats": dict(sorted(stats.items())), "non_italian": dict(nonit)}, ensure_ascii=False, indent=1))
