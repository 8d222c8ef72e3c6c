"""How many word forms a per-word cache keeps (lemmas, pattern entries, syllables), per language.

A pre-send hook sees new names and order numbers all day, and a cache entry
costs ~115 bytes: 20,000 forms hold the common vocabulary of real replies,
and the caches of both languages together stay under 15 MiB. At 200,000
each they grew RSS by 1.6 MiB per 1,000 checks of new words
(`benchmarks/soak.py`). A module of its own so that every layer may import
it without importing spaCy; so is the build-once helper below.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
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


def cache_folder() -> Path | None:
    """The folder for files replylint derives from what it ships (compiled patterns, lemma
    databases) and keeps between runs, or None when caching is off: `REPLYLINT_NO_CACHE=1`;
    `REPLYLINT_CACHE_DIR` moves it from the user's cache folder. Never reply text."""
    if os.environ.get("REPLYLINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("REPLYLINT_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("replylint", appauthor=False))


def write_cache_file(path: Path, write: Callable[[Path], None]) -> bool:
    """Create the cache file `path` by `write(temporary path)` and a rename, so processes starting
    together never read half a file, then remove the files of other fingerprints (the same name up
    to its last "-"). False, with nothing left behind, when the folder cannot be written."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix="." + path.stem + "-", suffix=".tmp", dir=folder)
        os.close(handle)
        temporary = Path(name)
        try:
            write(temporary)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        prefix = path.name.rsplit("-", 1)[0] + "-"
        for old in folder.glob(prefix + "*" + path.suffix):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    except OSError:
        return False
    return True
