"""Rule packs: YAML files of rule entries, validated strictly when loaded.

A pack is a YAML list of rules. The shipped packs live in the top-level
`rules/<lang>/` folder of the source tree and inside the wheel as
`replylint/rules/`; a team adds its own folder with the same format. A
broken pack must never half-load: any problem raises `PackError` naming the
file and the rule, so a typo in a team's pack is found when the linter
starts, not silently ignored in production.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import Field, TypeAdapter, ValidationError

from ..errors import PackError
from .lexicon import LEXICON_FILE, LexiconFile, load_lexicon_file
from .rulespec import RuleBase

RuleModels = Mapping[str, type[RuleBase]]
"""Each rule kind's name and the pydantic model of its YAML entry (`kinds.KINDS` gives them)."""


@lru_cache(maxsize=8)
def _entry_reader(models: tuple[tuple[str, type[RuleBase]], ...]) -> TypeAdapter[Any]:
    """One validator for an entry of any of these kinds, dispatched on its `kind` field.

    The kinds are passed in rather than imported: they sit a layer above the
    rule machinery, and a test may load packs with a kind of its own.
    """
    union = Annotated[Union[tuple(model for _, model in models)], Field(discriminator="kind")]  # type: ignore[misc]
    return TypeAdapter(union)


# libyaml's parser when PyYAML was built with it (the PyPI wheels are): packs load 10× faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def shipped_folder(name: str) -> tuple[Path | None, Path]:
    """A data folder the wheel ships inside the package (`rules`, `scenarios`) and a source
    checkout keeps beside it: the one found (or None), and where the wheel's would be."""
    package = Path(__file__).resolve().parents[1]
    found = next((c for c in (package / name, package.parent / name) if c.is_dir()), None)
    return found, package / name


def default_packs_dir() -> Path:
    """The shipped packs: inside the installed package, or the source tree's `rules/`."""
    found, expected = shipped_folder("rules")
    if found is None:
        raise PackError(f"the shipped rule packs are missing (looked in {expected})")
    return found


def pack_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise PackError(f"{directory}: rule pack folder not found")
    return sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_file(path: Path, models: RuleModels) -> list[RuleBase]:
    """Parse and validate one pack file."""
    reader = _entry_reader(tuple(models.items()))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise PackError(f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read rule pack: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise PackError(f"{path}: a rule pack is a YAML list of rules, got {type(data).__name__}")
    rules: list[RuleBase] = []
    for index, entry in enumerate(data, start=1):
        label = entry.get("code") if isinstance(entry, dict) and entry.get("code") else f"#{index}"
        if not isinstance(entry, dict):
            raise PackError(f"{path}: rule {label}: each rule is a mapping of fields")
        try:
            rules.append(reader.validate_python(entry))
        except ValidationError as exc:
            raise PackError(f"{path}: rule {label}: {_describe(exc, models)}") from None
    return rules


def _describe(exc: ValidationError, models: RuleModels) -> str:
    messages = []
    for error in exc.errors():
        where = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
        if where and where[0] in models:  # pydantic puts the discriminator value first
            where = where[1:]
        loc = ".".join(where)
        if error["type"] == "extra_forbidden":
            messages.append(f"unknown field {loc!r}")
        elif error["type"] == "union_tag_invalid":
            kind = error["input"].get("kind") if isinstance(error["input"], dict) else None
            messages.append(f"unknown kind {kind!r} (known: {', '.join(models)})")
        elif error["type"] == "union_tag_not_found":
            messages.append(f"missing field 'kind' (one of: {', '.join(models)})")
        elif error["type"] == "missing":
            messages.append(f"missing field {loc!r}")
        else:
            messages.append(f"{loc or 'value'}: {error['msg']}")
    return "; ".join(messages)


@dataclass
class PackSet:
    rules: list[RuleBase] = field(default_factory=list)
    origin: dict[tuple[str, str], Path] = field(default_factory=dict)  # (code, lang) → file
    lexicons: list[tuple[Path, LexiconFile]] = field(default_factory=list)


def load_packs(directories: Iterable[Path], models: RuleModels) -> PackSet:
    """All rules and lexicons of all folders, refusing a duplicate (code, language)."""
    packs = PackSet()
    for directory in directories:
        for path in pack_files(Path(directory)):
            if path.name == LEXICON_FILE:
                packs.lexicons.append((path, load_lexicon_file(path)))
                continue
            for rule in load_file(path, models):
                key = (rule.code, rule.lang)
                if key in packs.origin:
                    raise PackError(
                        f"{path}: rule {rule.code}: duplicate code for language {rule.lang!r} "
                        f"(already defined in {packs.origin[key]})"
                    )
                packs.origin[key] = path
                packs.rules.append(rule)
    return packs
