"""The form → lemma tables, looked up in an SQLite file instead of read into memory.

The Italian table has 333,682 forms: read from its gzipped JSON into a dict it
cost 0.3–0.4 s of every cold Italian check and 49 MiB of memory, to look up
the twenty-odd words of a short reply. The first run writes each table into an
SQLite database in replylint's cache folder (about 1 s, once per table), named
by a digest of the shipped file so that a new table gives a new database;
later runs open it in read-only, immutable mode and ask for the words they
meet (the lemmatizer keeps its answers in a bounded per-word cache). With the
cache off or its folder unwritable, the table is read into a dict as before:
the same lookups either way.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .caches import cache_folder, write_cache_file


class LemmaTable(Protocol):
    def get(self, form: str) -> str | None: ...

    def __len__(self) -> int: ...


class SqliteLemmas:
    """A read-only lemma database. One connection shared by the threads of a server, one query at
    a time (each takes a few microseconds)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._size = self._db.execute("SELECT count(*) FROM lemma").fetchone()[0]

    def get(self, form: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT lemma FROM lemma WHERE form = ?", (form,)).fetchone()
        return row[0] if row is not None else None

    def __len__(self) -> int:
        return self._size


def _write_database(table: dict[str, str], path: Path) -> None:
    """The table as a database at `path`. A failure (a full disk…) is an OSError, which
    `write_cache_file` turns into "no cache", like any other folder it cannot write."""
    try:
        db = sqlite3.connect(path)
        try:
            db.execute("CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO lemma VALUES (?, ?)", table.items())
            db.commit()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise OSError(f"cannot write the lemma database: {exc}") from exc


def open_lemma_table(lang: str, source: Path, read: Callable[[Path], dict[str, str]]) -> LemmaTable:
    """The table shipped at `source` (read by `read`), as a database in the cache folder when one
    can be opened or written, else as a dict."""
    folder = cache_folder()
    if folder is not None:
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        except OSError:
            digest = None
        if digest is not None:
            path = folder / f"lemmas-{lang}-{digest}.sqlite3"
            damaged = False
            if path.is_file():
                try:
                    return SqliteLemmas(path)
                except sqlite3.Error:  # written anew below for the next run; this one uses the dict
                    damaged = True
            table = read(source)
            if write_cache_file(path, lambda temporary: _write_database(table, temporary)) and not damaged:
                try:
                    return SqliteLemmas(path)
                except sqlite3.Error:
                    pass
            return table
    return read(source)
