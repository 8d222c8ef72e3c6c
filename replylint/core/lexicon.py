"""Lexicons: named cue lists per language that rule kinds written in Python rely on.

LATTE, structure and context checks need to recognise things — an apology,
a greeting, a complaint in the customer's message, a time frame — that are
language data, not code. They live in `rules/<lang>/lexicon.yaml` beside the
rule packs so that a team can extend them without touching Python:

    lang: it
    phrases:                 # pattern notation of replylint.core.patterns
      apology: ["mi dispiace", "ci @scusare"]
    words:                   # plain word lists
      generic: ["grazie", "ciao"]

Several lexicon files for one language merge (lists are concatenated).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from spacy.vocab import Vocab

from ..errors import PackError
from .matching import IndexedDoc, PatternGroup
from ..models import Language
from .patterns import PatternSyntaxError, compile_all
from .rulespec import Pattern

LEXICON_FILE = "lexicon.yaml"


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Language
    phrases: dict[str, list[Pattern]] = Field(default_factory=dict)
    words: dict[str, list[str]] = Field(default_factory=dict)


def load_lexicon_file(path: Path) -> LexiconFile:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return LexiconFile.model_validate(data or {})
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise PackError(f"{path}: invalid lexicon: {problems}") from None


class Lexicon:
    """One language's merged lexicon, compiled against that language's pipeline."""

    def __init__(
        self,
        files: list[tuple[Path, LexiconFile]],
        vocab: Vocab,
        tokenize: Callable[[str], list[str]],
    ) -> None:
        phrases: dict[str, list[Pattern]] = {}
        words: dict[str, set[str]] = {}
        origin: dict[str, Path] = {}
        for path, data in files:
            for name, patterns in data.phrases.items():
                phrases.setdefault(name, []).extend(patterns)
                origin.setdefault(name, path)
            for name, values in data.words.items():
                words.setdefault(name, set()).update(v.lower() for v in values)
        self.groups: dict[str, PatternGroup] = {}
        for name, patterns in phrases.items():
            try:
                self.groups[name] = PatternGroup(vocab, f"lexicon:{name}", compile_all(patterns, tokenize))
            except (PatternSyntaxError, ValueError) as exc:
                first_line = str(exc).strip().splitlines()[0]
                raise PackError(f"{origin[name]}: lexicon entry {name!r}: {first_line}") from None
        self.words = {name: frozenset(values) for name, values in words.items()}

    def require(self, names: list[str], who: str) -> None:
        missing = [n for n in names if n not in self.groups and n not in self.words]
        if missing:
            raise PackError(f"{who} needs lexicon entries that are missing: {', '.join(missing)}")

    def find(self, name: str, index: IndexedDoc, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        group = self.groups.get(name)
        return group.find(index, start, end) if group is not None else []
