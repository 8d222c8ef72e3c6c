"""A compact token-pattern notation for rule packs, compiled to spaCy Matcher patterns.

Raw spaCy patterns are exact but unreadable in YAML; a rule author wants to
write `non @potere` and have it mean "the word *non*, then any form of
*potere*". One pattern string is a sequence of whitespace-separated token
specs:

    word        the token, case-insensitively ("non")
    a|b|c       any of these words
    @lemma      any inflected form of the lemma ("@potere": posso, possiamo, potremo…)
    @a|b        any form of any of these lemmas
    /regex/     a token whose lower-case text the regex finds a match in
                (re.search: anchor it, /^(ore|ora)$/, to describe the whole token)
    _           any single token
    ^spec       the token must start a sentence (or a line)
    spec?  spec*  spec+  spec{n,m}   how many times the spec may repeat

Literal words are run through the language's own tokenizer at compile time,
so "can't", "l'ora" or "cannot" may be written as the user reads them; when
the alternatives of one spec tokenize to different lengths the pattern is
expanded into one spaCy pattern per combination. A YAML list of dicts is
passed to spaCy untouched, for the rare rule that needs more.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

TokenPattern = list[dict[str, Any]]

_QUANTIFIER = re.compile(r"(\?|\*|\+|\{\d*,?\d*\})$")


class PatternSyntaxError(ValueError):
    """Raised with a message that says which spec of which pattern is wrong."""


def compile_pattern(
    pattern: str | list[dict[str, Any]], tokenize: Callable[[str], list[str]]
) -> list[TokenPattern]:
    """Turn one pattern (string notation or raw spaCy list) into spaCy token patterns."""
    if isinstance(pattern, list):
        if not pattern or not all(isinstance(t, dict) for t in pattern):
            raise PatternSyntaxError("a raw spaCy pattern must be a non-empty list of token dicts")
        return [pattern]
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternSyntaxError("a pattern must be a non-empty string or a list of token dicts")
    alternatives_per_spec = [_compile_spec(spec, tokenize) for spec in pattern.split()]
    compiled = [
        [token for sequence in combination for token in sequence]
        for combination in itertools.product(*alternatives_per_spec)
    ]
    if len(compiled) > 64:
        raise PatternSyntaxError(f"pattern {pattern!r} expands to {len(compiled)} variants (max 64)")
    return compiled


def _compile_spec(spec: str, tokenize: Callable[[str], list[str]]) -> list[TokenPattern]:
    """One spec → alternative token sequences (usually a single one-token sequence)."""
    raw = spec
    sent_start = spec.startswith("^") and len(spec) > 1
    if sent_start:
        spec = spec[1:]
    op = None
    regex_with_op = re.fullmatch(r"(/.+/)(\?|\*|\+|\{\d*,?\d*\})", spec)
    if regex_with_op:
        spec, op = regex_with_op.group(1), regex_with_op.group(2)
    elif not (spec.startswith("/") and spec.endswith("/") and len(spec) > 2):
        found = _QUANTIFIER.search(spec)
        if found and found.start() > 0 and not spec[: found.start()].endswith("\\"):
            op = found.group(1)
            spec = spec[: found.start()]
        spec = spec.replace("\\", "")
    if not spec:
        raise PatternSyntaxError(f"empty token spec {raw!r}")

    extra: dict[str, Any] = {"IS_SENT_START": True} if sent_start else {}
    if op is not None:
        extra["OP"] = op

    if spec == "_":
        return [[{**extra}]] if extra else [[{}]]
    if spec.startswith("/") and spec.endswith("/") and len(spec) > 2:
        regex = spec[1:-1]
        try:
            re.compile(regex)
        except re.error as exc:
            raise PatternSyntaxError(f"bad regex in {raw!r}: {exc}") from None
        return [[{"LOWER": {"REGEX": regex}, **extra}]]
    if spec.startswith("@"):
        lemmas = [w.lstrip("@").lower() for w in spec[1:].split("|") if w.lstrip("@")]
        if not lemmas:
            raise PatternSyntaxError(f"empty lemma in {raw!r}")
        value: Any = lemmas[0] if len(lemmas) == 1 else {"IN": lemmas}
        return [[{"LEMMA": value, **extra}]]

    words = [w for w in spec.split("|") if w]
    if not words:
        raise PatternSyntaxError(f"empty alternative in {raw!r}")
    # Replies are typed on phones and pasted from Word: accept both apostrophes.
    words += [w.replace("'", "’") for w in words if "'" in w]
    single: list[str] = []
    multi: list[list[str]] = []
    for word in words:
        pieces = [p.lower() for p in tokenize(word)]
        (single if len(pieces) == 1 else multi).append(pieces[0] if len(pieces) == 1 else pieces)  # type: ignore[arg-type]
    if multi and op is not None:
        raise PatternSyntaxError(
            f"{raw!r}: a quantifier cannot apply to a word the tokenizer splits ({multi[0]})"
        )
    sequences: list[TokenPattern] = []
    if single:
        value = single[0] if len(single) == 1 else {"IN": sorted(set(single))}
        sequences.append([{"LOWER": value, **extra}])
    for pieces in multi:
        first = {"LOWER": pieces[0], **({"IS_SENT_START": True} if sent_start else {})}
        sequences.append([first] + [{"LOWER": p} for p in pieces[1:]])
    return sequences


def compile_all(
    patterns: Sequence[str | list[dict[str, Any]]], tokenize: Callable[[str], list[str]]
) -> list[TokenPattern]:
    out: list[TokenPattern] = []
    for pattern in patterns:
        out.extend(compile_pattern(pattern, tokenize))
    return out
