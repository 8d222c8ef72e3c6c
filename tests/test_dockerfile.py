"""The Dockerfile, read rather than built (this suite does not need Docker).

What it checks: every file it copies exists (or, for wheelhouse/, is the
folder its header says how to fill) and is not left out by .dockerignore;
it copies what pyproject.toml's wheel build reads; it installs only from
wheels, never from an index; it runs as a non-root user; its HEALTHCHECK is
Python that asks /healthz. Whether the image builds and starts is not
checked here: that needs a Docker daemon.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


def _ignored(path: str) -> bool:
    """.dockerignore's rule for one top-level path: the last pattern that matches wins; `!` lets it in."""
    ignored = False
    for pattern in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        if fnmatch.fnmatch(path, pattern.lstrip("!").rstrip("/")):
            ignored = not negate
    return ignored


def _copied() -> list[str]:
    sources = []
    for word, rest in _instructions():
        if word == "COPY" and "--from=" not in rest:
            sources.extend(part.rstrip("/") for part in shlex.split(rest)[:-1])
    return sources


def test_two_stages_on_python_311_slim():
    assert [rest for word, rest in _instructions() if word == "FROM"] == ["python:3.11-slim AS build", "python:3.11-slim"]


def test_every_copied_file_exists_and_is_in_the_build_context():
    sources = _copied()
    assert sources, "no COPY found"
    for source in sources:
        if source == "wheelhouse":  # made before the build, as the header says
            assert "pip wheel '.[server]' -w wheelhouse" in DOCKERFILE
            assert "pip download 'hatchling>=1.24' -d wheelhouse" in DOCKERFILE
        else:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
        assert not _ignored(source), f"COPY {source}: left out of the build context by .dockerignore"
    for unwanted in (".git", "tests", "dist", "node_modules", ".pytest_cache", "examples"):
        assert _ignored(unwanted), f".dockerignore lets {unwanted} into the build context"


def test_it_copies_what_the_wheel_build_reads():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", project["project"]["readme"], *wheel["packages"], *wheel.get("force-include", {})}
    assert needed <= set(_copied()), needed - set(_copied())
    # The build backend must come from the wheelhouse too: the header puts it there.
    assert project["build-system"]["requires"] == ["hatchling>=1.24"]


def test_pip_installs_only_from_wheels():
    build, service = _stages()
    runs = [rest for word, rest in build + service if word == "RUN"]
    pips = [run for run in runs if "pip " in run]
    assert len(pips) == 2
    for run in pips:
        assert "--no-index" in run and "--find-links" in run
    assert "pip wheel --no-index --find-links /wheelhouse --wheel-dir /wheels '.[server]'" in pips[0]
    assert "--mount=type=bind,from=build,source=/wheels,target=/wheels" in pips[1]
    assert pips[1].endswith("pip install --no-index --find-links /wheels 'replylint[server]'")


def test_the_service_stage_runs_as_a_user_and_serves_on_8750():
    _, service = _stages()
    words = dict(service)
    user_runs = [rest for word, rest in service if word == "RUN" and "useradd" in rest]
    assert user_runs and words["USER"] == "replylint" and words["USER"] not in {"root", "0"}
    assert "useradd --system" in user_runs[0] and " replylint" in user_runs[0]
    assert words["EXPOSE"] == "8750"
    assert json.loads(words["CMD"]) == ["replylint", "serve", "--host", "0.0.0.0"]
    # USER comes before CMD, so the service never runs as root.
    order = [word for word, _ in service]
    assert order.index("USER") < order.index("CMD")


def test_the_healthcheck_is_python_asking_healthz():
    _, service = _stages()
    check = dict(service)["HEALTHCHECK"]
    command = json.loads(check[check.index("CMD ") + 4 :])
    assert command[:2] == ["python", "-c"]
    compile(command[2], "<healthcheck>", "exec")
    assert "urllib.request.urlopen('http://127.0.0.1:8750/healthz'" in command[2]
