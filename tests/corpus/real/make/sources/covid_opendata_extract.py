#!/usr/bin/env python3
"""Regenerate covid_opendata.jsonl from the saved `issues`-corpus search answers in raw/covid_opendata/.

Deterministic: reads raw/covid_opendata/q*.json in name order, keeps comments by the staff accounts
below (see covid_opendata.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes covid_opendata.jsonl.
Run: python covid_opendata_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""umbros pierluigicara datateam-opendata Giodecris""".split())
REPOS = ['pcm-dpc/COVID-19', 'italia/covid19-opendata-vaccini']
COMPANY = {'pcm-dpc/COVID-19': 'Dipartimento della Protezione Civile', 'italia/covid19-opendata-vaccini': 'Commissario straordinario emergenza Covid-19 / Developers Italia'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("covid_opendata", "dpc-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
