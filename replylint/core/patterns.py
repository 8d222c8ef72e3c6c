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
    (a b)|c     a group: a phrase as one alternative ("a b", or "c")
    (a|b) c     a group around one-word alternatives: "a c" or "b c"

`|` binds tighter than the space between specs: `can|could not` would mean
"can not" or "could not", while a reader easily takes it for "can" or
"could not". So a `|` of plain words right beside a plain word is refused
(`AmbiguousAlternation`, with both readings spelled out): write the group
you mean, `(can|could) not` or `can|(could not)`. A group holds any
pattern (`(non @potere)|mai`); `?` may follow a group of several tokens,
the other quantifiers only a group of one token.

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

from . import backtracking
from .pattern_memo import MemoTokenizer

TokenPattern = list[dict[str, Any]]

_QUANTIFIER = re.compile(r"(\?|\*|\+|\{\d*,?\d*\})$")


class PatternSyntaxError(ValueError):
    """Raised with a message that says which spec of which pattern is wrong."""


class AmbiguousAlternation(PatternSyntaxError):
    """A `|` of plain words beside a plain word: the message gives both readings as groups."""


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
    specs = split_specs(pattern)
    _refuse_ambiguous(pattern, specs)
    alternatives_per_spec = [_compile_spec(spec, tokenize) for spec in specs]
    compiled = [
        [token for sequence in combination for token in sequence]
        for combination in itertools.product(*alternatives_per_spec)
    ]
    compiled = [tokens for tokens in compiled if tokens]
    if not compiled:
        raise PatternSyntaxError(f"pattern {pattern!r} can match nothing at all (every part is optional)")
    if len(compiled) > 64:
        raise PatternSyntaxError(f"pattern {pattern!r} expands to {len(compiled)} variants (max 64)")
    return compiled


def _regex_end(chunk: str, start: int) -> int:
    """Where a /regex/ that opens at `start` ends (just past its closing slash), within one chunk."""
    close = chunk.rfind("/")
    return close + 1 if close > start else len(chunk)


def _depth_change(chunk: str) -> int:
    """Opening minus closing parentheses of a whitespace-free chunk, not counting those inside /regexes/."""
    depth, i = 0, 0
    while i < len(chunk):
        ch = chunk[i]
        if ch == "/" and (i == 0 or chunk[i - 1] in "(|^"):
            i = _regex_end(chunk, i)
            continue
        if ch == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    return depth


def split_specs(pattern: str) -> list[str]:
    """The whitespace-separated specs of a pattern, a parenthesised group kept whole."""
    specs: list[str] = []
    current: list[str] = []
    depth = 0
    for chunk in pattern.split():
        current.append(chunk)
        depth += _depth_change(chunk)
        if depth < 0:
            raise PatternSyntaxError(f"pattern {pattern!r}: a ')' closes no group")
        if depth == 0:
            specs.append(" ".join(current))
            current = []
    if current:
        raise PatternSyntaxError(f"pattern {pattern!r}: a '(' is never closed")
    return specs


def _split_alternatives(body: str) -> list[str]:
    """`(a b)|c|d` → ["(a b)", "c", "d"]: the `|` outside groups and regexes."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "/" and (i == 0 or body[i - 1] in "(|^ "):
            close = body.find("/", i + 1)
            while close != -1 and close + 1 < len(body) and body[close + 1] not in " )|?*+{":
                close = body.find("/", close + 1)
            i = close + 1 if close != -1 else len(body)
            continue
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def _has_group(spec: str) -> bool:
    body = spec[1:] if spec.startswith("^") and len(spec) > 1 else spec
    return any(alt.startswith("(") for alt in _split_alternatives(body))




def _is_plain(spec: str) -> bool:
    """A word or a `|` of words, maybe with ^ or a quantifier: no lemma, regex, wildcard or group."""
    body = spec[1:] if spec.startswith("^") and len(spec) > 1 else spec
    if not body or body[0] in "@/(_" or "(" in body or ")" in body:
        return False
    return all(alt and alt[0] not in "@/_" for alt in body.split("|"))


def _ambiguous(specs: list[str], i: int) -> bool:
    """Spec i is a `|` of plain words with a plain word (or another such `|`) right beside it."""
    spec = specs[i]
    if "|" not in spec or not _is_plain(spec):
        return False
    return any(0 <= j < len(specs) and _is_plain(specs[j]) for j in (i - 1, i + 1))


def _grouped(spec: str) -> str:
    """`^a|b?` → `^(a|b)?`: the same spec with its alternatives in an explicit group."""
    sent_start = "^" if spec.startswith("^") and len(spec) > 1 else ""
    body = spec[len(sent_start):]
    found = _QUANTIFIER.search(body)
    op = found.group(1) if found and found.start() > 0 else ""
    return f"{sent_start}({body[: len(body) - len(op)]}){op}"


def explicit_form(pattern: str) -> str:
    """The pattern with every ambiguous `|` in a group: what it means today, written unambiguously.

    `can|could not` → `(can|could) not`. A pattern with nothing ambiguous
    comes back unchanged (white space included).
    """
    if not isinstance(pattern, str):
        return pattern
    specs = split_specs(pattern)
    rewritten = [_explicit_groups(spec) for spec in specs]
    if rewritten == specs and not any(_ambiguous(specs, i) for i in range(len(specs))):
        return pattern
    return " ".join(_grouped(spec) if _ambiguous(specs, i) else spec for i, spec in enumerate(rewritten))


def _explicit_groups(spec: str) -> str:
    """The spec with the pattern inside each of its groups made explicit too: `(reach out|call) us`."""
    if not _has_group(spec):
        return spec
    sent_start = "^" if spec.startswith("^") and len(spec) > 1 else ""
    body = spec[len(sent_start):]
    op = ""
    found = _QUANTIFIER.search(body)
    if found and found.start() > 0 and body[found.start() - 1] == ")":
        op, body = found.group(1), body[: found.start()]
    parts = [
        f"({explicit_form(alt[1:-1].strip())})" if alt.startswith("(") and alt.endswith(")") else alt
        for alt in _split_alternatives(body)
    ]
    return sent_start + "|".join(parts) + op


def _phrase_reading(specs: list[str], i: int) -> str | None:
    """What an author who meant phrases wrote `a b|c d` for: `(a b)|(c d)`; None without plain words beside."""
    left = i
    while left > 0 and _is_plain(specs[left - 1]) and "|" not in specs[left - 1]:
        left -= 1
    right = i + 1
    while right < len(specs) and _is_plain(specs[right]) and "|" not in specs[right]:
        right += 1
    if left == i and right == i + 1:
        return None
    sent_start = "^" if specs[left].startswith("^") else ""
    words = [w.lstrip("^") for w in specs[left:right]]
    body = words[i - left]
    found = _QUANTIFIER.search(body)
    if found and found.start() > 0:
        return None  # `a b|c?`: no phrase reading worth suggesting
    phrases = body.split("|")
    before, after = " ".join(words[: i - left]), " ".join(words[i - left + 1 :])
    if before:
        phrases[0] = f"{before} {phrases[0]}"
    if after:
        phrases[-1] = f"{phrases[-1]} {after}"
    grouped = "|".join(f"({p})" if " " in p else p for p in phrases)
    return " ".join([*specs[:left], sent_start + grouped, *specs[right:]])


def _refuse_ambiguous(pattern: str, specs: list[str]) -> None:
    """Refuse `a b|c`: say what it means and how to write each reading unambiguously."""
    first = next((i for i in range(len(specs)) if _ambiguous(specs, i)), None)
    if first is None:
        return
    literal = explicit_form(pattern)
    phrase = _phrase_reading(specs, first)
    other = f", or {phrase!r} if an alternative is a phrase" if phrase else ""
    raise AmbiguousAlternation(
        f"ambiguous pattern {pattern!r}: '|' joins single words, so it means {literal!r}; "
        f"write that{other} (replylint packs lint --fix writes the first form)"
    )


def _compile_spec(spec: str, tokenize: Callable[[str], list[str]]) -> list[TokenPattern]:
    """One spec → alternative token sequences (usually a single one-token sequence)."""
    if _has_group(spec):
        return _compile_group_spec(spec, tokenize)
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
            backtracking.check(regex)
        except re.error as exc:
            raise PatternSyntaxError(f"bad regex in {raw!r}: {exc}") from None
        except backtracking.Backtracking as exc:
            raise PatternSyntaxError(f"in {raw!r}: {exc}") from None
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


def _compile_group_spec(spec: str, tokenize: Callable[[str], list[str]]) -> list[TokenPattern]:
    """A spec with at least one parenthesised alternative: `(a b)|c`, `(a|b)?`, `^(non @potere)|mai`."""
    raw = spec
    sent_start = spec.startswith("^") and len(spec) > 1
    if sent_start:
        spec = spec[1:]
    op = None
    found = _QUANTIFIER.search(spec)
    if found and found.start() > 0 and spec[found.start() - 1] == ")" and spec.endswith(found.group(1)):
        alternatives = _split_alternatives(spec[: found.start()])
        if alternatives[-1].endswith(")"):
            op, spec = found.group(1), spec[: found.start()]
    sequences: list[TokenPattern] = []
    for alternative in _split_alternatives(spec):
        if not alternative:
            raise PatternSyntaxError(f"empty alternative in {raw!r}")
        if alternative.startswith("(") and alternative.endswith(")"):
            inner = alternative[1:-1].strip()
            if not inner:
                raise PatternSyntaxError(f"empty group in {raw!r}")
            sequences.extend(compile_pattern(inner, tokenize))
        else:
            sequences.extend(_compile_spec(alternative, tokenize))
    if sent_start:
        sequences = [[{**seq[0], "IS_SENT_START": True}, *seq[1:]] for seq in sequences]
    if op is None:
        return sequences
    if all(len(seq) == 1 and "OP" not in seq[0] for seq in sequences):
        if len(sequences) == 1:
            return [[{**sequences[0][0], "OP": op}]]
        lowers = [seq[0].get("LOWER") for seq in sequences]
        if all(isinstance(v, str) for v in lowers) and all(set(seq[0]) <= {"LOWER", "IS_SENT_START"} for seq in sequences):
            merged = {"LOWER": {"IN": sorted(set(lowers))}, **({"IS_SENT_START": True} if sent_start else {}), "OP": op}
            return [[merged]]
    if op == "?":
        return [*sequences, []]
    raise PatternSyntaxError(f"{raw!r}: only '?' can apply to a group of several tokens or alternatives")


def compile_all(
    patterns: Sequence[str | list[dict[str, Any]]], tokenize: Callable[[str], list[str]]
) -> list[TokenPattern]:
    """Every pattern compiled, in order. A `MemoTokenizer` (what the engine passes) brings the
    language's memo: a pattern an earlier run compiled is read back instead of tokenised again."""
    memo = tokenize.memo if isinstance(tokenize, MemoTokenizer) else None
    out: list[TokenPattern] = []
    for pattern in patterns:
        if memo is None or not isinstance(pattern, str):
            out.extend(compile_pattern(pattern, tokenize))
            continue
        compiled = memo.get(pattern)
        if compiled is None:
            compiled = compile_pattern(pattern, tokenize)
            memo.put(pattern, compiled)
        out.extend(compiled)
    return out
