"""Which rules a configuration runs for a language, and at what severity.

`select`, `ignore`, `severity` and `params` name codes or code prefixes; a
name that matches no rule is an error rather than a silent no-op, because a
typo in a team's config would otherwise switch nothing off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..config import Config
from ..core.rulespec import RuleBase
from ..errors import ConfigError, UnknownRuleError
from ..kinds.base import Kind
from ..models import Severity


class RuleSelection:
    """The rules of every loaded pack, and the choice a config makes among them (memoised)."""

    def __init__(self, rules: list[RuleBase], kinds: Mapping[str, Mapping[str, Kind]],
                 compile_all: Callable[[], None] = lambda: None) -> None:
        self.rules = rules
        self.codes = sorted({r.code for r in rules})
        self._kinds = kinds  # language → code → compiled kind, for the names of its params
        self._compile_all = compile_all  # languages compile on first use; [params] is checked against all
        self._cache: dict[tuple[object, ...], dict[str, Severity]] = {}

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
        chosen = self._cache.get(key)
        if chosen is None:
            chosen = self._active(lang, config)
            if len(self._cache) < 256:
                self._cache[key] = chosen
        return chosen

    def _active(self, lang: str, config: Config) -> dict[str, Severity]:
        self.resolve([*(config.select or []), *config.ignore, *config.severity, *config.params])
        self._check_params(config)
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

    def _check_params(self, config: Config) -> None:
        """`[params.CODE]` may only name parameters the rule's check has, in any language."""
        if config.params:
            self._compile_all()
        for code, values in config.params.items():
            for kinds in self._kinds.values():
                kind = kinds.get(code)
                names = getattr(kind, "param_names", None)
                if kind is not None and not set(values) <= (names or set()):
                    known = ", ".join(sorted(names or ())) or "none"
                    raise ConfigError(
                        f"params.{code}: unknown parameter(s) {', '.join(sorted(set(values) - (names or set())))} "
                        f"(known for {code}: {known})"
                    )

    def rule(self, code: str, lang: str) -> RuleBase | None:
        """The entry of `code` for `lang`, if that language has one."""
        return next((r for r in self.rules if r.code == code and r.lang == lang), None)


def _override(code: str, overrides: dict[str, Severity]) -> Severity | None:
    """The most specific (longest) matching code or prefix wins."""
    matching = [prefix for prefix in overrides if code.startswith(prefix)]
    return overrides[max(matching, key=len)] if matching else None
