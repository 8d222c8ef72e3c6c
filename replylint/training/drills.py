"""Drills: one flawed sentence at a time, rewritten until its rule no longer fires.

A new agent's habits are sentence-sized ("that's not our fault", "it will
definitely arrive tomorrow"). The rule packs already hold such sentences: each
rule's bad examples. A drill shows one, with the rule's advice, and the
rewrite passes when (1) the rule no longer fires on it, and (2) the sentence's
key facts survive — its numbers, dates and names — because deleting the bad
news is not rewriting it — and (3) it is still about the same thing: it
shares a word stem with what the sentence said outside the flagged span.
Only rules on by default are drilled (a rule off for
low precision would teach the wrong lesson), and only examples that stand
alone: no customer message, channel or brand needed, one or two sentences,
and the rule really fires on them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .. import check
from ..config import Config
from ..core.rulespec import Examples, RuleBase
from ..engine import get_engine
from ..models import Finding
from .scenarios import normalise

DRILL_CATEGORIES = ("negative", "promise", "tone")
_MAX_CHARS = 220
# A number (with inner separators), or a capitalised word that does not start a sentence.
_NUMBER = re.compile(r"\d[\d.,:/\-]*\d|\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][\wÀ-ÿ'’]+")
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
        facts += [m.group() for m in _NAME.finditer(self.sentence.strip())]
        unique: dict[str, str] = {}
        for fact in facts:
            unique.setdefault(normalise(fact), fact)
        return list(unique.values())


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


def pick(candidates: list[Drill], rng: random.Random | None = None) -> Drill:
    return (rng or random.Random()).choice(candidates)


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
