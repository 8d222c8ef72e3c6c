"""The built wheel carries the rule packs and works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_packs_and_runs_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = wheels.glob("replylint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("it", "en"):
        for pack in ("negative", "latte", "structure", "lexicon"):
            assert f"replylint/rules/{lang}/{pack}.yaml" in names
    assert "replylint/py.typed" in names
    assert "replylint/rules/measured.json" in names
    assert "replylint/rules/en/learned.yaml" in names
    assert "replylint/analysis/levels.json" in names
    for lang in ("it", "en"):
        assert f"replylint/learned/models/{lang}/meta.json" in names
        assert f"replylint/learned/models/{lang}/model/config.cfg" in names
    for lang in ("it", "en"):
        assert len([n for n in names if n.startswith(f"replylint/scenarios/{lang}/") and n.endswith(".yaml")]) >= 20
    assert wheel.stat().st_size <= 25 * 1024 * 1024

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import replylint, replylint.core.packs as p;"
        "print(p.default_packs_dir());"
        "r = replylint.check('Come già detto, non è colpa nostra.', lang='it');"
        "print(sorted({f.code for f in r.findings}));"
        "print(r.learned is not None and r.level is not None);"
        "from replylint.training.scenarios import load_scenarios, shipped_dir;"
        "print(shipped_dir(), len(load_scenarios()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    packs_dir, codes, learned, scenarios = result.stdout.strip().splitlines()
    assert learned == "True"
    scenarios_dir, count = scenarios.rsplit(" ", 1)
    assert scenarios_dir.startswith(str(site)) and int(count) >= 40
    assert packs_dir.startswith(str(site))
    assert "NEG122" in codes and "NEG120" in codes
