"""One configuration model, read from a file or built in code.

Precedence is defaults < file < call arguments. A file is `replylint.toml`
(top-level keys) or `pyproject.toml` (`[tool.replylint]`), found from the
working directory upwards, or named explicitly. A malformed file fails with
one message naming the file, the key and what was expected.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator

from .core.brand import BrandProfile

from .errors import ConfigError
from .models import Severity
from .analysis.policy import Policy

CONFIG_NAMES = ("replylint.toml", "pyproject.toml")


class TrainingConfig(BaseModel):
    """`[training]`: where `replylint train` finds a team's scenarios and keeps its history."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenarios: Path | None = Field(
        default=None, description="A folder of the team's own scenario files, used beside the shipped ones."
    )
    db: Path | None = Field(
        default=None, description="The history file (SQLite), e.g. on a share the whole team uses."
    )


class LanguageToolConfig(BaseModel):
    """`[languagetool]`: grammar through a LanguageTool server you run (off unless `url` is set).

    Only with a `url` is anything sent, and only there: the agent's own words of
    each checked reply (quoted history, signatures and inline quotations left
    out). `language-tool-python` (the `grammar` extra) is imported only then.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(
        default=None,
        description="Base URL of a LanguageTool server (http://localhost:8081); None: no grammar check, nothing sent.",
    )
    timeout_seconds: float = Field(
        default=3.0, gt=0, le=60,
        description="The grammar check gives up after this (server down, slow or answering garbage) with one note.",
    )
    english: Literal["en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA"] = Field(
        default="en-US", description="The English variant LanguageTool checks English replies as (spelling differs)."
    )
    disabled_rules: list[str] = Field(
        default_factory=list, description="LanguageTool rule ids not to report (sent as disabledRules)."
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from urllib.parse import urlsplit

        value = value.strip()
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("expected an http:// or https:// URL of a LanguageTool server, e.g. http://localhost:8081")
        import importlib.util

        if importlib.util.find_spec("language_tool_python") is None:
            raise ValueError(GRAMMAR_EXTRA_MISSING)
        return value


GRAMMAR_EXTRA_MISSING = (
    "a LanguageTool url needs the 'grammar' extra: pip install language-tool-python "
    "(or, in replylint's source folder, pip install '.[grammar]')"
)


class ServerConfig(BaseModel):
    """`[server]`: settings of `replylint serve` (the HTTP pre-send hook)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    token: SecretStr | None = Field(
        default=None, description="Bearer token clients must send; None: read token_env, else no auth."
    )
    token_env: str = Field(default="REPLYLINT_TOKEN", description="Environment variable with the token.")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins; empty: CORS off.")
    max_body_bytes: int = Field(default=64 * 1024, gt=0, description="Larger request bodies get 413.")
    timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time limit of a check run in a worker thread (long replies, batches)."
    )
    inline_max_chars: int = Field(
        default=8000, ge=0,
        description=(
            "Replies up to this many characters are checked on the event loop (a few milliseconds; "
            "handing them to a thread cost more than the check); longer ones and batches go to a "
            "worker thread under timeout_seconds. 0: always a thread."
        ),
    )
    batch_max: int = Field(default=50, gt=0, description="Most replies in one /v1/check/batch call.")
    header_timeout_seconds: float = Field(
        default=10.0, gt=0,
        description="A connection that has not sent a request's whole header within this is closed "
        "(a half-sent header would otherwise hold its socket forever).",
    )
    body_timeout_seconds: float = Field(
        default=10.0, gt=0,
        description="A request whose body stalls this long (nothing arrives while the server waits for it), "
        "or arrives slower than 500 bytes/s on average after this, gets 408 and its connection is closed.",
    )
    keep_alive_seconds: float = Field(default=5.0, gt=0, description="An idle kept-alive connection is closed after this.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    select: list[str] | None = Field(
        default=None,
        description="Codes or prefixes to run; None runs every rule that is on by default.",
    )
    ignore: list[str] = Field(default_factory=list, description="Codes or prefixes never to run.")
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Per-code (or prefix) severity overrides."
    )
    packs: list[Path] = Field(
        default_factory=list, description="Extra rule-pack folders, in the shipped YAML format."
    )
    messages: Literal["auto", "it", "en"] = Field(
        default="auto", description="Language of finding messages; auto follows the reply."
    )
    fail_on: Severity = Field(default=Severity.error, description="CLI exit 1 at or above this.")
    max_chars: int = Field(default=100_000, gt=0, description="Longer replies are refused.")
    params: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Per-code thresholds of code rules, e.g. {'STR104': {'max_words': 150}}.",
    )
    brands: dict[str, BrandProfile] = Field(
        default_factory=dict, description="Brand profiles by name ([brands.NAME] tables); see replylint.core.brand."
    )
    brand: str | None = Field(default=None, description="The brand profile used when a check names none.")
    policy: Policy = Field(default_factory=Policy, description="Pre-send decision: allow, warn or block.")
    server: ServerConfig = Field(default_factory=ServerConfig, description="`replylint serve` settings.")
    training: TrainingConfig = Field(default_factory=TrainingConfig, description="`replylint train` settings.")
    languagetool: LanguageToolConfig = Field(
        default_factory=LanguageToolConfig, description="Grammar through a LanguageTool server (off by default)."
    )

    @field_validator("select", "ignore")
    @classmethod
    def _upper_codes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [v.strip().upper() for v in value if v.strip()]

    @field_validator("severity", "params")
    @classmethod
    def _upper_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {k.strip().upper(): v for k, v in value.items()}

    @field_validator("brand")
    @classmethod
    def _known_brand(cls, value: str | None, info: ValidationInfo) -> str | None:
        brands = info.data.get("brands")
        if value is not None and brands is not None and value not in brands:
            known = ", ".join(sorted(brands)) or "none"
            raise ValueError(f"expected the name of a [brands.NAME] profile (configured: {known})")
        return value


def find_config_file(start: Path | None = None) -> Path | None:
    """The nearest replylint.toml, or pyproject.toml with a [tool.replylint] table."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / "replylint.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "replylint" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Path) -> Config:
    """Read and validate one config file; relative pack folders resolve against it."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("replylint", {})
    if isinstance(data.get("packs"), list):
        data["packs"] = [str((path.parent / str(p)).resolve()) for p in data["packs"]]
    training = data.get("training")
    if isinstance(training, dict):
        for key in ("scenarios", "db"):
            if isinstance(training.get(key), str):
                training[key] = str((path.parent / training[key]).resolve())
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation(exc)}") from None


def config_for(path: Path | None) -> Config:
    """The config a command runs with: the file named (which must exist), else the one found from
    the working directory upwards, else the defaults."""
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        return load_config(path)
    found = find_config_file()
    return load_config(found) if found else Config()


def merge(base: Config, **overrides: object) -> Config:
    """`base` with the non-None overrides applied (call arguments win over the file)."""
    changes = {k: v for k, v in overrides.items() if v is not None}
    if not changes:
        return base
    try:
        return Config.model_validate({**base.model_dump(), **changes})
    except ValidationError as exc:
        raise ConfigError(describe_validation(exc)) from None


def _read_toml(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None


def describe_validation(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown key {key!r}")
        else:
            parts.append(f"key {key!r}: {error['msg']} (got {error.get('input')!r})")
    return "; ".join(parts)
