"""The `learned` rule kind: a trained classifier's verdict on the whole reply, shown on its likeliest sentence.

A pattern gives an exact span and a rewrite; a classifier only says that a
reply, as a whole, reads like the replies reviewers flagged. So a learned
rule fires when the reply's score reaches the label's threshold (chosen on
the dev split for precision ≥ 0.90), points at the sentence that scores
highest, and offers advice, not a replacement. When a pattern rule of the
same category already fired at warning or above, the engine drops the
learned hit: the pattern's span and rewrite say more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..analysis.latte import analyse
from ..core.context import Context
from ..core.rulespec import RuleBase
from ..learned.detectors import detector, fires, reply_scores
from .base import Hit


class LearnedRule(RuleBase):
    kind: Literal["learned"]
    label: Literal["negative", "promise", "tone", "deflection", "latte"]


class LearnedKind:
    model = LearnedRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: LearnedRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule

    def run(self, ctx: Context) -> Iterator[Hit]:
        label = self.rule.label
        found = detector(ctx.lang)
        if found is None or not fires(ctx, label):
            return
        if label == "latte" and not _steps_missing(ctx):
            return
        scores = reply_scores(ctx) or {}
        sentences = _sentences(ctx)
        if not sentences:
            return
        # A plain Doc of each sentence's words: Span.as_doc() also copies every token's vector slot,
        # which cost 5 ms on a long reply.
        per_sentence = found.scores_of_tokens([
            Doc(ctx.doc.vocab, words=[t.text for t in ctx.doc[s:e]], spaces=[bool(t.whitespace_) for t in ctx.doc[s:e]])
            for s, e in sentences
        ])
        best = max(range(len(sentences)), key=lambda i: per_sentence[i].get(label, 0.0))
        first, last = sentences[best]
        start, end = ctx.span_chars(first, last)
        yield Hit(start, start + len(ctx.text[start:end].rstrip()), values={"score": f"{scores[label]:.2f}"})


def _steps_missing(ctx: Context) -> bool:
    """The guide's LATTE flag needs a customer with a problem and a missing action or two missing
    steps. A bag of words cannot count steps ("sorry" and "damaged" score high even in a complete
    reply), the cue lists can. Whether there is a problem: the customer's own message when given
    (a billing question is no complaint, whatever words the reply uses); without it, the reply's
    cues or the trained complaint detector, which finds the problems real replies answer without
    apologising (issue trackers, public offices)."""
    coverage = analyse(ctx)
    answers_a_problem = coverage.expected or (ctx.customer_index is None and fires(ctx, "complaint"))
    return answers_a_problem and (not coverage.take_action.present or len(coverage.missing) >= 2)


def _sentences(ctx: Context) -> list[tuple[int, int]]:
    """Token spans of the reply's sentences that hold words of the agent's own, without the line
    breaks and blanks around them."""
    spans = []
    for start, end in ctx.index.sentences_between(0, len(ctx.doc)):
        if ctx.index.words_between(start, end):
            while ctx.doc[start].is_space:
                start += 1
            while ctx.doc[end - 1].is_space:
                end -= 1
            spans.append((start, end))
    return spans
