"""Load packs once, run every active rule over a prepared reply, build the report.

An `Engine` holds what is expensive (pipelines, compiled patterns, one
Matcher per language) and is shared by every call in the process. `check()`
reads it and never writes it, apart from the pipeline call itself, which
runs under a per-language lock because spaCy does not promise that a
pipeline may be called from two threads at once.
"""

from __future__ import annotations

from .checker import CHANNELS, Engine, get_engine

__all__ = ["CHANNELS", "Engine", "get_engine"]
