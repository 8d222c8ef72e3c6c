"""Find pattern matches in a reply fast: index first, then match only where it can succeed.

A spaCy Matcher walks every token of the text for every pattern it holds
(about 15 µs per pattern on a 150-word reply) and creates a Token object per
token for every set or regex predicate; with well over a thousand patterns
per language that alone would blow the 2 ms budget. Most patterns name
words that must be present ("non" and a form of *potere*), and most replies
contain none of them. So:

* every fixed-length pattern (words, lemmas, regexes, optional or boundedly
  repeated tokens: nearly all of them) is expanded into its variants, and
  each variant is filed under its most specific word (`_FixedIndex`), then
  under a second word or regex at a fixed offset from the first;
* a reply is walked once (`IndexedDoc.fixed_matches`): at each token the
  variants filed under its form or lemma are looked up, most are ruled out
  by the second lookup, and only the survivors are verified token by token.
  The matches of every group are found in that one pass, whichever rule
  asks first;
* the few patterns only a spaCy Matcher can run keep one each, anchored on
  a required word, and run only on the sentences holding all their words.

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
from spacy.attrs import IDX, IS_ALPHA, LEMMA, LENGTH, LIKE_NUM, LOWER, SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..text.caches import WORD_CACHE_LIMIT
from .patterns import TokenPattern

_LOWER, _LEMMA = 0, 1  # column in the index arrays
SpanItem = TypeVar("SpanItem", bound=tuple)  # type: ignore[type-arg]


class IndexedDoc:
    """One reply's tokens, indexed by lower-case form and lemma, with sentence bounds.

    Only the words some pattern requires (`vocabulary`) are indexed: that is
    all `PatternGroup.find` ever looks up, and it keeps indexing vectorised.
    """

    __slots__ = (
        "doc", "_positions", "sentence_starts", "length", "candidates", "_words_before",
        "lowers", "lemmas", "starts_set", "strings", "sentence_ids", "_vocabulary", "_fixed",
        "_char_starts", "_char_ends",
    )

    def __init__(self, doc: Doc, vocabulary: Vocabulary) -> None:
        self.doc = doc
        self.length = len(doc)
        self._positions: dict[tuple[int, frozenset[int]], list[int]] = {}  # filled on demand
        # group id → numbers of the patterns whose anchor word occurs in this reply
        self.candidates: dict[int, set[int]] = defaultdict(set)
        for group_id, number in vocabulary.unanchored:
            self.candidates[group_id].add(number)
        self.strings = doc.vocab.strings
        self._vocabulary = vocabulary
        self._fixed: dict[int, list[tuple[int, int]]] | None = None
        if not self.length:
            self.sentence_starts = [0]
            self._words_before = [0]
            self.lowers, self.lemmas, self.starts_set, self.sentence_ids = [], [], frozenset([0]), []
            self._char_starts = self._char_ends = []
            return
        arr = doc.to_array([LOWER, LEMMA, SENT_START, IS_ALPHA, LIKE_NUM, IDX, LENGTH])
        self.lowers = arr[:, 0].tolist()
        self.lemmas = arr[:, 1].tolist()
        self._char_starts = arr[:, 5].tolist()
        self._char_ends = (arr[:, 5] + arr[:, 6]).tolist()
        self._words_before = [0, *itertools.accumulate((arr[:, 3] | arr[:, 4]).tolist())]
        if vocabulary.anchors:  # patterns left to spaCy's Matcher: the ones whose anchor word is here
            present = (set(self.lowers), set(self.lemmas))
            for (column, value), patterns in vocabulary.anchors.items():
                if value in present[column]:
                    for group_id, number in patterns:
                        self.candidates[group_id].add(number)
        is_start = arr[:, 2] == 1
        starts = numpy.flatnonzero(is_start).tolist()
        self.sentence_starts = starts if starts and starts[0] == 0 else [0, *starts]
        self.starts_set = frozenset(self.sentence_starts)
        self.sentence_ids = numpy.cumsum(is_start).tolist()

    def fixed_matches(self) -> dict[int, list[tuple[int, int]]]:
        """Group id → every fixed-pattern match in the reply, found in one pass on first use."""
        if self._fixed is None:
            self._fixed = self._vocabulary.fixed.match(self)
        return self._fixed

    def positions(self, column: int, words: frozenset[int]) -> list[int]:
        """Where any of `words` (lower-case forms or lemmas, as hashes) occurs."""
        key = (column, words)
        found = self._positions.get(key)
        if found is None:
            values = self.lowers if column == _LOWER else self.lemmas
            found = self._positions[key] = [i for i, v in enumerate(values) if v in words]
        return found

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Token span [start, end) → character span (as spaCy's Span, without building one)."""
        if 0 <= start < end <= self.length:
            return self._char_starts[start], self._char_ends[end - 1]
        span = self.doc[start:end]
        return span.start_char, span.end_char

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
    """Every pattern of one language, arranged so a reply is matched in one pass.

    Fixed-length patterns (nearly all of them) go into a `_FixedIndex`, which
    finds the matches of every group at once. The few patterns only a spaCy
    Matcher can run are anchored on their most specific required word, so
    indexing a reply names the ones worth running.
    """

    def __init__(self, groups: list[PatternGroup]) -> None:
        self.anchors: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        self.unanchored: list[tuple[int, int]] = []
        self.fixed = _FixedIndex()
        for group in groups:
            for number, (matcher, requirements) in enumerate(zip(group.matchers, group.requirements)):
                if isinstance(matcher, _FixedPatterns):
                    self.fixed.add(group.id, matcher, group.anchor_weight)
                    continue
                if not requirements:
                    self.unanchored.append((group.id, number))
                    continue
                column, hashes = max(requirements, key=lambda r: group.anchor_weight(r))
                for value in hashes:
                    self.anchors[(column, value)].append((group.id, number))
        self.fixed.freeze()


class PatternGroup:
    """The patterns of one rule role, with what each needs to be present."""

    _next_id = 0

    def __init__(self, vocab: Vocab, key: str, patterns: list[TokenPattern]) -> None:
        # Simple patterns (fixed words, lemmas, regexes, bounded repeats) become
        # fixed-length variants that the language's Vocabulary matches for every
        # group in one pass over a reply; anything else keeps a spaCy Matcher of
        # its own, run only where its required words occur.
        self.patterns = patterns  # as compiled, for diagnostics and the equivalence test
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
        """How specific a required word is (higher: rarer in text); see `_specificity`."""
        return _specificity(requirement, self._strings, self._stop_words)

    def find(self, index: IndexedDoc, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Token spans (doc offsets) matched inside [start, end)."""
        matches = index.fixed_matches().get(self.id, [])
        others = index.candidates.get(self.id)
        if not others and start == 0 and (end is None or end == index.length):
            return list(matches)  # the common case: the whole reply, nothing for spaCy's Matcher
        end = index.length if end is None else end
        # The matches are sorted: those starting inside [start, end) are one slice. A walk over all of
        # them per call made a reply with thousands of findings quadratic (31,915 calls at 300k characters).
        first, stop = bisect.bisect_left(matches, (start, -1)), bisect.bisect_left(matches, (end, -1))
        found = {m for m in matches[first:stop] if m[1] <= end}
        doc = index.doc
        for number in sorted(others or ()):  # patterns only spaCy's Matcher runs
            matcher = self.matchers[number]
            for s_start, s_end in sorted(_candidate_sentences(index, self.requirements[number], start, end)):
                lo, hi = max(s_start, start), min(s_end, end)
                for _, m_start, m_end in matcher(doc[lo:hi]):  # type: ignore[operator]
                    found.add((lo + m_start, lo + m_end))
        return sorted(found)


def _candidate_sentences(
    index: IndexedDoc, requirements: list[Requirement], start: int, end: int
) -> set[tuple[int, int]]:
    """Sentences within [start, end) holding every word the pattern requires."""
    if not requirements:  # nothing to anchor on: every sentence is a candidate
        return set(index.sentences_between(start, end))
    # Anchor on the requirement with the fewest occurrences, then verify the rest per sentence.
    # Positions are sorted, so every range question is a bisection (linear scans per call were
    # quadratic on replies with thousands of findings).
    occurrences = []
    for column, hashes in requirements:
        positions = index.positions(column, hashes)
        hits = positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]
        if not hits:
            return set()
        occurrences.append(hits)
    occurrences.sort(key=len)
    candidates = {index.sentence_of(p) for p in occurrences[0]}
    for hits in occurrences[1:]:
        candidates = {s for s in candidates if _any_between(hits, s[0], s[1])}
        if not candidates:
            break
    return candidates


def _any_between(sorted_positions: list[int], start: int, end: int) -> bool:
    """True when a position lies in [start, end)."""
    i = bisect.bisect_left(sorted_positions, start)
    return i < len(sorted_positions) and sorted_positions[i] < end


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

    __slots__ = ("lowers", "lemmas", "regex", "sent_start", "_memo", "single_condition", "is_wildcard")

    def __init__(self, lowers: frozenset[int] | None, lemmas: frozenset[int] | None,
                 regex: re.Pattern[str] | None, sent_start: bool) -> None:
        self.lowers, self.lemmas, self.regex, self.sent_start = lowers, lemmas, regex, sent_start
        self._memo: dict[int, bool] = {}  # lower-case form → regex verdict, shared by every reply
        # Forms only, lemmas only or a regex only: the one lookup that found the token settles it.
        self.single_condition = sum(x is not None for x in (lowers, lemmas, regex)) == 1 and not sent_start
        self.is_wildcard = lowers is None and lemmas is None and regex is None and not sent_start

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
            if len(self._memo) < 20_000:  # per test; bounded, as replies bring new words forever
                self._memo[lower] = verdict
        return verdict


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
            anchor = max(
                anchors, key=lambda kt: _specificity(_word_requirement(kt[1]), strings, stop_words)
            )[0] if anchors else None
            variants.append(([t for t, _ in variant], anchor))
            if len(variants) > _MAX_VARIANTS:
                return None
        return cls(variants) if variants else None


# group id, offset of the anchor test, length, (offset, test) of the tests still to run
Variant = tuple[int, int, int, tuple[tuple[int, _Test], ...]]


class _Entry:
    """The variants anchored on one word, each filed behind its most selective other test.

    `behind` files a variant under a second word at a fixed offset (one
    dictionary lookup rules it out); `gated` under a regex test at a fixed
    offset (one memoised verdict for every variant sharing it); `direct`
    holds the variants with no other test worth filing under.
    """

    __slots__ = ("direct", "behind", "gated", "lookups", "gates")

    def __init__(self) -> None:
        self.direct: list[Variant] = []
        # (offset from the anchor, column) → word hash → variants needing that word there
        self.behind: dict[tuple[int, int], dict[int, list[Variant]]] = {}
        # (offset from the anchor, id of a regex test) → (the test, variants needing it there)
        self.gated: dict[tuple[int, int], tuple[_Test, list[Variant]]] = {}
        # The same as flat tuples, what the matching loop reads (see `freeze`).
        self.lookups: tuple[tuple[int, int, dict[int, list[Variant]]], ...] = ()
        self.gates: tuple[tuple[int, _Test, list[Variant]], ...] = ()

    def freeze(self) -> None:
        self.lookups = tuple((offset, column, table) for (offset, column), table in self.behind.items())
        self.gates = tuple((offset, test, variants) for (offset, _), (test, variants) in self.gated.items())


class _FixedIndex:
    """All fixed-length variants of a language, keyed by anchor word and then by a second word.

    A reply is walked once: at each token, the variants anchored on its form
    or lemma are looked up, and most are ruled out by one more dictionary
    lookup (the second most specific word, at its fixed offset) before any
    test runs. That replaces a Python loop per pattern with a few lookups per
    token; frequent anchors such as "you" or *potere* no longer cost a check
    per variant.
    """

    _MEMO_LIMIT = WORD_CACHE_LIMIT

    def __init__(self) -> None:
        self.by_column: tuple[dict[int, _Entry], dict[int, _Entry]] = ({}, {})
        self.regex_tests: list[tuple[_Test, _Entry]] = []  # variants with no word to anchor on
        self.anywhere = _Entry()  # neither a word nor a regex: tried at every token
        self._form_memo: dict[int, tuple[_Entry, ...]] = {}  # lower-case form → entries it reaches

    def add(self, group_id: int, patterns: _FixedPatterns, weight: Any) -> None:
        for tests, anchor in patterns.variants:
            if anchor is not None:
                column, hashes = _word_requirement(tests[anchor])
                entries = [self.by_column[column].setdefault(h, _Entry()) for h in hashes]
            else:
                anchor, test = next(((k, t) for k, t in enumerate(tests) if t.regex is not None), (0, None))
                entries = [self._regex_entry(test)] if test is not None else [self.anywhere]
            words = [(k, _word_requirement(t)) for k, t in enumerate(tests)
                     if k != anchor and (t.lowers is not None or t.lemmas is not None)]
            # A regex that lists what it accepts is more selective than one that lists what it refuses.
            regexes = sorted((int(t.regex.pattern.startswith("^(?!")), k) for k, t in enumerate(tests)  # type: ignore[union-attr]
                             if k != anchor and t.regex is not None)
            filed = max(words, key=lambda o: weight(o[1]))[0] if words else regexes[0][1] if regexes else None
            # Tests the lookups that led to the variant have already passed need not run again.
            settled = {k for k in (anchor, filed) if k is not None and tests[k].single_condition}
            if entries == [self.anywhere]:
                settled = set()
            # A wildcard ("_") accepts any token of the sentence: nothing to run.
            residual = tuple((k, t) for k, t in enumerate(tests) if k not in settled and not t.is_wildcard)
            variant: Variant = (group_id, anchor, len(tests), residual)
            for entry in entries:
                if filed is None:
                    entry.direct.append(variant)
                elif words:
                    column, hashes = _word_requirement(tests[filed])
                    table = entry.behind.setdefault((filed - anchor, column), {})
                    for h in hashes:
                        table.setdefault(h, []).append(variant)
                else:
                    entry.gated.setdefault((filed - anchor, id(tests[filed])), (tests[filed], []))[1].append(variant)

    def freeze(self) -> None:
        """Called once every pattern is added: lays the entries out for the matching loop."""
        for entry in (*self.by_column[0].values(), *self.by_column[1].values(),
                      *(e for _, e in self.regex_tests), self.anywhere):
            entry.freeze()

    def _regex_entry(self, test: _Test) -> _Entry:
        for known, entry in self.regex_tests:
            if known is test:
                return entry
        entry = _Entry()
        self.regex_tests.append((test, entry))
        return entry

    def _entries_of_form(self, lower: int, strings: Any) -> tuple[_Entry, ...]:
        """The entries a token with this lower-case form reaches: its own, and those of the
        regexes it satisfies. Memoised across replies, bounded."""
        entries = self._form_memo.get(lower)
        if entries is None:
            text = strings[lower]
            own = self.by_column[_LOWER].get(lower)
            entries = (*(() if own is None else (own,)),
                       *(e for t, e in self.regex_tests if t.regex.search(text) is not None))  # type: ignore[union-attr]
            if len(self._form_memo) < self._MEMO_LIMIT:
                self._form_memo[lower] = entries
        return entries

    def match(self, index: IndexedDoc) -> dict[int, list[tuple[int, int]]]:
        """Group id → sorted token spans of every variant matching inside one sentence."""
        n = index.length
        columns = (index.lowers, index.lemmas)
        sentence = index.sentence_ids
        found: dict[int, set[tuple[int, int]]] = defaultdict(set)
        lowers, lemmas = columns
        memo, by_lemma = self._form_memo, self.by_column[_LEMMA]
        for h in set(lowers).difference(memo):  # forms never seen before
            self._entries_of_form(h, index.strings)
        if len(memo) < self._MEMO_LIMIT:  # every form of the reply is in the memo now
            visits = [(i, e) for i, h in enumerate(lowers) for e in memo[h]]
        else:
            visits = [(i, e) for i, h in enumerate(lowers) for e in self._entries_of_form(h, index.strings)]
        visits += [(i, e) for i, h in enumerate(lemmas) if (e := by_lemma.get(h)) is not None]
        if self.anywhere.direct or self.anywhere.lookups or self.anywhere.gates:
            visits += [(i, self.anywhere) for i in range(n)]
        # First the variants that survive the lookups (anchor position, variant) ...
        survivors: list[tuple[int, Variant]] = []
        for i, entry in visits:
            if entry.direct:
                survivors += [(i, variant) for variant in entry.direct]
            for offset, column, table in entry.lookups:
                j = i + offset
                if 0 <= j < n and (variants := table.get(columns[column][j])):
                    survivors += [(i, variant) for variant in variants]
            for offset, test, variants in entry.gates:
                j = i + offset
                if 0 <= j < n and test.accepts(index, j):
                    survivors += [(i, variant) for variant in variants]
        # ... then each one verified: inside one sentence, every remaining test passing.
        for i, (group_id, offset, size, tests) in survivors:
            start = i - offset
            end = start + size
            if start < 0 or end > n or sentence[start] != sentence[end - 1]:
                continue
            for k, test in tests:
                if not test.accepts(index, start + k):
                    break
            else:
                found[group_id].add((start, end))
        return {group_id: sorted(spans) for group_id, spans in found.items()}


def _word_requirement(test: _Test) -> Requirement:
    """The indexed words a test needs: its forms if it names any, else its lemmas."""
    if test.lowers is not None:
        return _LOWER, test.lowers
    return _LEMMA, test.lemmas or frozenset()


def _specificity(requirement: Requirement, strings: Any, stop_words: frozenset[str]) -> tuple[int, int, int]:
    """Sort key, higher is rarer in text: no stop words ("ti", "we"), then fewer alternatives,
    then a form over a lemma. Anchors and second-level keys are both chosen by it."""
    column, hashes = requirement
    return (int(not any(strings[h] in stop_words for h in hashes)), -len(hashes), int(column == _LOWER))


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
    # One object per distinct test, so variants of different patterns share its regex verdicts.
    key = (lowers, lemmas, regex.pattern if regex is not None else None, bool(sent_start))
    test = _TESTS.get(key)
    if test is None:
        test = _TESTS[key] = _Test(lowers, lemmas, regex, bool(sent_start))
    return test


_TESTS: dict[tuple[Any, ...], _Test] = {}


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
