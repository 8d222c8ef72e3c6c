"""How many word forms a per-word cache keeps (lemmas, pattern entries, syllables), per language.

A pre-send hook sees new names and order numbers all day, and a cache entry
costs ~115 bytes: 20,000 forms hold the common vocabulary of real replies,
and the caches of both languages together stay under 15 MiB. At 200,000
each they grew RSS by 1.6 MiB per 1,000 checks of new words
(`benchmarks/soak.py`). A module of its own so that every layer may import
it without importing spaCy; so is the build-once helper below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

WORD_CACHE_LIMIT = 20_000


def built_once(cache: dict[K, T], lock: threading.Lock, key: K, build: Callable[[], T]) -> T:
    """`cache[key]`, built by `build` the first time: process-wide objects (pipelines, spellers,
    engines) that cost seconds are built once even when two threads ask at the same moment."""
    found = cache.get(key)
    if found is None:
        with lock:
            found = cache.get(key)
            if found is None:
                found = cache[key] = build()
    return found
