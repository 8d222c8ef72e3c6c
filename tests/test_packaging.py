"""Every third-party module the package imports is a declared dependency.

A CI machine that already has a package installed by hand hides a missing
dependency; a user's fresh virtualenv does not. This test reads the imports
of every module and checks them against pyproject.toml.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_MODULES = {"server.py", "middleware.py", "protocols.py"}  # importable only with the `server` extra
GRAMMAR_MODULES = {"grammar.py"}  # imports the `grammar` extra only when a LanguageTool url is set
# batch imports pyarrow (`parquet` extra) only for Parquet files and Dask (`dask` extra) only for
# --engine dask, each inside the function that needs it, with a one-line hint when it is missing.
BATCH_EXTRAS = {"sources.py": ("parquet",), "sinks.py": ("parquet",), "runner.py": ("dask",)}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_imports_are_declared_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = _names(project["dependencies"])
    server = core | _names(project["optional-dependencies"]["server"]) | {"starlette", "anyio"}
    distributions = packages_distributions()
    missing = []
    for path in sorted((ROOT / "replylint").rglob("*.py")):
        declared = server if path.name in SERVER_MODULES else core
        if path.name in GRAMMAR_MODULES:
            declared = core | _names(project["optional-dependencies"]["grammar"])
        if path.parent.name == "batch" and path.name in BATCH_EXTRAS:
            declared = set(core)
            for extra in BATCH_EXTRAS[path.name]:
                declared |= _names(project["optional-dependencies"][extra])
        for module in _imports(path):
            if module in sys.stdlib_module_names or module in ("replylint", "__future__"):
                continue
            names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            if not names & declared:
                missing.append(f"{path.relative_to(ROOT)} imports {module} ({', '.join(sorted(names))})")
    assert not missing, "undeclared dependencies:\n" + "\n".join(missing)
