#!/usr/bin/env python3
"""Regenerate fse.jsonl from the saved `issues`-corpus search answers in raw/fse/.

Deterministic: reads raw/fse/q*.json in name order, keeps comments by the staff accounts
below (see fse.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes fse.jsonl.
Run: python fse_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""vigliottim LucaRogledi MODeTitta Ser-ena IStacchiotti TDAEY masciamariotti pFonziSogei""".split())
REPOS = ['ministero-salute/*']
COMPANY = {'*': 'Ministero della Salute – FSE 2.0 (supporto Gateway)'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("fse", "fse-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
