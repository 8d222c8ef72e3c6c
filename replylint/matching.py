"""Find pattern matches in a reply fast: index first, then match only where it can succeed.

A spaCy Matcher walks every token of the text for every pattern it holds
(about 15 µs per pattern on a 150-word reply) and creates a Token object per
token for every set or regex predicate; with well over a thousand patterns
per language that alone would blow the 2 ms budget. Most patterns name
words that must be present ("non" and a form of *potere*), and most replies
contain none of them. So:

* a reply is indexed once (`IndexedDoc`): the positions of every word some
  pattern requires, sentence bounds, token arrays;
* each pattern is anchored on one required word (the rarest-looking: no
  stop words, few alternatives), so the index names the few candidate
  patterns at once (`Vocabulary`);
* a candidate runs only on the sentences that hold all the words it needs,
  either on the fast path (`_FixedPatterns`: fixed-length sequences checked
  by set lookups) or, for what that cannot express, on a spaCy Matcher of
  its own.

Patterns never span sentences, which is also what a phrase rule means.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy
import spacy
from spacy.attrs import IS_ALPHA, LEMMA, LIKE_NUM, LOWER, SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .patterns import TokenPattern

_LOWER, _LEMMA = 0, 1  # column in the index arrays
SpanItem = TypeVar("SpanItem", bound=tuple)  # type: ignore[type-arg]


class IndexedDoc:
    """One reply's tokens, indexed by lower-case form and lemma, with sentence bounds.

    Only the words some pattern requires (`vocabulary`) are indexed: that is
    all `PatternGroup.find` ever looks up, and it keeps indexing vectorised.
    """

    __slots__ = (
        "doc", "positions", "sentence_starts", "length", "candidates", "_words_before",
        "lowers", "lemmas", "starts_set", "strings", "regex_hits",
    )

    def __init__(self, doc: Doc, vocabulary: Vocabulary) -> None:
        self.doc = doc
        self.length = len(doc)
        self.positions: tuple[dict[int, list[int]], dict[int, list[int]]] = (defaultdict(list), defaultdict(list))
        # group id → numbers of the patterns whose anchor word occurs in this reply
        self.candidates: dict[int, set[int]] = defaultdict(set)
        for group_id, number in vocabulary.unanchored:
            self.candidates[group_id].add(number)
        self.strings = doc.vocab.strings
        self.regex_hits: dict[int, list[int]] = {}  # id(test) → positions its regex accepts
        if not self.length:
            self.sentence_starts = [0]
            self._words_before = [0]
            self.lowers, self.lemmas, self.starts_set = [], [], frozenset([0])
            return
        arr = doc.to_array([LOWER, LEMMA, SENT_START, IS_ALPHA, LIKE_NUM])
        self.lowers = arr[:, 0].tolist()
        self.lemmas = arr[:, 1].tolist()
        self._words_before = [0, *itertools.accumulate((arr[:, 3] | arr[:, 4]).tolist())]
        for column in (_LOWER, _LEMMA):
            wanted = vocabulary.words[column]
            table = self.positions[column]
            for i, value in enumerate(arr[:, column].tolist()):
                if value in wanted:
                    table[value].append(i)
        anchors = vocabulary.anchors
        for column in (_LOWER, _LEMMA):
            for value in self.positions[column]:
                for group_id, number in anchors.get((column, value), ()):
                    self.candidates[group_id].add(number)
        starts = numpy.flatnonzero(arr[:, 2] == 1).tolist()
        self.sentence_starts = starts if starts and starts[0] == 0 else [0, *starts]
        self.starts_set = frozenset(self.sentence_starts)

    def words_between(self, start: int, end: int) -> int:
        """Number of words (alphabetic or number-like tokens) in the token range [start, end)."""
        return self._words_before[end] - self._words_before[start]

    def sentence_of(self, token: int) -> tuple[int, int]:
        """Token bounds [start, end) of the sentence holding `token`."""
        k = bisect.bisect_right(self.sentence_starts, token) - 1
        end = self.sentence_starts[k + 1] if k + 1 < len(self.sentence_starts) else self.length
        return self.sentence_starts[k], end

    def sentences_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """Bounds of every sentence overlapping the token range [start, end)."""
        bounds = [*self.sentence_starts, self.length]
        return [
            (bounds[k], bounds[k + 1])
            for k in range(len(bounds) - 1)
            if bounds[k] < end and bounds[k + 1] > start
        ]

    def next_sentence_end(self, sentence_end: int) -> int:
        """End of the sentence after the one ending at `sentence_end` (or the same end)."""
        if sentence_end >= self.length:
            return sentence_end
        return self.sentence_of(sentence_end)[1]


Requirement = tuple[int, frozenset[int]]  # (column, hashes of which one must occur)


class Vocabulary:
    """The words the patterns of one language require, and which patterns each one anchors.

    Every pattern with requirements is anchored on one of them (the most
    specific: longest words, fewest alternatives), so indexing a reply tells
    at once which few patterns are worth a closer look.
    """

    def __init__(self, groups: list[PatternGroup]) -> None:
        columns: tuple[set[int], set[int]] = (set(), set())
        self.anchors: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        self.unanchored: list[tuple[int, int]] = []
        for group in groups:
            for number, requirements in enumerate(group.requirements):
                for column, hashes in requirements:
                    columns[column].update(hashes)
                if not requirements:
                    self.unanchored.append((group.id, number))
                    continue
                column, hashes = max(requirements, key=lambda r: group.anchor_weight(r))
                for value in hashes:
                    self.anchors[(column, value)].append((group.id, number))
        self.words = (frozenset(columns[0]), frozenset(columns[1]))


class PatternGroup:
    """The patterns of one rule role, with what each needs to be present."""

    _next_id = 0

    def __init__(self, vocab: Vocab, key: str, patterns: list[TokenPattern]) -> None:
        # One matcher per pattern: a reply then pays only for the few patterns
        # whose words it contains, not for every pattern of the group. Simple
        # patterns (fixed words, lemmas, regexes, bounded repeats) run on the
        # fast path below; anything else goes to a spaCy Matcher of its own.
        self.matchers: list[Matcher | _FixedPatterns] = []
        for pattern in patterns:
            fast = _FixedPatterns.build(pattern, vocab.strings, _stop_words(vocab.lang))
            if fast is not None:
                self.matchers.append(fast)
                continue
            matcher = Matcher(vocab, validate=True)
            matcher.add(key, [pattern])  # raises on an invalid raw pattern
            self.matchers.append(matcher)
        self._strings = vocab.strings
        self._stop_words = _stop_words(vocab.lang)
        self.requirements: list[list[Requirement]] = [_requirements(p, vocab.strings) for p in patterns]
        self.id = PatternGroup._next_id
        PatternGroup._next_id += 1

    def anchor_weight(self, requirement: Requirement) -> tuple[int, int, int]:
        """Prefer anchors that are rare in text: no stop words ("ti", "we"), few alternatives."""
        column, hashes = requirement
        words = [self._strings[h] for h in hashes]
        return (int(not any(w in self._stop_words for w in words)), -len(hashes), int(column == _LOWER))

    def find(self, index: IndexedDoc, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Token spans (doc offsets) matched inside [start, end)."""
        numbers = index.candidates.get(self.id)
        if not numbers:
            return []
        end = index.length if end is None else end
        found: set[tuple[int, int]] = set()
        doc = index.doc
        for number in sorted(numbers):
            matcher = self.matchers[number]
            for s_start, s_end in sorted(_candidate_sentences(index, self.requirements[number], start, end)):
                lo, hi = max(s_start, start), min(s_end, end)
                if isinstance(matcher, _FixedPatterns):
                    found.update(matcher.find(index, lo, hi))
                    continue
                for _, m_start, m_end in matcher(doc[lo:hi]):
                    found.add((lo + m_start, lo + m_end))
        return sorted(found)


def _candidate_sentences(
    index: IndexedDoc, requirements: list[Requirement], start: int, end: int
) -> set[tuple[int, int]]:
    """Sentences within [start, end) holding every word the pattern requires."""
    if not requirements:  # nothing to anchor on: every sentence is a candidate
        return set(index.sentences_between(start, end))
    # Anchor on the requirement with the fewest occurrences, then verify the rest per sentence.
    occurrences = []
    for column, hashes in requirements:
        table = index.positions[column]
        hits = [p for h in hashes for p in table.get(h, ()) if start <= p < end]
        if not hits:
            return set()
        occurrences.append(hits)
    occurrences.sort(key=len)
    candidates = {index.sentence_of(p) for p in occurrences[0]}
    for hits in occurrences[1:]:
        candidates = {s for s in candidates if any(s[0] <= p < s[1] for p in hits)}
        if not candidates:
            break
    return candidates


def _requirements(pattern: TokenPattern, strings: Any) -> list[Requirement]:
    """Words that must occur for the pattern to match: exact or IN values of non-optional tokens."""
    needed: list[Requirement] = []
    for token in pattern:
        if token.get("OP") in ("?", "*", "!") or (
            isinstance(token.get("OP"), str) and token["OP"].startswith("{0")
        ):
            continue
        for attr, column in (("LOWER", _LOWER), ("LEMMA", _LEMMA), ("ORTH", None), ("TEXT", None)):
            value = token.get(attr)
            if value is None:
                continue
            if isinstance(value, str):
                values = [value]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                values = list(value["IN"])
            else:
                continue
            if column is None:  # exact-case attributes: require the lower-case form
                column, values = _LOWER, [v.lower() for v in values]
            needed.append((column, frozenset(strings.add(v) for v in values)))
            break
    return needed


_MAX_VARIANTS = 64


class _Test:
    """One token position of a fixed-length pattern: what the token must be."""

    __slots__ = ("lowers", "lemmas", "regex", "sent_start", "_memo")

    def __init__(self, lowers: frozenset[int] | None, lemmas: frozenset[int] | None,
                 regex: re.Pattern[str] | None, sent_start: bool) -> None:
        self.lowers, self.lemmas, self.regex, self.sent_start = lowers, lemmas, regex, sent_start
        self._memo: dict[int, bool] = {}  # lower-case form → regex verdict, shared by every reply

    def accepts(self, index: IndexedDoc, i: int) -> bool:
        lower = index.lowers[i]
        if self.lowers is not None and lower not in self.lowers:
            return False
        if self.lemmas is not None and index.lemmas[i] not in self.lemmas:
            return False
        if self.sent_start and i not in index.starts_set:
            return False
        if self.regex is not None:
            return self._regex_accepts(lower, index)
        return True

    def _regex_accepts(self, lower: int, index: IndexedDoc) -> bool:
        verdict = self._memo.get(lower)
        if verdict is None:
            verdict = self.regex.search(index.strings[lower]) is not None  # type: ignore[union-attr]
            if len(self._memo) < 100_000:
                self._memo[lower] = verdict
        return verdict

    def regex_positions(self, index: IndexedDoc) -> list[int]:
        """Positions of the tokens whose form the regex accepts (other conditions not checked)."""
        accepted = {h for h in set(index.lowers) if self._regex_accepts(h, index)}
        return [i for i, h in enumerate(index.lowers) if h in accepted] if accepted else []


class _FixedPatterns:
    """A token pattern expanded into fixed-length variants, matched by direct lookups.

    spaCy's Matcher creates a Token object per token per predicate, which
    dominated the cost of a check. Most rule patterns are plain sequences —
    words, lemmas, regexes, optional or boundedly repeated tokens — and a
    sequence of fixed length can be verified at its anchor positions with a
    few set lookups. `build` returns None for anything else (unbounded
    repeats, other attributes), which then stays with spaCy's Matcher.
    """

    def __init__(self, variants: list[tuple[list[_Test], int | None]]) -> None:
        self.variants = variants  # (tests, offset of the anchor test or None)

    @classmethod
    def build(cls, pattern: TokenPattern, strings: Any, stop_words: frozenset[str]) -> _FixedPatterns | None:
        options: list[list[list[tuple[_Test, bool]]]] = []
        for token in pattern:
            test = _test_for(token, strings)
            if test is None:
                return None
            low, high = _repeat_bounds(token.get("OP"))
            if high is None:
                return None
            # A test from a token that must occur can anchor the search: its words are indexed.
            options.append([[(test, low >= 1)] * n for n in range(low, high + 1)])
        variants: list[tuple[list[_Test], int | None]] = []
        for combination in itertools.product(*options):
            variant = [pair for part in combination for pair in part]
            if not variant:
                continue
            anchors = [
                (k, t) for k, (t, required) in enumerate(variant)
                if required and (t.lowers is not None or t.lemmas is not None)
            ]
            anchor = min(anchors, key=lambda kt: _rarity(kt[1], strings, stop_words))[0] if anchors else None
            variants.append(([t for t, _ in variant], anchor))
            if len(variants) > _MAX_VARIANTS:
                return None
        return cls(variants) if variants else None

    def find(self, index: IndexedDoc, lo: int, hi: int) -> list[tuple[int, int]]:
        found = []
        anchor_hits: dict[int, list[int]] = {}  # variants share anchor tests: look each up once
        for tests, anchor in self.variants:
            size = len(tests)
            if anchor is None:
                # No indexed word to anchor on: anchor on a regex test, evaluated once per
                # distinct word of the reply (and memoised across replies).
                k, test = next(((k, t) for k, t in enumerate(tests) if t.regex is not None), (None, None))
                if k is None or test is None:
                    starts: Any = range(lo, hi - size + 1)
                else:
                    hits = index.regex_hits.get(id(test))
                    if hits is None:
                        hits = index.regex_hits[id(test)] = test.regex_positions(index)
                    starts = [p - k for p in hits if lo <= p - k <= hi - size]
            else:
                test = tests[anchor]
                hits = anchor_hits.get(id(test))
                if hits is None:
                    hits = anchor_hits[id(test)] = _positions(index, test)
                starts = [p - anchor for p in hits if lo <= p - anchor <= hi - size]
            for start in starts:
                for k, test in enumerate(tests):
                    if not test.accepts(index, start + k):
                        break
                else:
                    found.append((start, start + size))
        return found


def _positions(index: IndexedDoc, test: _Test) -> list[int]:
    """Where the anchor test's words occur (they are all indexed: anchors are required words)."""
    column, hashes = (_LOWER, test.lowers) if test.lowers is not None else (_LEMMA, test.lemmas)
    table = index.positions[column]
    if hashes is None:
        return []
    if len(hashes) > len(table):
        return [p for h, ps in table.items() if h in hashes for p in ps]
    return [p for h in hashes for p in table.get(h, ())]


def _rarity(test: _Test, strings: Any, stop_words: frozenset[str]) -> tuple[int, int]:
    """Sort key: tests made of stop words last, then by number of alternatives."""
    hashes = test.lowers if test.lowers is not None else test.lemmas or frozenset()
    return (int(any(strings[h] in stop_words for h in hashes)), len(hashes))


@functools.lru_cache(maxsize=8)
def _stop_words(lang: str) -> frozenset[str]:
    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except Exception:  # an unknown language code: no stop words
        return frozenset()


def _repeat_bounds(op: str | None) -> tuple[int, int | None]:
    if op is None or op == "1":
        return 1, 1
    if op == "?":
        return 0, 1
    if op in ("*", "+", "!"):
        return 0, None
    bounds = re.fullmatch(r"\{(\d*),?(\d*)\}", op)
    if not bounds:
        return 0, None
    low = int(bounds.group(1) or 0)
    if "," not in op:
        return low, low
    high = int(bounds.group(2)) if bounds.group(2) else None
    return low, high if high is not None and high <= 4 else None


def _test_for(token: dict[str, Any], strings: Any) -> _Test | None:
    allowed = {"LOWER", "LEMMA", "IS_SENT_START", "OP"}
    if set(token) - allowed:
        return None
    lowers = lemmas = None
    regex = None
    for attr in ("LOWER", "LEMMA"):
        value = token.get(attr)
        if value is None:
            continue
        if isinstance(value, str):
            hashes = frozenset([strings.add(value)])
        elif isinstance(value, dict) and set(value) == {"IN"}:
            hashes = frozenset(strings.add(v) for v in value["IN"])
        elif attr == "LOWER" and isinstance(value, dict) and set(value) == {"REGEX"}:
            regex = re.compile(value["REGEX"])
            continue
        else:
            return None
        if attr == "LOWER":
            lowers = hashes
        else:
            lemmas = hashes
    sent_start = token.get("IS_SENT_START")
    if sent_start not in (None, True):
        return None
    return _Test(lowers, lemmas, regex, bool(sent_start))


def longest_first(items: Iterable[SpanItem]) -> list[SpanItem]:
    """Non-overlapping items, preferring the longest token span (as spaCy's filter_spans), in text order.

    An item is a tuple whose first two fields are the token span (start, end);
    further fields (a form, a label) ride along.
    """
    chosen: list[SpanItem] = []
    taken: set[int] = set()
    for item in sorted(set(items), key=lambda it: (it[0] - it[1], it)):
        start, end = item[0], item[1]
        if not taken.intersection(range(start, end)):
            chosen.append(item)
            taken.update(range(start, end))
    return sorted(chosen)
