"""Drills: one flawed sentence at a time, rewritten until its rule no longer fires.

A new agent's habits are sentence-sized ("that's not our fault", "it will
definitely arrive tomorrow"). The rule packs already hold such sentences: each
rule's bad examples. A drill shows one, with the rule's advice, and the
rewrite passes when (1) the rule no longer fires on it, and (2) the sentence's
key facts survive — its numbers, dates and names — because deleting the bad
news is not rewriting it — and (3) it is still about the same thing: it
shares a word stem with what the sentence said outside the flagged span.

Only rules on by default are drilled (a rule off for low precision would
teach the wrong lesson), and only examples that stand alone: no customer
message, channel or brand needed, one or two sentences, and the rule really
fires on them. The sentences of a session are dealt like cards: none comes
back before every one has been shown.

A name is a capitalised word inside the sentence ("Canada", "Svizzera", the
site's "Contatti" section). Not a name, so a rewrite may drop or change it:
a contraction ("I'll", "I’m": "I will" says the same); a piece of a word
joined by an ampersand or an apostrophe ("Cs" in "T&Cs"), except a name
after an Italian elided article ("dall'Italia" keeps "Italia") and a surname
such as "O'Brien"; a capitalised pronoun ("You" after a colon, the courteous
Italian "Lei"); and an all-capitals abbreviation without a digit ("FAQ",
"PO", "ID"): a common noun that a good rewrite often spells out ("our help
pages"). An identifier that carries a number keeps it ("PO-4471" → 4471).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import check
from ..config import Config
from ..core.rulespec import Examples, RuleBase
from ..engine import get_engine
from ..models import Finding
from .scenarios import normalise

DRILL_CATEGORIES = ("negative", "promise", "tone")
_MAX_CHARS = 220
# A number (with inner separators), or a capitalised word of two letters or more that does not
# start a sentence, is not glued by "&" to the word before, and is a whole word of letters.
_NUMBER = re.compile(r"\d[\d.,:/\-]*\d|\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)(?<![\w&])[A-ZÀ-Ý][^\W\d_]+(?![\w&])")
_APOSTROPHES = "'’"
# Italian elided articles and prepositions before a name: "l'Italia", "dall'Olanda", "un'Alfa".
_ELIDED_IT = re.compile(r"(?:^|\W)(?:l|d|dell|dall|nell|all|sull|coll|un|quest|quell)['’]$", re.IGNORECASE)
# Capitalised for courtesy or after a colon or quote, never a fact to keep.
_PRONOUNS = {
    "en": "you your yours we our ours us it its he him his she her they them their this that these those there here",
    "it": "lei la le gli suo sua suoi sue loro voi vi vostro vostra vostri vostre noi ci ti tu te ella essa esso",
}
_MONTHS = {
    "en": "january february march april may june july august september october november december monday tuesday "
          "wednesday thursday friday saturday sunday today tomorrow yesterday",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre lunedi "
          "martedi mercoledi giovedi venerdi sabato domenica oggi domani ieri",
}


@dataclass(frozen=True)
class Drill:
    rule: RuleBase
    sentence: str
    topic: tuple[str, ...] = ()  # the sentence's words outside the flagged span, of 4 letters or more

    @property
    def id(self) -> str:
        return self.rule.code

    @property
    def key_facts(self) -> list[str]:
        """What a rewrite must keep: numbers, day and month names, names."""
        # "100%" is how sure someone is ("100% sure", "sicuro al 100%"), not a fact to keep.
        facts = [m.group() for m in _NUMBER.finditer(self.sentence) if not self.sentence.startswith("100%", m.start())]
        words = set(_MONTHS[self.rule.lang].split())
        facts += [w for w in re.findall(r"[^\W\d_]+", self.sentence) if normalise(w) in words]
        facts += _names(self.sentence.strip(), self.rule.lang)
        unique: dict[str, str] = {}
        for fact in facts:
            unique.setdefault(normalise(fact), fact)
        return list(unique.values())


def _names(sentence: str, lang: str) -> list[str]:
    """The capitalised words of `sentence` that are names (see the module docstring)."""
    names = []
    for match in _NAME.finditer(sentence):
        word, start = match.group(), match.start()
        if word.isupper() or normalise(word) in _PRONOUNS[lang].split():
            continue
        if start and sentence[start - 1] in _APOSTROPHES:  # joined to the word before by an apostrophe
            before = sentence[:start - 1]
            if re.search(r"(?:^|\W)[A-Z]$", before):  # a surname such as O'Brien, D'Angelo: whole
                word = sentence[start - 2:match.end()]
            elif not (lang == "it" and _ELIDED_IT.search(sentence[:start])):
                continue
        names.append(word)
    return names


@dataclass(frozen=True)
class DrillResult:
    drill: Drill
    fired: list[Finding]
    missing: list[str]
    off_topic: bool = False  # shares no word with what the sentence was about

    @property
    def passed(self) -> bool:
        return not self.fired and not self.missing and not self.off_topic


def drills(lang: str, category: str | None = None, config: Config | None = None) -> list[Drill]:
    """Every drillable sentence of the language's packs (in pack order)."""
    cfg = config or Config()
    engine = get_engine(cfg.packs)
    found = []
    for rule in engine.rules:
        if rule.lang != lang or not rule.enabled or rule.category.value not in DRILL_CATEGORIES:
            continue
        if category is not None and rule.category.value != category:
            continue
        for item in rule.examples.bad:
            example = Examples.as_example(item)
            if example.customer or example.channel or example.brand or len(example.reply) > _MAX_CHARS:
                continue
            if "\n" in example.reply.strip():
                continue
            drill = Drill(rule, example.reply.strip())
            fired = _fired(drill, drill.sentence, cfg)
            if fired:
                found.append(Drill(rule, drill.sentence, _topic(drill.sentence, fired)))
    return found


def deal(candidates: list[Drill], rng: random.Random | None = None) -> Iterator[Drill]:
    """The drills in random order without repeats; once all are dealt, again in a new order, never
    starting with the one just shown. Endless (empty for no candidates)."""
    rng = rng or random.Random()
    last: Drill | None = None
    while candidates:
        deck = list(candidates)
        rng.shuffle(deck)
        if len(deck) > 1 and deck[0] is last:
            deck[0], deck[-1] = deck[-1], deck[0]
        yield from deck
        last = deck[-1]


def pick(candidates: list[Drill], rng: random.Random | None = None) -> Drill:
    """The first drill `deal` gives: what `train drill --answer` checks, the first sentence a session with the
    same --seed shows."""
    return next(deal(candidates, rng))


def _fired(drill: Drill, text: str, config: Config) -> list[Finding]:
    report = check(text, lang=drill.rule.lang, config=config)
    return [f for f in report.findings if f.code == drill.rule.code]


def try_rewrite(drill: Drill, answer: str, config: Config | None = None) -> DrillResult:
    """Check a rewrite: the drill's rule must be silent and its key facts still there."""
    cfg = config or Config()
    text = f" {normalise(answer)} "
    missing = [fact for fact in drill.key_facts if f" {normalise(fact)} " not in text]
    stems = {word[:4] for word in text.split()}
    off_topic = bool(drill.topic) and not any(word[:4] in stems for word in drill.topic)
    return DrillResult(drill, _fired(drill, answer, cfg), missing, off_topic)


def _topic(sentence: str, fired: list[Finding]) -> tuple[str, ...]:
    """Words a rewrite of the same sentence keeps in some form ("pacco", "perso" in "Non c'è
    niente da fare, il pacco risulta perso"): a passing rewrite must share a stem with one, so
    that an unrelated sentence does not pass."""
    kept = list(sentence)
    for finding in fired:
        kept[finding.span.start:finding.span.end] = " " * (finding.span.end - finding.span.start)
    return tuple(w for w in normalise("".join(kept)).split() if len(w) >= 4 and not w.isdigit())
