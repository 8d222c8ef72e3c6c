"""spaCy without its command-line machinery at start-up.

`import spacy` imports `spacy.cli` (typer commands, project tooling) only to re-export
`spacy.info`; that is about a quarter of spaCy's import time, paid by every cold
`replylint check`, pre-commit run and training command, and never used by a check. Before spaCy
is first imported, `spacy.cli` and `spacy.cli.info` are registered as stand-ins that import the
real package the moment anything asks for one of its names (`spacy.cli.download`, `spacy.info`),
so code sharing the process with replylint still gets spaCy's whole command line.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_STUB = "_replylint_stand_in"


def _real() -> types.ModuleType:
    for name in ("spacy.cli.info", "spacy.cli"):
        if getattr(sys.modules.get(name), _STUB, False):
            del sys.modules[name]
    module = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = module  # type: ignore[attr-defined]
    return module


def _info(*args: Any, **kwargs: Any) -> Any:
    return _real().info(*args, **kwargs)


def install() -> None:
    """Register the stand-ins, unless spaCy (or its command line) is imported already."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    setattr(info, _STUB, True)
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so `spacy.cli.info` resolves to the stand-in above
    cli.info = info  # type: ignore[attr-defined]
    cli.__getattr__ = lambda name: getattr(_real(), name)  # type: ignore[method-assign]
    setattr(cli, _STUB, True)
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
