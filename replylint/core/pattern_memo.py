"""Compiled pattern notation kept on disk between runs.

A cold `replylint check` compiled the whole catalogue of its language before
the first reply: about 2,000 patterns whose words each go through spaCy's
tokenizer, 0.3–0.4 s of the one-second compile, paid again on every command
of the training CLI and on every pre-commit run. The compiled form is plain
JSON that depends only on the pattern's text, the language's tokenizer and
the compiling code, so it is kept in the user's cache folder (like Ruff's
`.ruff_cache`) under a fingerprint of exactly those: another spaCy, another
replylint or an edited compiler module gives another file, never a stale
entry. The file holds pattern text from rule packs, never reply text.

`REPLYLINT_CACHE_DIR` moves the folder; `REPLYLINT_NO_CACHE=1` turns it off.
A cache that cannot be read is ignored, one that cannot be written is
skipped: the catalogue then compiles as before. Only patterns that compiled
are kept, so a pack error is raised at every load, cached or not.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..text.caches import cache_folder, write_cache_file

TokenPattern = list[dict[str, Any]]

# Past this many entries a save keeps only the patterns this compile used: a team that edits
# its own pack all day should not grow the file for ever.
MAX_ENTRIES = 20_000


def fingerprint(lang: str, parts: Iterable[str | bytes]) -> str:
    """A digest of everything the compiled form depends on (language, versions, compiler source)."""
    digest = hashlib.sha256(lang.encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()[:20]


class PatternMemo:
    """pattern text → its compiled token patterns (as JSON text) for one language and fingerprint."""

    def __init__(self, path: Path | None, entries: dict[str, str]) -> None:
        self.path = path
        self._entries = entries
        self._used: set[str] = set()
        self._added = 0
        self._lock = threading.Lock()

    @classmethod
    def open(cls, lang: str, key: str) -> PatternMemo:
        """The memo on disk for this language and fingerprint; empty when absent, unreadable or off."""
        folder = cache_folder()
        if folder is None:
            return cls(None, {})
        path = folder / f"patterns-{lang}-{key}.json"
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        if not isinstance(loaded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
            return cls(path, {})
        return cls(path, loaded)

    def get(self, pattern: str) -> list[TokenPattern] | None:
        """A fresh copy of the compiled form (callers may keep or change it), or None."""
        text = self._entries.get(pattern)
        if text is None:
            return None
        try:
            compiled = json.loads(text)
        except ValueError:
            return None
        self._used.add(pattern)
        return compiled

    def put(self, pattern: str, compiled: list[TokenPattern]) -> None:
        with self._lock:
            self._entries[pattern] = json.dumps(compiled, ensure_ascii=False, separators=(",", ":"))
            self._used.add(pattern)
            self._added += 1

    def save(self) -> None:
        """Write the file when this compile added entries (see `write_cache_file`: atomic, older
        fingerprints' files go, an unwritable folder is skipped)."""
        if self.path is None or not self._added:
            return
        with self._lock:
            entries = self._entries
            if len(entries) > MAX_ENTRIES:
                entries = {k: v for k, v in entries.items() if k in self._used}
            data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
            self._added = 0
        write_cache_file(self.path, lambda temporary: temporary.write_text(data, encoding="utf-8"))


class MemoTokenizer:
    """A language's pattern-word tokenizer that carries the language's memo of compiled patterns,
    so `patterns.compile_all` can reuse what an earlier run compiled. Kinds call it like the plain
    tokenizer it wraps."""

    def __init__(self, split: Callable[[str], Sequence[str]], memo: PatternMemo) -> None:
        self._split = split
        self.memo = memo

    def __call__(self, word: str) -> Sequence[str]:
        return self._split(word)
