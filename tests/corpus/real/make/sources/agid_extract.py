#!/usr/bin/env python3
"""Regenerate agid.jsonl from the saved `issues`-corpus search answers in raw/agid/.

Deterministic: reads raw/agid/q*.json in name order, keeps comments by the staff accounts
below (see agid.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes agid.jsonl.
Run: python agid_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""pdavide Fupete AntonioGiovanniSchiavone damikael umbros psmiraglia AnaclerioRiccardo""".split())
REPOS = ['italia/spid', 'italia/spid-cie-php', 'AgID/*', 'italia/designers.italia.it']
COMPANY = {'italia/designers.italia.it': 'Designers Italia (Dipartimento per la trasformazione digitale)', '*': 'AgID – Agenzia per l’Italia Digitale'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("agid", "agid-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
