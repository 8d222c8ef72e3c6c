#!/usr/bin/env python3
"""Regenerate anpr.jsonl from the saved `issues`-corpus search answers in raw/anpr/.

Deterministic: reads raw/anpr/q*.json in name order, keeps comments by the staff accounts
below (see anpr.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes anpr.jsonl.
Run: python anpr_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""gcarbonin rvinzani FilippoPapi mttfranci luca-teamdigitale amollicone1982 ncapozzi frmariani cmigliardi azabatta asqueglia rfamiglini amusarra gife67 apaolacci gppbarone marcocipri gbuemi""".split())
REPOS = ['italia/anpr', 'italia/ansc']
COMPANY = {'italia/anpr': "ANPR – Ministero dell'Interno (assistenza ANPR)", 'italia/ansc': "ANSC – Ministero dell'Interno (Supporto ANSC)"}
EXTRA_DROP = None


if __name__ == "__main__":
    run("anpr", "anpr-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
