"""The one-pass matcher finds exactly what spaCy's Matcher finds, for every pattern of every pack.

replylint does not run spaCy's Matcher on most patterns (it is too slow for
~1,900 patterns per reply); this test is what keeps the fast path honest.
Every group of patterns is run both ways over real replies and the rule
examples, and the spans must agree (within one sentence: replylint patterns
never span sentences).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.matcher import Matcher

from replylint.engine import get_engine
from replylint.core.matching import IndexedDoc
from replylint.core.rulespec import Examples

CORPUS = Path(__file__).parent / "corpus"


def _texts(lang: str) -> list[str]:
    rows = [json.loads(line) for line in (CORPUS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [r["reply"] for r in rows[:30]] + [r["customer"] for r in rows[:20] if r.get("customer")]
    for rule in get_engine().rules:
        if rule.lang == lang:
            for example in [*rule.examples.bad, *rule.examples.good]:
                example = Examples.as_example(example)
                texts += [example.reply, *([example.customer] if example.customer else [])]
    return texts[:50] + texts[50::3]  # every reply, a third of the examples: enough, and fast


@pytest.mark.parametrize("lang", ["it", "en"])
def test_fast_matching_agrees_with_spacy_matcher(lang: str) -> None:
    runtime = get_engine()._runtimes[lang]
    groups = [g for kind in runtime.kinds.values() for g in getattr(kind, "groups", {}).values()]
    groups += list(runtime.lexicon.groups.values())
    reference = []
    for group in groups:
        matcher = Matcher(runtime.nlp.vocab)
        matcher.add("p", group.patterns)
        reference.append(matcher)
    compared = found = 0
    for text in _texts(lang):
        doc = runtime.nlp(text)
        index = IndexedDoc(doc, runtime.vocabulary)
        sentence = index.sentence_ids
        for group, matcher in zip(groups, reference):
            expected = sorted({(s, e) for _, s, e in matcher(doc) if e > s and sentence[s] == sentence[e - 1]})
            assert group.find(index) == expected, (text, group.patterns[:3])
            compared += 1
            found += len(expected)
    assert compared > 10_000 and found > 500  # the comparison really ran, on texts where patterns match
