"""Find, and rewrite in place, the patterns of a pack that use an ambiguous `|`.

The loader refuses `can|could not` (it means `(can|could) not`, but reads
like `can|(could not)`). A team upgrading an older pack gets every such
pattern listed with its file, rule and line, and `--fix` writes the
explicit form that keeps today's meaning, editing the YAML text rather than
re-dumping it, so comments, order and quoting stay as the author left them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.lexicon import LEXICON_FILE
from ..core.packs import pack_files
from ..core.patterns import PatternSyntaxError, explicit_form
from ..errors import PackError

# The fields of a pack entry (and of a lexicon) whose strings are in the pattern notation.
PATTERN_FIELDS = ("patterns", "unless", "unless_in_sentence", "requires_in_sentence", "unless_nearby")


@dataclass(frozen=True)
class Ambiguity:
    path: Path
    line: int  # 1-based line of the pattern in the file (0 when it could not be located)
    owner: str  # the rule code, or "lexicon entry NAME"
    pattern: str
    explicit: str

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.owner}: ambiguous pattern {self.pattern!r}; it means {self.explicit!r}"


def _patterns(path: Path, data: object) -> Iterator[tuple[str, str]]:
    """(owner, pattern string) of every notation string in one parsed pack or lexicon file."""
    if path.name == LEXICON_FILE and isinstance(data, dict):
        for name, patterns in (data.get("phrases") or {}).items():
            for pattern in patterns or ():
                if isinstance(pattern, str):
                    yield f"lexicon entry {name!r}", pattern
        return
    for index, entry in enumerate(data if isinstance(data, list) else (), start=1):
        if not isinstance(entry, dict):
            continue
        owner = f"rule {entry.get('code') or f'#{index}'}"
        for field in PATTERN_FIELDS:
            for pattern in entry.get(field) or ():
                if isinstance(pattern, str):
                    yield owner, pattern


def _spellings(pattern: str) -> list[str]:
    """How a string can stand in YAML source: double-quoted, single-quoted, plain."""
    return [json.dumps(pattern, ensure_ascii=False), "'" + pattern.replace("'", "''") + "'", pattern]


def _parse(path: Path, text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: invalid YAML: {getattr(exc, 'problem', exc)}") from None


def find_ambiguous(path: Path) -> list[Ambiguity]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for owner, pattern in _patterns(path, _parse(path, text)):
        try:
            explicit = explicit_form(pattern)
        except PatternSyntaxError:
            continue  # a different error: the loader reports it
        if explicit == pattern:
            continue
        line = next((n for n, content in enumerate(lines, start=1)
                     if any(s in content for s in _spellings(pattern))), 0)
        found.append(Ambiguity(path, line, owner, pattern, explicit))
    return found


def _rewrite_line(content: str, rewrites: dict[str, str]) -> str:
    """One source line with each ambiguous pattern, in whatever quoting it has, replaced by its explicit form."""
    for old, new in rewrites.items():
        for old_spelling, new_spelling in zip(_spellings(old)[:2], _spellings(new)[:2]):
            content = content.replace(old_spelling, new_spelling)
        stripped = content.strip()
        if stripped == f"- {old}" or stripped.endswith(f": {old}"):  # a plain (unquoted) scalar
            content = content[: content.rindex(old)] + _spellings(new)[0] + content[content.rindex(old) + len(old):]
    return content


def fix_file(path: Path) -> int:
    """Rewrite every ambiguous pattern of one file in its explicit form; the number rewritten.

    The file is written only when re-reading it gives exactly the intended
    patterns, so a spelling the text search cannot handle is reported, not
    half-fixed.
    """
    ambiguities = find_ambiguous(path)
    if not ambiguities:
        return 0
    original = path.read_text(encoding="utf-8")
    rewrites = {item.pattern: item.explicit for item in ambiguities}
    text = "".join(_rewrite_line(line, rewrites) for line in original.splitlines(keepends=True))
    expected = [explicit_form(p) for _, p in _patterns(path, _parse(path, original))]
    if [p for _, p in _patterns(path, _parse(path, text))] != expected:
        raise PackError(f"{path}: the automatic rewrite would change more than the ambiguous patterns; edit by hand")
    path.write_text(text, encoding="utf-8")
    return len(ambiguities)


def lint_folder(folder: Path, fix: bool = False) -> tuple[list[Ambiguity], int]:
    """Every ambiguous pattern of a pack folder, and (with `fix`) how many were rewritten."""
    found: list[Ambiguity] = []
    fixed = 0
    for path in pack_files(folder):
        found.extend(find_ambiguous(path))
        if fix:
            fixed += fix_file(path)
    return found, fixed
