"""Run spaCy Matcher patterns only where they can possibly match.

A spaCy Matcher walks every token of the text for every pattern it holds,
which costs about 15 µs per pattern on a 150-word reply: with a few hundred
patterns per language that alone would blow the 2 ms budget. Most patterns
name words that must be present ("non" and a form of *potere*), and most
replies contain none of them. So each rule role gets its own small Matcher
plus the list of words each of its patterns requires, and a reply is first
indexed once (word → positions, sentence bounds); a Matcher then runs only
on the sentences where all the words one of its patterns needs occur.
Patterns never span sentences, which is also what a phrase rule means.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

import numpy
from spacy.attrs import LEMMA, LOWER, SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .patterns import TokenPattern

_LOWER, _LEMMA = 0, 1  # column in the index arrays


class IndexedDoc:
    """One reply's tokens, indexed by lower-case form and lemma, with sentence bounds.

    Only the words some pattern requires (`vocabulary`) are indexed: that is
    all `PatternGroup.find` ever looks up, and it keeps indexing vectorised.
    """

    __slots__ = ("doc", "positions", "sentence_starts", "length", "candidates")

    def __init__(self, doc: Doc, vocabulary: Vocabulary) -> None:
        self.doc = doc
        self.length = len(doc)
        self.positions: tuple[dict[int, list[int]], dict[int, list[int]]] = (defaultdict(list), defaultdict(list))
        # group id → numbers of the patterns whose anchor word occurs in this reply
        self.candidates: dict[int, set[int]] = defaultdict(set)
        for group_id, number in vocabulary.unanchored:
            self.candidates[group_id].add(number)
        if not self.length:
            self.sentence_starts = [0]
            return
        arr = doc.to_array([LOWER, LEMMA, SENT_START])
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
        self.matcher = Matcher(vocab, validate=True)
        self.matcher.add(key, patterns)
        self._strings = vocab.strings
        self.requirements: list[list[Requirement]] = [_requirements(p, vocab.strings) for p in patterns]
        self.id = PatternGroup._next_id
        PatternGroup._next_id += 1

    def anchor_weight(self, requirement: Requirement) -> tuple[int, int, int]:
        """Prefer anchors that are rare in text: exact forms, long words, few alternatives."""
        column, hashes = requirement
        shortest = min(len(self._strings[h]) for h in hashes)
        return (int(column == _LOWER), shortest, -len(hashes))

    def find(self, index: IndexedDoc, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Token spans (doc offsets) matched inside [start, end)."""
        numbers = index.candidates.get(self.id)
        if not numbers:
            return []
        end = index.length if end is None else end
        sentences: set[tuple[int, int]] = set()
        for number in numbers:
            sentences.update(_candidate_sentences(index, self.requirements[number], start, end))
        found: list[tuple[int, int]] = []
        doc = index.doc
        for s_start, s_end in sorted(sentences):
            lo, hi = max(s_start, start), min(s_end, end)
            for _, m_start, m_end in self.matcher(doc[lo:hi]):
                found.append((lo + m_start, lo + m_end))
        return found


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
