#!/usr/bin/env python3
"""Regenerate cie.jsonl from the saved `issues`-corpus search answers in raw/cie/.

Deterministic: reads raw/cie/q*.json in name order, keeps comments by the staff accounts
below (see cie.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes cie.jsonl.
Run: python cie_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""aantetomaso fottavi AntonioCiccarelli bitpdg FVA-Bit4ID""".split())
REPOS = ['italia/cie-middleware']
COMPANY = {'*': "CIE – Ministero dell'Interno / IPZS (software CIE)"}
EXTRA_DROP = lambda t: t.startswith('@bitpdg')  # internal hand-off to colleagues, not a reply to the user


if __name__ == "__main__":
    run("cie", "cie-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
