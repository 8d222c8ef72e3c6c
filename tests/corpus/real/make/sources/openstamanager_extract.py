#!/usr/bin/env python3
"""Regenerate openstamanager.jsonl from the saved `issues`-corpus search answers in raw/openstamanager/.

Deterministic: reads raw/openstamanager/q*.json in name order, keeps comments by the staff accounts
below (see openstamanager.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes openstamanager.jsonl.
Run: python openstamanager_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""Pek5892 Dasc3er lucasalva87 loviuz MatteoPistorello vschivo13""".split())
REPOS = ['devcode-it/openstamanager']
COMPANY = {'*': 'DevCode srl (OpenSTAManager)'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("openstamanager", "osm-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
