"""Shared fixtures. Tests force the blank pipeline so results do not depend on
which optional spaCy models happen to be installed on the machine, and keep the
compiled-pattern memo in a folder of their own (removed at exit) instead of the
user's cache: CLI subprocesses inherit it, so they read what the first compile wrote."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("REPLYLINT_NLP", "blank")
if "REPLYLINT_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="replylint-test-cache-")
    os.environ["REPLYLINT_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, True)
