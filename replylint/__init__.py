"""replylint — lint customer-service replies before they are sent (Italian and English).

    >>> import replylint
    >>> report = replylint.check("Non possiamo fare nulla, come già detto.")
    >>> [f.code for f in report.findings]

The public API is `check()`, `load()`, the models in `replylint.models`,
`Config` and the exception types. Everything else may change.
"""

from __future__ import annotations

from .text import spacy_startup

spacy_startup.install()  # before anything imports spaCy: see the module

import gc
from collections.abc import Mapping
from typing import Any

from .config import Config, find_config_file, load_config
from .engine import get_engine
from .errors import ConfigError, InputError, PackError, ReplylintError, UnknownRuleError
from .fix import Edit, Fixed
from .models import Category, Finding, Level, Note, Report, Severity, Span, Suggestion

__version__ = "0.1.0"

__all__ = [
    "Category",
    "Config",
    "ConfigError",
    "Finding",
    "InputError",
    "Level",
    "Note",
    "PackError",
    "Report",
    "ReplylintError",
    "Severity",
    "Span",
    "Suggestion",
    "UnknownRuleError",
    "Edit",
    "Fixed",
    "check",
    "fix",
    "find_config_file",
    "load",
    "load_config",
]


def _as_config(config: Config | Mapping[str, Any] | None) -> Config:
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        from pydantic import ValidationError

        from .config import describe_validation

        try:
            return Config.model_validate(dict(config))
        except ValidationError as exc:
            raise ConfigError(describe_validation(exc)) from None
    raise ConfigError(f"config must be a replylint.Config or a mapping, got {type(config).__name__}")


def check(
    text: str,
    *,
    customer: str | None = None,
    lang: str | None = None,
    channel: str | None = None,
    config: Config | Mapping[str, Any] | None = None,
    brand: str | None = None,
    accept: list[str] | tuple[str, ...] | str | None = None,
) -> Report:
    """Lint one draft reply.

    `customer` is the customer's message the reply answers, `lang` forces
    "it" or "en" (detected otherwise), `channel` is email (default), chat,
    social or sms. Offsets in the report point into `text` exactly as given.

    Raises `InputError` for a reply that cannot be checked (empty, not a
    string, longer than `config.max_chars`), `ConfigError` for a bad config,
    `UnknownRuleError` for a select/ignore code that names no rule, and
    `PackError` when a rule pack is malformed. A reply in another language
    is not an error: the report says so in `notes` and has no findings.

    `brand` names a profile of `config.brands` (default: `config.brand`);
    an unknown name is a `ConfigError`. `accept` lists codes or prefixes
    whose findings this one reply accepts (like an inline
    `<!-- replylint: accept NEG101 -->` marker); one string is one code.
    An argument of the wrong type (a list for `brand`, a number for
    `accept`, …) is an `InputError` too.
    """
    cfg = _as_config(config)
    engine = get_engine(cfg.packs)
    return engine.check(text, customer=customer, lang=lang, channel=channel, config=cfg, brand=brand, accept=accept)


def fix(
    text: str,
    *,
    customer: str | None = None,
    lang: str | None = None,
    channel: str | None = None,
    config: Config | Mapping[str, Any] | None = None,
    brand: str | None = None,
    unsafe: bool = False,
) -> Fixed:
    """The draft rewritten with its findings' replacements (`Fixed.text`), the edits applied and
    the report of the rewritten draft.

    Safe edits only, unless `unsafe`: then also the sentences a finding
    suggests adding (a missing thank-you or acknowledgement, a next step, the
    brand's sign-off) and rewrites their rule marks unsafe. An edit is kept
    only if the quoted history and signature stay untouched, every number,
    date, address, id and name of the draft survives, and the rewritten draft
    has strictly fewer warnings and errors, in the same language. Fixing the
    result again changes nothing. Raises what `check` raises.
    """
    from .fix import rewrite
    from .text.prepare import prepare

    cfg = _as_config(config)
    engine = get_engine(cfg.packs)

    def run(draft: str) -> Report:
        return engine.check(draft, customer=customer, lang=lang, channel=channel, config=cfg, brand=brand)

    def place_of(code: str, rule_lang: str) -> str:
        rule = engine.rule(code, rule_lang)
        if getattr(rule, "step", None) in ("listen", "acknowledge", "thank"):
            return "after_greeting"
        return {"greeting": "start", "signoff": "end"}.get(str(getattr(rule, "check", "")), "before_signoff")

    def quoted(draft: str) -> tuple[tuple[int, int], ...]:
        return prepare(draft).quoted

    return rewrite(text, run, protect=quoted, place_of=place_of, unsafe=unsafe)


def load(config: Config | Mapping[str, Any] | None = None) -> None:
    """Load pipelines, packs and the language detector now instead of on the first check.

    What was loaded then lives as long as the process, so it is moved out of
    the garbage collector's sight (`gc.freeze`): otherwise every full
    collection walks those ~170,000 objects again, a pause of tens of
    milliseconds that lands on whichever reply is being checked.
    """
    get_engine(_as_config(config).packs).warm_up()
    gc.collect()
    gc.freeze()
