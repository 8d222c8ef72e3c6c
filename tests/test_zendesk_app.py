"""The Zendesk app's hook logic, tested by node's own test runner against a live replylint server.

The JavaScript suite starts `replylint serve` itself (only the ZAF client object is faked);
this wrapper makes it part of the Python suite so CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_zendesk_app_suite_passes_against_a_live_server() -> None:
    node = shutil.which("node")
    assert node, "node is needed for the Zendesk app tests (it ships with this machine image)"
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [node, "--test", str(ROOT / "examples" / "zendesk-app" / "test")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
