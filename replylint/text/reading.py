"""Read a reply from a file or standard input, bounded by `max_chars`.

The CLI's commands all take "a file, or - for standard input". A device or a
pipe has no size to look at first, so the read itself is bounded: `/dev/zero`
or `yes | replylint check /dev/stdin` would otherwise be read until memory
ran out. Every refusal is an `InputError` with one line naming the source.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError


def read_text_input(name: str, max_chars: int) -> str:
    """The text of a file (or stdin for "-"), refusing what is not a UTF-8 text of sane size.

    Reads at most the bytes `max_chars` characters can take (4 each in UTF-8) and one more, from
    files, pipes and devices alike: a device or a pipe has no size to look at first, and
    `/dev/zero` or `yes | replylint check /dev/stdin` would otherwise be read until memory ran out."""
    limit = max_chars * 4
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
        label = "standard input"
    else:
        path = Path(name)
        if path.is_dir():
            raise InputError(f"{name}: is a directory, expected a text file")
        try:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror or type(exc).__name__})") from None
        label = name
    if len(data) > limit:
        raise InputError(f"{label}: more than {limit:,} bytes, too large to check (limit {max_chars:,} characters)")
    if b"\x00" in data[:8192]:
        raise InputError(f"{label}: looks like a binary file, expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not valid UTF-8 text (bad byte at offset {exc.start})") from None
