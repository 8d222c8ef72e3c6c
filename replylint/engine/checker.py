"""The engine: what a process loads once, and `check()` over it.

`Engine.check` runs in four steps, each a method: validate the call,
read the reply (quoted history, signatures and accept markers become scopes;
the language is detected), run the active rules over one per-reply
`Context`, and turn their hits into the report.
"""

from __future__ import annotations

import dataclasses
import gc
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.latte import analyse as analyse_latte
from ..analysis.readability import warm_up as readability_warm_up
from ..analysis.score import level as level_for
from ..analysis.score import report_score
from ..config import Config
from ..core import budget as regex_budget
from ..core.brand import BrandProfile
from ..core.context import Context
from ..core.matching import IndexedDoc
from ..core.measured import Measure, load_measured
from ..core.packs import default_packs_dir, load_packs
from ..core.rulespec import RuleBase
from ..errors import ConfigError, InputError, PackError
from ..kinds import RULE_MODELS
from ..learned.detectors import detector as learned_detector
from ..learned.detectors import reply_scores
from ..kinds.base import Hit
from ..kinds.readability import readability as measure_readability
from ..models import Latte, Note, Readability, Report, Severity
from ..text import language as langdetect
from ..text.accept import Marker, accepted, find_markers, mask_markers
from ..text.prepare import Prepared, prepare
from ..text.caches import built_once
from ..text.scan import findall_words
from ..text.spelling import warm_up as spelling_warm_up
from .deadline import check_time
from .findings import UNUSED_ACCEPT, LineIndex, make_finding, unused_markers
from .grammar import ANCHOR_KINDS, GRAMMAR_KIND, GrammarCheck
from .runtime import LanguageRuntime, compile_language
from .selection import RuleSelection

CHANNELS: tuple[str, ...] = ("email", "chat", "social", "sms")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class _Reply:
    """The reply as the rules see it: the agent's own words apart from what it quotes."""

    prepared: Prepared
    markers: list[Marker]
    words: int

    @classmethod
    def read(cls, text: str) -> _Reply:
        prepared = prepare(text)
        markers = find_markers(text)
        if markers:  # blanked like quoted text: not words of the reply, offsets unchanged
            prepared = dataclasses.replace(prepared, masked=mask_markers(prepared.masked, markers))
        return cls(prepared, markers, len(findall_words(_WORD, prepared.own_text, str.isalnum)))


class _CompiledOnUse(dict):  # type: ignore[type-arg]
    """Language → runtime, compiled on first access (once, under a lock, whichever thread asks)."""

    def __init__(self, compile_one: Callable[[str], LanguageRuntime]) -> None:
        super().__init__()
        self._compile_one = compile_one
        self._lock = threading.Lock()

    def __missing__(self, lang: str) -> LanguageRuntime:
        with self._lock:
            if lang not in self:
                self[lang] = self._compile_one(lang)
            return dict.__getitem__(self, lang)


class Engine:
    """Everything loaded for one set of pack folders."""

    def __init__(self, extra_packs: Sequence[Path] = ()) -> None:
        folders = [default_packs_dir(), *extra_packs]
        packs = load_packs(folders, RULE_MODELS)
        self.origin = packs.origin
        self.measured: dict[tuple[str, str], Measure] = load_measured(default_packs_dir())
        self.rules = [self._by_measure(rule) for rule in packs.rules]
        # (code, lang) of the rules their pack enables but their real-reply record turns off
        self.off_by_measure = frozenset(
            (new.code, new.lang) for old, new in zip(packs.rules, self.rules) if old.enabled and not new.enabled
        )
        self._check_shared_codes()
        self._sources = {
            lang: ([r for r in self.rules if r.lang == lang],
                   [(path, data) for path, data in packs.lexicons if data.lang == lang])
            for lang in langdetect.SUPPORTED
        }
        # Each language's rules are compiled on its first reply: a command-line check of one Italian
        # reply does not pay for English. `load()` (and so the server) compiles both at start-up,
        # which is also where a pack's bad pattern in either language fails.
        self._kinds: dict[str, dict[str, Any]] = {}  # the selection reads the live ones
        self._runtimes: dict[str, LanguageRuntime] = _CompiledOnUse(self._compile)
        self.selection = RuleSelection(self.rules, self._kinds, compile_all=self.compile_all)
        self.codes = self.selection.codes
        self._renewing: set[str] = set()
        self._renew_lock = threading.Lock()

    def _compile(self, lang: str) -> LanguageRuntime:
        rules, lexicons = self._sources[lang]
        runtime = compile_language(lang, rules, lexicons, self.origin)
        self._kinds[lang] = runtime.kinds
        return runtime

    def compile_all(self) -> None:
        """Compile every language now (a pack error in either fails here)."""
        for lang in self._sources:
            self._runtimes[lang]  # compiled on access

    def _by_measure(self, rule: RuleBase) -> RuleBase:
        """Off by default when its measured precision on real replies is under the floor."""
        measure = self.measured.get((rule.code, rule.lang))
        if rule.enabled and measure is not None and measure.below_floor:
            return rule.model_copy(update={"enabled": False})
        return rule

    def _check_shared_codes(self) -> None:
        """One code means one check in every language: same name, category and kind."""
        first: dict[str, RuleBase] = {}
        for rule in self.rules:
            other = first.setdefault(rule.code, rule)
            if (other.name, other.category, other.kind) != (rule.name, rule.category, rule.kind):  # type: ignore[attr-defined]
                raise PackError(
                    f"{self.origin[(rule.code, rule.lang)]}: rule {rule.code}: its {rule.lang} entry "
                    f"disagrees with the {other.lang} entry in {self.origin[(other.code, other.lang)]} "
                    "on name, category or kind"
                )

    def resolve(self, codes: Sequence[str]) -> None:
        """Raise UnknownRuleError for a code or prefix that names no rule."""
        self.selection.resolve(codes)

    def active(self, lang: str, config: Config) -> dict[str, Severity]:
        """Code → effective severity of the rules this config runs for `lang`."""
        return self.selection.active(lang, config)

    def rule(self, code: str, lang: str) -> RuleBase | None:
        """The entry of `code` for `lang`, if that language has one."""
        return self.selection.rule(code, lang)

    def _renew_soon(self, lang: str) -> None:
        """Rebuild a worn language runtime in a background thread (see `runtime.RENEW_AFTER_WORDS`);
        checks go on with the old one until the new one is ready."""
        with self._renew_lock:
            if lang in self._renewing:
                return
            self._renewing.add(lang)
        threading.Thread(target=self._renew, args=(lang,), name=f"replylint-renew-{lang}", daemon=True).start()

    def _renew(self, lang: str) -> None:
        try:
            rules, lexicons = self._sources[lang]
            fresh = compile_language(lang, rules, lexicons, self.origin, fresh=True)
            with fresh.lock:
                fresh.nlp("warm up")
            self._runtimes[lang] = fresh
            self._kinds[lang] = fresh.kinds
        finally:
            with self._renew_lock:
                self._renewing.discard(lang)
        _collect_frozen()

    def warm_up(self) -> None:
        """Pay every one-off cost now: lemma tables, the language detector, the trained detectors,
        the spelling dictionaries."""
        self.compile_all()
        for lang, runtime in self._runtimes.items():
            doc = runtime.nlp("warm up")
            found = learned_detector(lang)
            if found is not None:
                found.scores_of_tokens([doc])
        langdetect.warm_up()
        readability_warm_up()
        spelling_warm_up()  # Hunspell dictionaries and word frequencies, both languages

    # -- checking ---------------------------------------------------------

    def check(
        self,
        text: str,
        *,
        customer: str | None = None,
        lang: str | None = None,
        channel: str | None = None,
        config: Config,
        brand: str | None = None,
        accept: Sequence[str] | None = None,
    ) -> Report:
        channel, profile, accept_codes = self._validate(text, customer, lang, channel, config, brand, accept)
        reply = _Reply.read(text)
        detected: str | None = lang
        if not any(ch.isalpha() for ch in reply.prepared.own_text):
            note = Note(code="nothing-to-check", message=_NOTHING_TO_CHECK[lang or "en"])
            return Report(language=lang, detected_language=lang, channel=channel, notes=[note],  # type: ignore[arg-type]
                          score=None, level=None, words=reply.words)
        if lang is None:
            detection = langdetect.detect(reply.prepared.own_text)
            detected = detection.language
            if not detection.supported:
                note = Note(code="unsupported-language", message=_UNSUPPORTED.format(lang=detected))
                return Report(language=None, detected_language=detected, channel=channel,  # type: ignore[arg-type]
                              notes=[note], score=None, level=None, words=reply.words)
            lang = detected

        active = self.active(lang, config)
        runtime = self._runtimes[lang]
        message_lang = lang if config.messages == "auto" else config.messages
        grammar = self._start_grammar(runtime, reply, active, accept_codes, text=text, lang=lang, config=config)
        hits, latte, readability, learned = self._run_rules(
            runtime, reply, active, accept_codes,
            text=text, lang=lang, channel=channel, customer=customer, config=config,
            message_lang=message_lang, profile=profile,
        )
        if runtime.worn:
            self._renew_soon(lang)
        lines = LineIndex(text)
        findings = [
            make_finding(runtime.kinds[code].rule, hit, hit.severity or severity, text, lines, message_lang)
            for code, severity in active.items()
            for hit in hits[code]
        ]
        notes: list[Note] = []
        if grammar is not None:  # after the rules: replylint's own findings win where both cover words
            check, grammar_rules = grammar
            found, notes = check.collect(
                grammar_rules, active, findings,
                lambda code: getattr(runtime.kinds[code].rule, "kind", "") in ANCHOR_KINDS,
                text, lines, message_lang,
            )
            findings.extend(found)
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
        value = report_score(findings, latte=latte, words=reply.words, channel=channel, lang=lang, learned=learned)
        return Report(language=lang, detected_language=detected, channel=channel,  # type: ignore[arg-type]
                      findings=findings, notes=notes, score=value, level=level_for(value), words=reply.words,
                      latte=latte, readability=readability, learned=learned)

    @staticmethod
    def _start_grammar(
        runtime: LanguageRuntime, reply: _Reply, active: dict[str, Severity], accept_codes: list[str], *,
        text: str, lang: str, config: Config,
    ) -> tuple[GrammarCheck, dict[str, RuleBase]] | None:
        """Send the agent's own words to the configured LanguageTool server, when there is one and a
        `languagetool` rule is active and not accepted; the answer is collected after the rules ran."""
        settings = config.languagetool
        if settings.url is None:
            return None  # nothing is sent, language_tool_python is not imported
        silenced = [*accept_codes, *(c for m in reply.markers for c in m.codes)]
        rules = {
            kind.rule.check: kind.rule  # type: ignore[attr-defined]
            for code, kind in runtime.kinds.items()
            if kind.rule.kind == GRAMMAR_KIND and code in active and not accepted(code, silenced)  # type: ignore[attr-defined]
        }
        if not rules:
            return None
        left_out = [*reply.prepared.quoted, *((m.start, m.end) for m in reply.markers)]
        return GrammarCheck(settings, lang, text, left_out), rules

    def _validate(
        self, text: str, customer: str | None, lang: str | None, channel: str | None, config: Config,
        brand: str | None, accept: Sequence[str] | None,
    ) -> tuple[str, BrandProfile | None, list[str]]:
        """Refuse a call that cannot be checked; return the channel, brand profile and accepted codes."""
        _validate_text(text, "reply", config.max_chars)
        if brand is not None and not isinstance(brand, str):
            raise InputError(f"brand must be a profile name (a string), got {type(brand).__name__}")
        profile = _brand_profile(config, brand)
        accept_codes = _accept_codes(accept)
        self.resolve(accept_codes)
        if customer is not None:
            _validate_text(customer, "customer message", config.max_chars, allow_empty=True)
        if lang is not None and lang not in langdetect.SUPPORTED:
            raise InputError(f"unsupported language {lang!r}: replylint checks 'it' and 'en'")
        if channel is None:
            channel = "email"
        if channel not in CHANNELS:
            raise InputError(f"unknown channel {channel!r}: use one of {', '.join(CHANNELS)}")
        return channel, profile, accept_codes

    @staticmethod
    def _run_rules(
        runtime: LanguageRuntime, reply: _Reply, active: dict[str, Severity], accept_codes: list[str], *,
        text: str, lang: str, channel: str, customer: str | None, config: Config, message_lang: str,
        profile: BrandProfile | None,
    ) -> tuple[dict[str, list[Hit]], Latte | None, Readability | None, dict[str, float] | None]:
        """Every active rule's hits over one Context, with accepted codes silenced; LATTE, readability
        and the trained detectors' scores."""
        markers = reply.markers
        masked = reply.prepared.masked
        # One regex budget for the reply (core/budget.py); nothing made in the memory zone is used after it.
        with runtime.lock, runtime.memory_zone(), regex_budget.per_reply(len(masked) + len(customer or "")):
            doc = runtime.nlp(masked)
            ctx = Context(
                text=text, masked=masked, doc=doc, index=IndexedDoc(doc, runtime.vocabulary),
                lang=lang, channel=channel, customer=customer, lexicon=runtime.lexicon, nlp=runtime.nlp,
                vocabulary=runtime.vocabulary, message_lang=message_lang, params=config.params,
                brand=profile,
            )
            # A marker's rule runs even when not selected, so "suppresses nothing" does not depend on selection.
            marker_codes = [c for m in markers for c in m.codes]
            marked = [c for c in runtime.kinds if c not in active and accepted(c, marker_codes)] if markers else []
            hits: dict[str, list[Hit]] = {}
            for code in [*active, *marked]:
                check_time()
                hits[code] = list(runtime.kinds[code].run(ctx))
            if UNUSED_ACCEPT in active:
                hits[UNUSED_ACCEPT] = unused_markers(markers, hits)
            _defer_learned(hits, runtime, active)
            silenced = [*accept_codes, *marker_codes]
            for code in active if silenced else ():
                if code != UNUSED_ACCEPT and accepted(code, silenced):
                    hits[code] = []
            check_time()
            latte = analyse_latte(ctx) if runtime.lexicon.groups else None
            readability = measure_readability(ctx)
            learned = reply_scores(ctx)
        return hits, latte, readability, learned


def _defer_learned(hits: dict[str, list[Hit]], runtime: LanguageRuntime, active: dict[str, Severity]) -> None:
    """A learned hit gives way to a pattern rule of its category that fired at warning or above:
    the pattern's exact span and rewrite say more than "this reply reads like flagged ones"."""
    learned = [code for code in hits if hits[code] and runtime.kinds[code].rule.kind == "learned"]  # type: ignore[attr-defined]
    if not learned:
        return
    covered = {
        runtime.kinds[code].rule.category
        for code, found in hits.items()
        if code not in learned and code in active
        and any((hit.severity or active[code]).rank >= Severity.warning.rank for hit in found)
    }
    for code in learned:
        if runtime.kinds[code].rule.category in covered:
            hits[code] = []


def _accept_codes(accept: object) -> list[str]:
    """The accepted codes, upper-cased: a list or tuple of strings (one string alone is one code)."""
    if accept is None:
        return []
    if isinstance(accept, str):
        accept = [accept]
    if not isinstance(accept, (list, tuple)) or not all(isinstance(c, str) for c in accept):
        raise InputError(f"accept must be a list of rule codes (strings), got {type(accept).__name__}"
                         + ("" if not isinstance(accept, (list, tuple)) else " with non-string items"))
    return [c.strip().upper() for c in accept if c.strip()]


def _brand_profile(config: Config, name: str | None) -> BrandProfile | None:
    """The brand profile a check uses: the call's `brand=`, else the config's default, else none."""
    name = name if name is not None else config.brand
    if name is None:
        return None
    profile = config.brands.get(name)
    if profile is None:
        known = ", ".join(sorted(config.brands)) or "none"
        raise ConfigError(f"unknown brand {name!r}: no [brands.{name}] profile in the config (configured: {known})")
    return profile


_NOTHING_TO_CHECK = {
    "en": "The reply has no words of the agent's own to check (only quoted text, numbers or symbols).",
    "it": "La risposta non contiene parole dell'operatore da controllare (solo testo citato, numeri o simboli).",
}
_UNSUPPORTED = (
    "The reply looks like language {lang!r}; replylint checks Italian and English only, "
    "so no rules were run. Pass lang='it' or lang='en' to force one."
)


def _validate_text(text: object, what: str, max_chars: int, allow_empty: bool = False) -> None:
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, got {type(text).__name__}")
    if not allow_empty and not text.strip():
        raise InputError(f"the {what} is empty")
    if len(text) > max_chars:
        raise InputError(
            f"the {what} is {len(text):,} characters long; the limit is {max_chars:,} (config max_chars)"
        )
    if "\x00" in text:
        raise InputError(f"the {what} contains NUL bytes: it looks like binary data, not text")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone UTF-16 surrogate: not text any encoder can write
            raise InputError(f"the {what} contains an unpaired UTF-16 surrogate at character {exc.start}") from None


_engines: dict[tuple[Path, ...], Engine] = {}
_engines_lock = threading.Lock()


def _collect_frozen() -> None:
    """`replylint.load` freezes what it loaded out of the garbage collector's sight; the runtime a
    renewal replaced is among it, and its cycles would never be collected. Unfreeze, collect,
    freeze again: a full collection, once per renewal."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    _return_free_memory()


def _return_free_memory() -> None:
    """Give the freed runtime's memory back to the system: glibc keeps freed blocks in its heap
    for reuse, and RSS would not show the renewal at all. Nothing elsewhere."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def get_engine(extra_packs: Sequence[Path] = ()) -> Engine:
    """The process-wide engine for these extra pack folders (built once)."""
    key = tuple(Path(p).resolve() for p in extra_packs)
    return built_once(_engines, _engines_lock, key, lambda: Engine(key))
