"""The `tone_context` rule kind: the tone adapts to the situation (domain.md §5–§6).

`playful_when_upset`: from the customer's message (when given) estimate
whether they are upset, angry or in a hurry — complaint words, anger words
("vergognoso", "worst"), repetition ("ancora", "di nuovo", "still not"),
urgency ("subito", "asap"), "!!!", words in capitals, angry emoji — and then
flag the playful markers of the reply: emoji and emoticons, "!!", laughter
("haha", "ahah"), cheers ("yay", "evviva"), "oops". The brand's voice stays;
its tone adapts. Without the customer's message the rule is silent.

`personal_data`: on a public channel (social) the reply must not show the
customer's e-mail address, phone number, order number, card digits or
street address: invite them to a private channel instead. The expressions
are the rule's `patterns` (name → regular expression), per language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import Field, field_validator
from spacy.vocab import Vocab

from ..models import Channel
from ..core.budget import compile_pattern, finditer
from ..core.rulespec import RuleBase, compiled_regexes
from ..core.context import Context
from .base import Hit

# Pictographs, dingbats and flags, with skin tones, variation selectors and ZWJ sequences;
# check marks (✓ ✔ ✗ ✘) are list bullets, not emoji.
_PICTO = "[\U0001F300-\U0001FAFF\u2600-\u2712\u2719-\u27BF\u2B50\u2B55\u203C\u2049]"
EMOJI = re.compile(
    rf"(?:[\U0001F1E6-\U0001F1FF]{{2}}|{_PICTO}\uFE0F?[\U0001F3FB-\U0001F3FF]?(?:\u200D{_PICTO}\uFE0F?)*)"
    rf"(?:\s?(?:[\U0001F1E6-\U0001F1FF]{{2}}|{_PICTO}\uFE0F?[\U0001F3FB-\U0001F3FF]?(?:\u200D{_PICTO}\uFE0F?)*))*"
)
EMOTICON = re.compile(r"(?<!\S)(?:[:;=]-?[)(DPp]|[xX]D|<3|\^\^|\^_\^)(?![\w)(])")
_ANGRY_EMOJI = re.compile("[\U0001F621\U0001F92C\U0001F624\U0001F620\U0001F44E\U0001F644\U0001F4A2]")
_SHOUT = re.compile(r"(?<![\w@])[A-ZÀ-Ý]{4,}(?![\w@])")
_RUN = re.compile(r"[!?]*(?:!!|\?!|!\?)[!?]*")
_ACRONYMS = frozenset({"IBAN", "HTTP", "HTTPS", "HTML", "ASAP", "FAQ", "FAQS", "GDPR", "SPID", "ISEE", "PEC", "CAP",
                       "INPS", "USB", "WIFI", "APP", "POS", "NFC", "GPS", "PDF", "SMS", "UPS", "DHL", "TNT", "BRT",
                       "GLS", "SDA", "IVA", "VAT", "UK", "USA", "EU", "OTP", "PIN", "PUK", "SIM", "ESIM"})

_PARAMS: dict[str, dict[str, float]] = {"playful_when_upset": {"min_upset": 2}, "personal_data": {}}


class ToneContextRule(RuleBase):
    kind: Literal["tone_context"]
    check: Literal["playful_when_upset", "personal_data"]
    channels: list[Channel] = Field(default_factory=lambda: ["email", "chat", "social", "sms"])
    params: dict[str, float] = Field(default_factory=dict)
    patterns: dict[str, str] = Field(default_factory=dict, description="personal_data: name → regex")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, values: dict[str, str]) -> dict[str, str]:
        compiled_regexes(list(values.values()), "pattern")
        return values


class ToneContextKind:
    model = ToneContextRule
    lexicon_needs: tuple[str, ...] = ("complaint", "upset", "repeat", "urgent", "playful")

    def __init__(self, rule: ToneContextRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        self._patterns = [(name, compile_pattern(p)) for name, p in rule.patterns.items()]

    def run(self, ctx: Context) -> Iterator[Hit]:
        if ctx.channel not in self.rule.channels:
            return
        params: dict[str, Any] = {**_PARAMS[self.rule.check], **self.rule.params, **ctx.params.get(self.rule.code, {})}
        if self.rule.check == "playful_when_upset":
            yield from self._playful(ctx, params)
        else:
            yield from self._personal_data(ctx)

    def _playful(self, ctx: Context, params: dict[str, Any]) -> Iterator[Hit]:
        mood = customer_mood(ctx)
        if mood["score"] < params["min_upset"]:
            return
        spans: list[tuple[int, int]] = [m.span() for m in EMOJI.finditer(ctx.masked)]
        spans += [m.span() for m in EMOTICON.finditer(ctx.masked)]
        spans += [m.span() for m in re.finditer(r"!{2,}", ctx.masked)]
        spans += [ctx.span_chars(s, e) for s, e in ctx.find("playful")]
        taken: list[tuple[int, int]] = []
        for start, end in sorted(set(spans), key=lambda se: (se[0], -se[1])):
            if any(s <= start < e for s, e in taken):
                continue
            taken.append((start, end))
            yield Hit(start, end, values={"cues": ", ".join(mood["cues"][:3])})

    def _personal_data(self, ctx: Context) -> Iterator[Hit]:
        found: list[tuple[int, int, str]] = []
        for name, pattern in self._patterns:
            found += [(m.start(), m.end(), name) for m in finditer(pattern, ctx.masked) if m.end() > m.start()]
        taken: list[tuple[int, int]] = []
        for start, end, name in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            yield Hit(start, end, values={"what": name.replace("_", " ")})


def customer_mood(ctx: Context) -> dict[str, Any]:
    """How upset the customer's message reads: a score and the cues behind it (cached per reply)."""

    def compute() -> dict[str, Any]:
        text = ctx.customer or ""
        index = ctx.customer_index
        cues: list[str] = []
        score = 0
        if index is None:
            return {"score": 0, "cues": cues}
        doc = index.doc

        counted: list[tuple[int, int]] = []

        def seen(entry: str, weight: int) -> None:
            # each kind of cue counts once, and words already counted as another cue do not count again
            nonlocal score
            hits = [(s, e) for s, e in ctx.lexicon.find(entry, index)
                    if not any(cs < e and s < ce for cs, ce in counted)]
            if hits:
                score += weight
                counted.extend(hits)
                s, e = hits[0]
                cues.append(doc[s:e].text)

        seen("upset", 2)
        seen("complaint", 1)
        seen("repeat", 1)
        seen("urgent", 1)
        run = _RUN.search(text)
        if run:
            score += 1
            cues.append(run.group(0))
        shouted = [w for w in _SHOUT.findall(text) if w not in _ACRONYMS]
        if shouted:
            score += 1
            cues.append(shouted[0])
        angry = _ANGRY_EMOJI.search(text)
        if angry:
            score += 1
            cues.append(angry.group(0))
        return {"score": score, "cues": cues}

    return ctx.cached("customer_mood", compute)
