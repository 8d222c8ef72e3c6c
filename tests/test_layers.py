"""The package's folders follow the layers of the data flow, and imports only go down.

A module may import from its own unit (a top-level module or folder of
`replylint/`) and from any unit on a lower layer, never from a higher one
and never sideways into another unit of its own layer. Imports under
`TYPE_CHECKING` and inside functions count too: a late import upward is
still a dependency upward. A new top-level module or folder must be given
a layer here, which is the moment to decide where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "replylint"

# Lowest first. `__init__` is the public API (`replylint.check`, `load`, the models).
LAYERS: list[tuple[str, ...]] = [
    ("models", "errors"),
    ("text",),
    ("core",),
    ("learned",),
    ("analysis",),
    ("reporting",),
    ("kinds",),
    ("config",),
    ("engine",),
    ("fix",),
    ("__init__",),
    ("service", "evaluation", "authoring", "training", "batch", "formats"),
    ("cli",),
    ("__main__",),
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _module_name(path: Path, package: Path = PACKAGE) -> list[str]:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _unit(parts: list[str]) -> str:
    """The top-level unit of a dotted module name inside the package."""
    return parts[1] if len(parts) > 1 else "__init__"


def _imported_modules(path: Path, root: Path = PACKAGE) -> list[tuple[int, list[str]]]:
    """(line, dotted parts) of every replylint module this file imports, resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path, root)
    package = here if path.name == "__init__.py" else here[:-1]
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "replylint":
                    found.append((node.lineno, parts))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "replylint":
                target = node.module.split(".")
            else:
                continue
            if node.module is None or len(target) == 1:
                # `from . import x`: x may be a submodule, which is what is really imported.
                for alias in node.names:
                    candidate = target + [alias.name]
                    sub = root.parent.joinpath(*candidate)
                    is_module = sub.with_suffix(".py").exists() or (sub / "__init__.py").exists()
                    found.append((node.lineno, candidate if is_module else target))
            else:
                found.append((node.lineno, target))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(path)) for path in MODULES}
    missing = sorted(units - set(RANK))
    assert not missing, f"give these a layer in LAYERS: {missing}"


def test_every_folder_says_what_it_is_for() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{init.relative_to(PACKAGE.parent)} needs a docstring saying what the layer holds"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_only_go_down(path: Path) -> None:
    own = _unit(_module_name(path))
    wrong = []
    for line, target in _imported_modules(path):
        other = _unit(target)
        if other == own:
            continue
        if RANK[other] >= RANK[own]:
            wrong.append(f"line {line}: {'.'.join(target)} ({other}, layer {RANK[other]} ≥ {RANK[own]})")
    assert not wrong, f"{path.relative_to(PACKAGE.parent)} ({own}) imports upward or sideways:\n" + "\n".join(wrong)


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The resolver is what the test stands on: an upward import written three ways is found."""
    root = tmp_path / "replylint"
    (root / "text").mkdir(parents=True)
    (root / "cli.py").write_text("")
    probe = root / "text" / "probe.py"
    probe.write_text(
        "from ..engine import get_engine\nfrom replylint.kinds import KINDS\n"
        "def f():\n    from .. import cli\n",
        encoding="utf-8",
    )
    targets = [".".join(t) for _, t in _imported_modules(probe, root)]
    assert targets == ["replylint.engine", "replylint.kinds", "replylint.cli"]
    assert all(RANK[_unit(t.split("."))] > RANK["text"] for t in targets)
