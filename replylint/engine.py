"""Load packs once, run every active rule over a prepared reply, build the report.

An `Engine` holds what is expensive (pipelines, compiled patterns, one
Matcher per language) and is shared by every call in the process. `check()`
reads it and never writes it, apart from the pipeline call itself, which
runs under a per-language lock because spaCy does not promise that a
pipeline may be called from two threads at once.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.errors import MatchPatternError
from spacy.language import Language as SpacyLanguage

from .text import language as langdetect
from .text import nlp as nlp_module
from .text.accept import Marker, accepted, find_markers, mask_markers
from .config import Config
from .errors import ConfigError, InputError, PackError, UnknownRuleError
from .kinds import KINDS, RULE_MODELS
from .core.context import Context
from .kinds.base import Hit, Kind
from .kinds.readability import readability as measure_readability
from .analysis.latte import analyse as analyse_latte
from .core.lexicon import Lexicon, LexiconFile
from .core.matching import IndexedDoc, Vocabulary
from .models import Finding, Note, Report, Severity, Span, Suggestion
from .core.packs import default_packs_dir, load_packs
from .core.rulespec import RuleBase
from .core.patterns import PatternSyntaxError
from .text.prepare import prepare
from .analysis.readability import warm_up as readability_warm_up
from .text.scan import findall_words
from .analysis.score import level as level_for
from .analysis.score import score as score_for

CHANNELS: tuple[str, ...] = ("email", "chat", "social", "sms")
_NEWLINE = re.compile(r"\n")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


# spaCy keeps every word form it has seen (a Lexeme and its strings) for the life of the
# pipeline. A helpdesk hook sees new names, codes and order numbers all day, about 0.5 KB
# each (33 MiB per 20,000 replies with three new forms each). Past this many new strings a
# check runs in a spaCy memory zone, which forgets what the check added. Not from the
# start: words seen before the cap stay cached (the common ones, by then), while in a zone
# spaCy recreates every word it had not kept, about 1 ms more per check.
VOCAB_GROWTH_LIMIT = 200_000


@dataclass
class _LanguageRuntime:
    nlp: SpacyLanguage
    kinds: dict[str, Kind]
    lexicon: Lexicon
    vocabulary: Vocabulary
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded_strings: int = 0  # StringStore size once packs were compiled

    def memory_zone(self) -> contextlib.AbstractContextManager[object]:
        """A spaCy memory zone once the vocabulary has grown past the limit, else nothing."""
        if len(self.nlp.vocab.strings) - self.loaded_strings > VOCAB_GROWTH_LIMIT:
            return self.nlp.memory_zone()
        return contextlib.nullcontext()


class Engine:
    """Everything loaded for one set of pack folders."""

    def __init__(self, extra_packs: Sequence[Path] = ()) -> None:
        folders = [default_packs_dir(), *extra_packs]
        packs = load_packs(folders, RULE_MODELS)
        self.rules, self.origin = packs.rules, packs.origin
        self._check_shared_codes()
        self.codes = sorted({r.code for r in self.rules})
        self._active_cache: dict[tuple[object, ...], dict[str, Severity]] = {}
        self._runtimes = {
            lang: self._compile(
                lang,
                [r for r in self.rules if r.lang == lang],
                [(path, data) for path, data in packs.lexicons if data.lang == lang],
            )
            for lang in langdetect.SUPPORTED
        }

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

    def _compile(
        self, lang: str, rules: list[RuleBase], lexicon_files: list[tuple[Path, LexiconFile]]
    ) -> _LanguageRuntime:
        nlp = nlp_module.pipeline(lang)
        split = _pattern_tokenizer(nlp)
        lexicon = Lexicon(lexicon_files, nlp.vocab, split)
        kinds: dict[str, Kind] = {}
        for rule in rules:
            where = f"{self.origin[(rule.code, rule.lang)]}: rule {rule.code}"
            try:
                kind = KINDS[rule.kind](rule, nlp.vocab, split)  # type: ignore[attr-defined]
                lexicon.require(list(kind.lexicon_needs), where)
            except PatternSyntaxError as exc:
                raise PackError(f"{where}: {exc}") from None
            except PackError as exc:
                message = str(exc)
                raise PackError(message if message.startswith(where) else f"{where}: {message}") from None
            except (MatchPatternError, ValueError) as exc:
                first_line = str(exc).strip().splitlines()[0]
                raise PackError(f"{where}: pattern does not compile: {first_line}") from None
            kinds[rule.code] = kind
        groups = [g for kind in kinds.values() for g in getattr(kind, "groups", {}).values()]
        vocabulary = Vocabulary([*groups, *lexicon.groups.values()])
        return _LanguageRuntime(nlp, kinds, lexicon, vocabulary, loaded_strings=len(nlp.vocab.strings))

    # -- rule selection ---------------------------------------------------

    def resolve(self, codes: Iterable[str]) -> None:
        """Raise UnknownRuleError for a code or prefix that names no rule."""
        for code in codes:
            if not any(c.startswith(code) for c in self.codes):
                raise UnknownRuleError(f"unknown rule code or prefix {code!r}")

    def active(self, lang: str, config: Config) -> dict[str, Severity]:
        """Code → effective severity of the rules this config runs for `lang`.

        Memoised on the selection it depends on: a server calls this for every
        request with the same few configurations.
        """
        key = (
            lang,
            None if config.select is None else tuple(config.select),
            tuple(config.ignore),
            tuple(sorted(config.severity.items())),
            tuple((code, tuple(sorted(values))) for code, values in sorted(config.params.items())),
        )
        chosen = self._active_cache.get(key)
        if chosen is None:
            chosen = self._active(lang, config)
            if len(self._active_cache) < 256:
                self._active_cache[key] = chosen
        return chosen

    def _active(self, lang: str, config: Config) -> dict[str, Severity]:
        self.resolve([*(config.select or []), *config.ignore, *config.severity, *config.params])
        for code, values in config.params.items():
            for runtime in self._runtimes.values():
                kind = runtime.kinds.get(code)
                names = getattr(kind, "param_names", None)
                if kind is not None and not set(values) <= (names or set()):
                    known = ", ".join(sorted(names or ())) or "none"
                    raise ConfigError(
                        f"params.{code}: unknown parameter(s) {', '.join(sorted(set(values) - (names or set())))} "
                        f"(known for {code}: {known})"
                    )
        chosen: dict[str, Severity] = {}
        for rule in self.rules:
            if rule.lang != lang:
                continue
            if config.select is None:
                if not rule.enabled:
                    continue
            elif not any(
                rule.code == s or (rule.enabled and rule.code.startswith(s)) for s in config.select
            ):
                continue
            if any(rule.code.startswith(prefix) for prefix in config.ignore):
                continue
            chosen[rule.code] = _override(rule.code, config.severity) or rule.severity
        return chosen

    def rule(self, code: str, lang: str) -> RuleBase | None:
        """The entry of `code` for `lang`, if that language has one."""
        return next((r for r in self.rules if r.code == code and r.lang == lang), None)

    # -- checking ---------------------------------------------------------

    def warm_up(self) -> None:
        """Pay every one-off cost now: lemma tables, the language detector, textstat."""
        for runtime in self._runtimes.values():
            runtime.nlp("warm up")
        langdetect.warm_up()
        readability_warm_up()

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
        _validate_text(text, "reply", config.max_chars)
        profile = _brand_profile(config, brand)
        accept_codes = [c.strip().upper() for c in accept or () if c.strip()]
        self.resolve(accept_codes)
        if customer is not None:
            _validate_text(customer, "customer message", config.max_chars, allow_empty=True)
        if lang is not None and lang not in langdetect.SUPPORTED:
            raise InputError(f"unsupported language {lang!r}: replylint checks 'it' and 'en'")
        if channel is None:
            channel = "email"
        if channel not in CHANNELS:
            raise InputError(f"unknown channel {channel!r}: use one of {', '.join(CHANNELS)}")

        prepared = prepare(text)
        markers = find_markers(text)
        if markers:  # blanked like quoted text: not words of the reply, offsets unchanged
            prepared = dataclasses.replace(prepared, masked=mask_markers(prepared.masked, markers))
        own = prepared.own_text
        words = len(findall_words(_WORD, own, str.isalnum))
        detected: str | None = lang
        if not any(ch.isalpha() for ch in own):
            note = Note(code="nothing-to-check", message=_NOTHING_TO_CHECK[lang or "en"])
            return Report(language=lang, detected_language=lang, channel=channel, notes=[note],  # type: ignore[arg-type]
                          score=None, level=None, words=words)
        if lang is None:
            detection = langdetect.detect(own)
            detected = detection.language
            if not detection.supported:
                note = Note(code="unsupported-language", message=_UNSUPPORTED.format(lang=detected))
                return Report(language=None, detected_language=detected, channel=channel,  # type: ignore[arg-type]
                              notes=[note], score=None, level=None, words=words)
            lang = detected

        active = self.active(lang, config)
        runtime = self._runtimes[lang]
        message_lang = lang if config.messages == "auto" else config.messages
        with runtime.lock, runtime.memory_zone():  # nothing made in the zone is used after it
            doc = runtime.nlp(prepared.masked)
            ctx = Context(
                text=text, masked=prepared.masked, doc=doc, index=IndexedDoc(doc, runtime.vocabulary),
                lang=lang, channel=channel, customer=customer, lexicon=runtime.lexicon, nlp=runtime.nlp,
                vocabulary=runtime.vocabulary, message_lang=message_lang, params=config.params,
                brand=profile,
            )
            # A marker's rule runs even when not selected, so "suppresses nothing" does not depend on selection.
            marker_codes = [c for m in markers for c in m.codes]
            marked = [c for c in runtime.kinds if c not in active and accepted(c, marker_codes)] if markers else []
            hits = {code: list(runtime.kinds[code].run(ctx)) for code in [*active, *marked]}
            if _UNUSED_ACCEPT in active:
                hits[_UNUSED_ACCEPT] = _unused_markers(markers, hits, runtime.kinds)
            silenced = [*accept_codes, *marker_codes]
            for code in active if silenced else ():
                if code != _UNUSED_ACCEPT and accepted(code, silenced):
                    hits[code] = []
            latte = analyse_latte(ctx) if runtime.lexicon.groups else None
            readability = measure_readability(ctx)

        lines = _LineIndex(text)
        findings = [
            _finding(runtime.kinds[code].rule, hit, hit.severity or severity, text, lines, message_lang)
            for code, severity in active.items()
            for hit in hits[code]
        ]
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
        value = score_for(findings, words)
        return Report(language=lang, detected_language=detected, channel=channel,  # type: ignore[arg-type]
                      findings=findings, score=value, level=level_for(value), words=words,
                      latte=latte, readability=readability)


_UNUSED_ACCEPT = "META101"


def _brand_profile(config: Config, name: str | None):  # type: ignore[no-untyped-def]
    """The brand profile a check uses: the call's `brand=`, else the config's default, else none."""
    name = name if name is not None else config.brand
    if name is None:
        return None
    profile = config.brands.get(name)
    if profile is None:
        known = ", ".join(sorted(config.brands)) or "none"
        raise ConfigError(f"unknown brand {name!r}: no [brands.{name}] profile in the config (configured: {known})")
    return profile


def _unused_markers(markers: list[Marker], hits: dict[str, list[Hit]], kinds: dict[str, Kind]) -> list[Hit]:
    """META101: an accept marker that silences nothing (or names no rule) is a finding itself."""
    return [
        Hit(marker.start, marker.end, values={"code": code or "?"})
        for marker in markers
        for code in marker.codes or ("",)
        if not code or not any(found for c, found in hits.items() if c != _UNUSED_ACCEPT and c.startswith(code))
    ]


_NOTHING_TO_CHECK = {
    "en": "The reply has no words of the agent's own to check (only quoted text, numbers or symbols).",
    "it": "La risposta non contiene parole dell'operatore da controllare (solo testo citato, numeri o simboli).",
}
_UNSUPPORTED = (
    "The reply looks like language {lang!r}; replylint checks Italian and English only, "
    "so no rules were run. Pass lang='it' or lang='en' to force one."
)


def _override(code: str, overrides: dict[str, Severity]) -> Severity | None:
    """The most specific (longest) matching code or prefix wins."""
    matching = [prefix for prefix in overrides if code.startswith(prefix)]
    return overrides[max(matching, key=len)] if matching else None


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


class _LineIndex:
    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _finding(
    rule: RuleBase, hit: Hit, severity: Severity, text: str, lines: _LineIndex, lang: str
) -> Finding:
    excerpt = text[hit.start : hit.end]
    if hit.suggestions is not None:
        suggestions = list(hit.suggestions)
    else:
        advice = rule.suggest.advice.get(lang)
        suggestions = [
            Suggestion(advice=advice, replacement=_match_case(replacement, excerpt))
            for replacement in rule.suggest.replace
        ] or [Suggestion(advice=advice)]
    message = hit.message or rule.message.get(lang)
    if hit.values:
        message = message.format_map(_Defaulting(hit.values))
    line, column = lines.position(hit.start)
    return Finding(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=severity,
        span=Span(start=hit.start, end=hit.end),
        excerpt=excerpt,
        line=line,
        column=column,
        message=message,
        suggestions=suggestions,
    )


class _Defaulting(dict):  # type: ignore[type-arg]
    """format_map helper: an unknown {placeholder} in a team's message stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _match_case(replacement: str, excerpt: str) -> str:
    """Keep a sentence-initial capital: "Devi" → "Ti chiedo di", "devi" → "ti chiedo di"."""
    if excerpt[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def _pattern_tokenizer(nlp: SpacyLanguage):  # type: ignore[no-untyped-def]
    """Split a pattern word exactly as a reply would be split.

    A clitic written alone ("'ve", "'ll", "'m") tokenizes differently than
    inside a word ("we've" → "we" + "'ve"), so it is tokenized after a host
    word and the host dropped.
    """
    tokenizer = nlp.tokenizer

    @functools.lru_cache(maxsize=None)  # pattern words repeat across ~1,900 patterns: tokenize each once
    def split(word: str) -> tuple[str, ...]:
        if word[:1] in ("'", "’") and len(word) > 1:  # "'ve" as in "we've"
            for host in ("we", "I", "you", "it"):
                pieces = [t.text for t in tokenizer(host + word)]
                if len(pieces) >= 2 and pieces[0] == host and "".join(pieces[1:]) == word:
                    return tuple(pieces[1:])
        if word[-1:] in ("'", "’") and len(word) > 1:  # "l'" as in "l'ordine"
            for guest in ("ordine", "altro", "ora"):
                pieces = [t.text for t in tokenizer(word + guest)]
                if len(pieces) >= 2 and pieces[-1] == guest and "".join(pieces[:-1]) == word:
                    return tuple(pieces[:-1])
        return tuple(t.text for t in tokenizer(word))

    return split


_engines: dict[tuple[Path, ...], Engine] = {}
_engines_lock = threading.Lock()


def get_engine(extra_packs: Sequence[Path] = ()) -> Engine:
    """The process-wide engine for these extra pack folders (built once)."""
    key = tuple(Path(p).resolve() for p in extra_packs)
    engine = _engines.get(key)
    if engine is None:
        with _engines_lock:
            engine = _engines.get(key)
            if engine is None:
                engine = _engines[key] = Engine(key)
    return engine
