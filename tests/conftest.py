"""Shared fixtures. Tests force the blank pipeline so results do not depend on
which optional spaCy models happen to be installed on the machine."""

from __future__ import annotations

import os

os.environ.setdefault("REPLYLINT_NLP", "blank")
