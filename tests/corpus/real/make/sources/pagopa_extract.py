#!/usr/bin/env python3
"""Regenerate pagopa.jsonl from the saved `issues`-corpus search answers in raw/pagopa/.

Deterministic: reads raw/pagopa/q*.json in name order, keeps comments by the staff accounts
below (see pagopa.md for how they were identified), applies the rules of SCHEMA.md through
issues_common.extract (HTML->text, mojibake repair, truncated-excerpt drop, <3 words, non-Italian,
exact duplicates, <=5 per canned template, held-out overlap) and writes pagopa.jsonl.
Run: python pagopa_extract.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from issues_common import run  # noqa: E402

STAFF = set("""thisisjp cristianosticca-pagopa FedericaSicchiero ruggerocastagnola MarcoTormen andreapasuch corvettafabio gammam Undermaken aferracci""".split())
REPOS = ['pagopa/*']
COMPANY = {'*': 'PagoPA S.p.A.'}
EXTRA_DROP = None


if __name__ == "__main__":
    run("pagopa", "pagopa-", STAFF, REPOS, COMPANY, extra_drop=EXTRA_DROP)
