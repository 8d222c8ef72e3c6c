"""Export files → rows, streamed: CSV, JSON lines and Parquet, one row at a time.

A team lead's export is large and imperfect: a month of replies, a stray quote, a cell saved in
the wrong encoding by a spreadsheet. Reading never holds more than one row (or one Parquet batch)
and never stops at a bad row: a row that cannot be read becomes a `SourceRow` with an `error` and
its line number, so it still gets its output row and the run goes on. Only a file that cannot be
read at all (missing, wrong kind, no header) stops the run, before anything is graded.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

CSV_SUFFIXES = (".csv", ".tsv")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXPORT_SUFFIXES = CSV_SUFFIXES + JSON_SUFFIXES + PARQUET_SUFFIXES
PARQUET_BATCH = 512


@dataclass(frozen=True)
class SourceRow:
    """One row of an export: its fields, or why they could not be read. `line` is where the row
    starts in a text file (None for Parquet); `consumed` is how many bytes of the file have been
    read so far (for the progress bar)."""

    line: int | None
    fields: dict[str, Any] | None
    error: str | None = None
    consumed: int = 0


def kind_of(path: Path) -> str:
    """"csv", "jsonl" or "parquet", from the file name."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSON_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(f"{path}: unknown export format {suffix or '(no extension)'!r}; "
                     f"expected one of {', '.join(EXPORT_SUFFIXES)}")


def open_export(path: Path, *, max_bytes: int, encoding: str = "utf-8") -> tuple[tuple[str, ...] | None, Iterator[SourceRow]]:
    """The header (CSV only) and the rows of an export. Raises `InputError` for a file that cannot
    be read at all; every later problem is a row's `error`. `max_bytes` bounds one row."""
    kind = kind_of(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected an export file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if kind == "csv":
        return _csv(path, max_bytes, encoding)
    if kind == "jsonl":
        return None, _jsonl(path, max_bytes, encoding)
    return None, _parquet(path)


def _open(path: Path):  # type: ignore[no-untyped-def]
    try:
        return path.open("rb")
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None


class _Lines:
    """Decoded lines of a binary file, each at most `limit` bytes (a longer line arrives in
    pieces), with the bytes read so far. Undecodable bytes become lone surrogates so that the row
    holding them can be reported instead of the whole file failing."""

    def __init__(self, handle, limit: int, encoding: str) -> None:  # type: ignore[no-untyped-def]
        self.handle = handle
        self.limit = limit
        self.encoding = encoding
        self.consumed = 0
        self.first = True
        self.cut = False  # the last piece was not a whole line: the line goes on

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.handle.readline(self.limit)
            if not raw:
                return
            self.consumed += len(raw)
            self.cut = len(raw) >= self.limit and not raw.endswith(b"\n")
            if self.first:
                self.first = False
                if raw.startswith(codecs.BOM_UTF8) and self.encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
                    raw = raw[len(codecs.BOM_UTF8):]
            yield raw.decode(self.encoding, errors="surrogateescape")


def _undecodable(values: list[str] | dict[str, Any]) -> bool:
    cells = values.values() if isinstance(values, dict) else values
    return any(isinstance(cell, str) and any("\udc80" <= ch <= "\udcff" for ch in cell) for cell in cells)


def _csv_reader(handle, path: Path, max_bytes: int, encoding: str):  # type: ignore[no-untyped-def]
    lines = _Lines(handle, max_bytes + 2, encoding)
    # Process-wide in the csv module; only ever raised, to let one reply of max_bytes through.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    return lines, csv.reader(iter(lines), dialect=dialect, strict=True)


def _csv(path: Path, max_bytes: int, encoding: str) -> tuple[tuple[str, ...], Iterator[SourceRow]]:
    """The header, read and checked now (the file is closed again), and the rows, read when
    iterated: many inputs never hold more than one open file."""
    with _open(path) as handle:
        _, reader = _csv_reader(handle, path, max_bytes, encoding)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file, expected a header line and rows") from None
        except csv.Error as exc:
            raise InputError(f"{path}: the header line cannot be read as CSV ({exc})") from None
    if _undecodable(header):
        raise InputError(f"{path}: the header is not {encoding} text; pass --encoding (e.g. cp1252)")
    names = tuple(name.strip() for name in header)
    if not any(names):
        raise InputError(f"{path}: the first line is empty, expected a header line")
    return names, _csv_rows(path, names, max_bytes, encoding)


def _csv_rows(path: Path, names: tuple[str, ...], max_bytes: int, encoding: str) -> Iterator[SourceRow]:
    with _open(path) as handle:
        lines, reader = _csv_reader(handle, path, max_bytes, encoding)
        next(reader)  # the header, checked by _csv
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield SourceRow(start, None, f"line {start}: bad CSV ({exc})", lines.consumed)
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not cells:  # a blank line is not a row
                continue
            if _undecodable(cells):
                yield SourceRow(line, None, f"line {line}: not {encoding} text (pass --encoding)", lines.consumed)
            elif len(cells) < len(names):
                missing = ", ".join(repr(n) for n in names[len(cells):][:3])
                yield SourceRow(line, None, f"line {line}: {len(cells)} fields, the header has {len(names)} "
                                            f"(missing {missing})", lines.consumed)
            elif len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
                yield SourceRow(line, None, f"line {line}: {len(cells)} fields, the header has {len(names)}",
                                lines.consumed)
            else:
                yield SourceRow(line, dict(zip(names, cells)), None, lines.consumed)


def _jsonl(path: Path, max_bytes: int, encoding: str) -> Iterator[SourceRow]:
    handle = _open(path)
    with handle:
        head = handle.read(64).lstrip(codecs.BOM_UTF8).lstrip()
        handle.seek(0)
        if head.startswith(b"["):
            raise InputError(f"{path}: a JSON array; batch reads JSON lines (one object per line), "
                             "e.g. convert with: jq -c '.[]' FILE > FILE.jsonl")
    return _jsonl_rows(path, max_bytes, encoding)


def _jsonl_rows(path: Path, max_bytes: int, encoding: str) -> Iterator[SourceRow]:
    with _open(path) as handle:
        lines = _Lines(handle, max_bytes + 2, encoding)
        number = 0
        too_long = False
        for text in lines:
            if too_long or lines.cut:  # a line longer than a row may be: skip to its end, keep nothing
                if not lines.cut:
                    number += 1
                    too_long = False
                    yield SourceRow(number, None, f"line {number}: longer than {max_bytes:,} bytes", lines.consumed)
                else:
                    too_long = True
                continue
            number += 1
            if not text.strip():
                continue
            if _undecodable([text]):
                yield SourceRow(number, None, f"line {number}: not {encoding} text (pass --encoding)", lines.consumed)
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                yield SourceRow(number, None, f"line {number}: bad JSON ({exc.msg} at column {exc.colno})",
                                lines.consumed)
                continue
            if not isinstance(value, dict):
                yield SourceRow(number, None, f"line {number}: a JSON {type(value).__name__}, expected an object",
                                lines.consumed)
                continue
            yield SourceRow(number, value, None, lines.consumed)
        if too_long:
            yield SourceRow(number + 1, None, f"line {number + 1}: longer than {max_bytes:,} bytes", lines.consumed)


def _parquet(path: Path) -> Iterator[SourceRow]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install pyarrow") from None
    failures = (pa.ArrowException, OSError)
    try:
        pq.ParquetFile(str(path)).close()  # readable at all: checked now, read when iterated
    except failures as exc:
        raise InputError(f"{path}: not a readable Parquet file ({' '.join(str(exc).split())[:160]})") from None
    return _parquet_rows(path, pq, failures)


def _parquet_rows(path: Path, pq, failures: tuple[type[Exception], ...]) -> Iterator[SourceRow]:  # type: ignore[no-untyped-def]
    size = path.stat().st_size
    done = 0
    with pq.ParquetFile(str(path)) as parquet:
        total = max(1, parquet.metadata.num_rows)
        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
                for fields in batch.to_pylist():
                    done += 1
                    yield SourceRow(None, fields, None, size * done // total)
        except failures as exc:
            yield SourceRow(None, None, f"after row {done}: the rest of the file cannot be read "
                                        f"({' '.join(str(exc).split())[:160]})", size)
