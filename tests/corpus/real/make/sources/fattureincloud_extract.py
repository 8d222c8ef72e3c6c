#!/usr/bin/env python3
"""Regenerate fattureincloud.jsonl from the saved `issues`-corpus search answers in raw/fattureincloud/.

Deterministic: reads raw/fattureincloud/q*.json in name order, keeps comments by the staff accounts
below (see fattureincloud.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes fattureincloud.jsonl.
Run: python fattureincloud_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""valmoz Valmoz emajo barcigabri""".split())
REPOS = ['fattureincloud/*']
COMPANY = {'*': 'Fatture in Cloud (TeamSystem)'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("fattureincloud", "fic-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
