#!/usr/bin/env python3
"""Regenerate giuaschool.jsonl from the saved `issues`-corpus search answers in raw/giuaschool/.

Deterministic: reads raw/giuaschool/q*.json in name order, keeps comments by the staff accounts
below (see giuaschool.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes giuaschool.jsonl.
Run: python giuaschool_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""trinko""".split())
REPOS = ['iisgiua/giuaschool']
COMPANY = {'*': 'IIS "Michele Giua" – giua@school'}
EXTRA_DROP = lambda t: t.startswith('Nessuna attività negli')  # periodic stale-issue closing message


if __name__ == "__main__":
    run("giuaschool", "giua-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
