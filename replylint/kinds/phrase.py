"""The `phrase` rule kind: a token pattern with exceptions, judged per sentence."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..packs import PhraseRule
from ..patterns import TokenPattern, compile_all

_ROLES = ("patterns", "unless", "unless_in_sentence", "requires_in_sentence", "unless_nearby")

Hits = dict[str, list[tuple[int, int]]]


class PhraseKind:
    def __init__(self, rule: PhraseRule, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        self.compiled: dict[str, list[TokenPattern]] = {
            role: compile_all(getattr(rule, role), tokenize) for role in _ROLES
        }

    def matcher_keys(self) -> Iterator[tuple[str, list[TokenPattern]]]:
        for role, patterns in self.compiled.items():
            if patterns:
                yield f"{self.rule.code}:{role}", patterns

    def hits(self, doc: Doc, found: Hits) -> Iterator[Span]:
        """Token spans where the rule fires, after every exception has had its say."""
        code = self.rule.code
        main = found.get(f"{code}:patterns")
        if not main:
            return
        unless = found.get(f"{code}:unless", [])
        in_sentence_unless = found.get(f"{code}:unless_in_sentence", [])
        required = found.get(f"{code}:requires_in_sentence", [])
        nearby_unless = found.get(f"{code}:unless_nearby", [])
        for span in filter_spans([doc[s:e] for s, e in main]):
            if any(s < span.end and span.start < e for s, e in unless):
                continue
            sentence = span.sent
            if _any_within(in_sentence_unless, sentence.start, sentence.end):
                continue
            if required and not _any_within(required, sentence.start, sentence.end):
                continue
            if nearby_unless and _any_within(nearby_unless, sentence.start, _next_sentence_end(doc, sentence)):
                continue
            yield span


def _any_within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= s and e <= end for s, e in spans)


def _next_sentence_end(doc: Doc, sentence: Span) -> int:
    """End of the sentence after `sentence`, skipping blank lines."""
    position = sentence.end
    while position < len(doc):
        following = doc[position].sent
        if following.text.strip():
            return following.end
        position = following.end
    return sentence.end


def add_to_matcher(matcher: Matcher, kind: PhraseKind) -> None:
    for key, patterns in kind.matcher_keys():
        matcher.add(key, patterns)
