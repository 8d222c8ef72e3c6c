"""Refuse regular expressions that can backtrack catastrophically, before a pack loads.

Python's `re` backtracks: `(a+)+$` on thirty "a" and a "b" tries every way of
splitting the run between the two loops, 2^30 of them (over a minute). A rule
pack is data a team writes, so a pattern of that shape must fail at load with
the file and rule named, not stall the pre-send hook on the first reply that
happens to trigger it.

The check reads the parsed pattern (`re._parser`, the parser `re` itself uses)
and refuses an unbounded loop whose body holds another unbounded loop, unless
the body cannot be split two ways: it has a required piece — one character,
or a second required loop — whose characters no other loop of the body can
match. So `(?:\\.[\\w-]+)+` (each round starts with a dot the inner loop cannot
eat) and `(?:\\s+[A-Z]+)+` pass, while `(a+)+`, `(x*)*` and `(\\w+\\s?)+` are
refused. Alternations of overlapping branches under a loop (`(a|a)*`) are not
detected; `core.budget` bounds the time any regex may take on one reply.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from typing import Any

_LOOPS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_ONE_CHAR = (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY)
_BIG = 3  # a loop of more rounds than this backtracks like an unbounded one: (.*a){20} is n^20
# Characters the disjointness test tries: enough of Latin, digits, blanks and punctuation.
_SAMPLE = [chr(c) for c in range(0x09, 0x0E)] + [chr(c) for c in range(0x20, 0x250)] + ["\u00a0", "\u2019", "€"]
_ANY = frozenset(_SAMPLE)


class Backtracking(ValueError):
    """A regex whose shape can take exponential time."""


def check(pattern: str, flags: int = 0) -> None:
    """Raise Backtracking when `pattern` nests loops that can split the same text two ways."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return  # compiling reports it, with its own message
    ignore_case = bool(flags & re.IGNORECASE) or bool(parsed.state.flags & re.IGNORECASE)
    culprit = _nested(list(parsed), ignore_case)
    if culprit is not None:
        raise Backtracking(
            f"regex {pattern!r} can backtrack catastrophically: a repeated group whose body repeats too "
            f"({culprit}) lets the same text be split in exponentially many ways; give each round a "
            "required character the inner repetition cannot match, or use a possessive quantifier (x++) "
            "or an atomic group (?>…)"
        )


def _nested(items: list[Any], ignore_case: bool) -> str | None:
    for op, av in items:
        if op in _LOOPS:
            low, high, body = av
            body = list(body)
            while len(body) == 1 and body[0][0] == sre.SUBPATTERN:  # (…)+ : the group's content repeats
                body = list(body[0][1][-1])
            if _unbounded(high) and _inner_loops(body) and not _separated(body, ignore_case):
                return "a loop inside a loop"
            found = _nested(body, ignore_case)
        elif op == sre.SUBPATTERN:
            found = _nested(list(av[-1]), ignore_case)
        elif op == sre.BRANCH:
            found = next((f for b in av[1] if (f := _nested(list(b), ignore_case))), None)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found = _nested(list(av[1]), ignore_case)
        else:
            found = None
        if found is not None:
            return found
    return None


def _unbounded(high: int) -> bool:
    return high == sre.MAXREPEAT or high > _BIG


def _inner_loops(items: list[Any]) -> bool:
    """True when an unbounded loop sits anywhere inside these items."""
    for op, av in items:
        if op in _LOOPS and (_unbounded(av[1]) or _inner_loops(list(av[2]))):
            return True
        if op == sre.SUBPATTERN and _inner_loops(list(av[-1])):
            return True
        if op == sre.BRANCH and any(_inner_loops(list(b)) for b in av[1]):
            return True
    return False


def _separated(body: list[Any], ignore_case: bool) -> bool:
    """True when a required piece of the body shares no character with any other piece of it (so
    one round cannot end, or the next begin, anywhere but at that piece), and the body is more
    than that one loop."""
    pieces = [(_required(op, av), _chars(op, av, ignore_case)) for op, av in body]
    for index, (required, chars) in enumerate(pieces):
        if not required or chars is None:
            continue
        others = [other for i, (_, other) in enumerate(pieces) if i != index]
        if any(other is None or other & chars for other in others):
            continue
        single = body[index][0] in _ONE_CHAR
        if single or any(r for i, (r, _) in enumerate(pieces) if i != index):
            return True
    return False


def _required(op: Any, av: Any) -> bool:
    """True when the piece always consumes at least one character."""
    if op in _LOOPS:
        return av[0] >= 1 and any(_required(o, a) for o, a in av[2])
    if op == sre.SUBPATTERN:
        return any(_required(o, a) for o, a in av[-1])
    if op == sre.BRANCH:
        return all(any(_required(o, a) for o, a in branch) for branch in av[1])
    return op in _ONE_CHAR


def _chars(op: Any, av: Any, ignore_case: bool) -> frozenset[str] | None:
    """The sample characters one piece can consume (None: a construct this check cannot read)."""
    if op in _LOOPS:
        return _all_chars(list(av[2]), ignore_case)
    if op == sre.SUBPATTERN:
        return _all_chars(list(av[-1]), ignore_case)
    if op == sre.BRANCH:
        return _all_chars([piece for branch in av[1] for piece in branch], ignore_case)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset()  # zero width
    if op == sre.LITERAL:
        found = frozenset({chr(av)})
    elif op == sre.NOT_LITERAL:
        found = _ANY - {chr(av)}
    elif op == sre.ANY:
        found = _ANY - {"\n"}
    elif op == sre.CATEGORY:
        found = frozenset(c for c in _SAMPLE if _in_category(av, c))
    elif op == sre.IN:
        found = _in_set(list(av))
    else:
        return None
    if ignore_case:
        found = frozenset(found | {c.lower() for c in found} | {c.upper() for c in found if len(c.upper()) == 1})
    return found


def _all_chars(items: list[Any], ignore_case: bool) -> frozenset[str] | None:
    found: set[str] = set()
    for op, av in items:
        chars = _chars(op, av, ignore_case)
        if chars is None:
            return None
        found |= chars
    return frozenset(found)


def _in_set(members: list[Any]) -> frozenset[str]:
    negate = bool(members) and members[0][0] == sre.NEGATE
    chosen: set[str] = set()
    for op, av in members[1:] if negate else members:
        if op == sre.LITERAL:
            chosen.add(chr(av))
        elif op == sre.RANGE:
            chosen.update(c for c in _SAMPLE if av[0] <= ord(c) <= av[1])
        elif op == sre.CATEGORY:
            chosen.update(c for c in _SAMPLE if _in_category(av, c))
    return frozenset(_ANY - chosen) if negate else frozenset(chosen)


def _in_category(category: Any, char: str) -> bool:
    name = str(category)
    word = char.isalnum() or char == "_"
    tests = {
        "CATEGORY_WORD": word, "CATEGORY_NOT_WORD": not word,
        "CATEGORY_SPACE": char.isspace(), "CATEGORY_NOT_SPACE": not char.isspace(),
        "CATEGORY_DIGIT": char.isdigit(), "CATEGORY_NOT_DIGIT": not char.isdigit(),
    }
    return tests.get(name, True)
