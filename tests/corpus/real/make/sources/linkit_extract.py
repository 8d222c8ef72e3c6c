#!/usr/bin/env python3
"""Regenerate linkit.jsonl from the saved `issues`-corpus search answers in raw/linkit/.

Deterministic: reads raw/linkit/q*.json in name order, keeps comments by the staff accounts
below (see linkit.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes linkit.jsonl.
Run: python linkit_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""nardil pintorig andreapoli""".split())
REPOS = ['link-it/*']
COMPANY = {'*': 'Link.it srl'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("linkit", "linkit-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
