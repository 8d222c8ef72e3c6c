"""Exception types of the public API.

Every error replylint raises on purpose derives from `ReplylintError`, so a
caller can catch one type and show `str(error)`: the messages are written to
be shown to a person as they are, on one line.
"""

from __future__ import annotations


class ReplylintError(Exception):
    """Base class of every deliberate replylint error."""


class InputError(ReplylintError, ValueError):
    """The reply (or customer message) cannot be checked: empty, too long, not text."""


class PackError(ReplylintError):
    """A rule pack is malformed; the message names the file and the rule."""


class ConfigError(ReplylintError):
    """A configuration file or value is malformed; the message names the file and key."""


class ScenarioError(ReplylintError):
    """A training scenario file is malformed; the message names the file and the field."""


class TrainingStoreError(ReplylintError):
    """The training history database cannot be used (corrupted, not replylint's, not writable)."""


class CheckTimeout(ReplylintError):
    """The check ran past a time limit its caller set (the server's `timeout_seconds`); nothing is reported."""


class UnknownRuleError(ReplylintError, KeyError):
    """A rule code or prefix that matches no rule."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
