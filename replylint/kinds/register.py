"""The `register` rule kind: Italian address forms — tu, Lei, voi — never mixed (domain.md §5).

Each cue of an address form is found from the lexicon (`register_tu`,
`register_lei`, `register_voi`; look-alikes in `register_not`), plus the
capitals of the courtesy form, which are letter case and so are found here:
"Le", "La" (before a lower-case word), "Lei", "Suo", "Sua", "Suoi", "Sue" in
the middle of a sentence — at the start of a sentence or a line "Le spese"
and "La consegna" are articles and say nothing.

- `mixing`: cues of two or more forms in one reply → a hit on each cue that
  is not in the target form (the brand's `formality` when it has one for
  Italian, else the form with most cues; a tie goes to the form used first),
  with the target form's equivalent as the suggestion when the rule's
  `equivalents` table has one.
- `off_brand`: the reply is consistent but in another form than the brand's
  `formality` → one hit on the first cue (silent without a brand profile).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import Field, field_validator
from spacy.attrs import ORTH
from spacy.strings import hash_string
from spacy.vocab import Vocab

from ..core.matching import longest_first
from ..models import Suggestion
from ..core.rulespec import RuleBase
from ..core.context import Context
from .base import Hit, starts_clause

FORMS = ("tu", "lei", "voi")
FORM_NAMES = {"tu": "tu", "lei": "Lei", "voi": "voi"}
_CAPITALS = frozenset({"Lei", "Suo", "Sua", "Suoi", "Sue"})
_CAPITAL_PRONOUNS = frozenset({"Le", "La"})
_CAPITAL_HASHES = frozenset(hash_string(w) for w in (*_CAPITALS, *_CAPITAL_PRONOUNS))  # as in a Doc's ORTH column
_TRAILING = frozenset({
    "il", "la", "lo", "l'", "l’", "i", "gli", "le", "un", "una", "uno", "un'", "un’", "questo", "questa", "di",
    "tutte", "tutti", "maggiori", "ulteriori", "qualche", "alcune", "alcuni", "nuovo", "nuova", "come", "che",
    "quanto", "subito", "oggi", "già", "ora", "volentieri", "nuovamente", "qui",
})
_AFTER_STOP = frozenset({".", "!", "?", ":", ";", "…", "«", "“", '"', "(", "-", "–", "—"})


class RegisterRule(RuleBase):
    kind: Literal["register"]
    check: Literal["mixing", "off_brand"]
    equivalents: list[list[str]] = Field(
        default_factory=list, description="[tu, lei, voi] forms of one cue, for suggestions ('' = none)."
    )

    @field_validator("equivalents")
    @classmethod
    def _triples(cls, value: list[list[str]]) -> list[list[str]]:
        for row in value:
            if len(row) != 3:
                raise ValueError(f"each equivalent is [tu, lei, voi], got {row!r}")
        return value


class RegisterKind:
    model = RegisterRule
    lexicon_needs: tuple[str, ...] = ("register_tu", "register_lei", "register_voi", "register_not")

    def __init__(self, rule: RegisterRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        self._equivalents: dict[str, list[str]] = {}
        for row in rule.equivalents:
            for form in row:
                if form:
                    self._equivalents.setdefault(form.lower(), row)

    def run(self, ctx: Context) -> Iterator[Hit]:
        if ctx.lang != "it":
            return
        cues = address_cues(ctx)
        if not cues:
            return
        counts = Counter(form for _, _, form in cues)
        wanted = ctx.brand.formality_for("it") if ctx.brand is not None else None
        if self.rule.check == "off_brand":
            if wanted is None or len(counts) != 1 or wanted in counts:
                return
            form = next(iter(counts))
            start, end, _ = cues[0]
            yield Hit(start, end, suggestions=self._suggest(ctx, start, end, wanted),
                      values={"form": FORM_NAMES[form], "target": FORM_NAMES[wanted], "count": len(cues)})
            return
        if len(counts) < 2:
            return
        if wanted is None:
            first = {form: i for i, (_, _, form) in reversed(list(enumerate(cues)))}
            wanted = max(counts, key=lambda f: (counts[f], -first[f]))
        for start, end, form in cues:
            if form != wanted:
                yield Hit(start, end, suggestions=self._suggest(ctx, start, end, wanted),
                          values={"form": FORM_NAMES[form], "target": FORM_NAMES[wanted],
                                  "counts": ", ".join(f"{FORM_NAMES[f]} {n}" for f, n in counts.most_common())})

    def _suggest(self, ctx: Context, start: int, end: int, wanted: str) -> tuple[Suggestion, ...]:
        advice = self.rule.suggest.advice.get(ctx.message_lang)
        found = ctx.text[start:end]
        row = self._equivalents.get(" ".join(found.lower().split()))
        replacement = row[FORMS.index(wanted)] if row else ""
        if not replacement:
            return (Suggestion(advice=advice),)
        if found[:1].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        # Unsafe for `replylint fix`: switching one form can leave the sentence's verbs in the other.
        return (Suggestion(advice=advice, replacement=replacement, unsafe=True),)


def address_cues(ctx: Context) -> list[tuple[int, int, str]]:
    """(start char, end char, form) of every address-form cue of the reply, in text order (cached)."""

    def compute() -> list[tuple[int, int, str]]:
        doc = ctx.doc
        spans: list[tuple[int, int, str]] = []
        for form in FORMS:
            spans += [(s, e, form) for s, e in ctx.find(f"register_{form}")]
        # Only capitalised pronouns and "-rLa"/"-rLe" forms can add a cue here: look them up
        # by hash instead of walking every token (this runs on every Italian reply).
        orths = doc.to_array([ORTH]).tolist() if len(doc) else []
        positions = [i for i, h in enumerate(orths) if h in _CAPITAL_HASHES]
        if "rLa" in ctx.masked or "rLe" in ctx.masked:
            positions = sorted({*positions, *(i for i, t in enumerate(doc) if t.text[-3:] in ("rLa", "rLe"))})
        for i in positions:
            token = doc[i]
            if token.text == "Lei" or (token.text in _CAPITALS and not _starts_clause(doc, i)):
                spans.append((i, i + 1, "lei"))
            elif (
                token.text in _CAPITAL_PRONOUNS
                and not _starts_clause(doc, i)
                and i + 1 < len(doc)
                and doc[i + 1].text[:1].islower()
            ):
                spans.append((i, i + 1, "lei"))
            elif token.text[-3:] in ("rLa", "rLe") and token.text[:1].islower():  # "ringraziarLa", "inviarLe"
                spans.append((i, i + 1, "lei"))
        blocked = ctx.find("register_not")
        spans = [(s, e, f) for s, e, f in spans if not any(bs < e and s < be for bs, be in blocked)]
        out = []
        for s, e, form in longest_first(spans):
            while e - s > 1 and doc[e - 1].lower_ in _TRAILING:  # "Le invio il" → "Le invio"
                e -= 1
            start, end = ctx.span_chars(s, e)
            out.append((start, end, form))
        return out

    return ctx.cached("address_cues", compute)


def _starts_clause(doc: Any, i: int) -> bool:
    """Whether token i starts a sentence or a line (so a capital says nothing)."""
    return starts_clause(doc, i, doc.text, _AFTER_STOP)
