"""Each rule's measured precision and recall on real replies, shipped beside the packs (`rules/measured.json`).

Written by `python -m replylint.evaluation.rule_figures` from the labelled
real corpus's `dev` split, with every rule selected. A rule whose warnings
land on a reply a reviewer flagged for that category less than 90% of the
time is off by default — a false alarm is a bug — and `--select CODE` turns
it on, as for DEF103. A rule that fired fewer than three times has no
reliable figure and keeps its default. `replylint rules` and `explain`
show the figures, so a team can judge each rule by its record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MEASURED_FILE = "measured.json"
PRECISION_FLOOR = 0.90
MIN_FIRED = 3


def below_floor(precision: float | None, fired: int) -> bool:
    """Wrong too often to be on by default: under the precision floor on enough replies to tell."""
    return fired >= MIN_FIRED and precision is not None and precision < PRECISION_FLOOR


@dataclass(frozen=True)
class Measure:
    precision: float | None  # None when the rule never fired at warning or above
    recall: float | None  # share of the replies labelled with its category that it flagged
    fired: int  # replies it flagged (warning or above)
    labelled: int  # replies labelled with its category
    split: str
    replies: int

    @property
    def below_floor(self) -> bool:
        return below_floor(self.precision, self.fired)


def load_measured(packs_dir: Path) -> dict[tuple[str, str], Measure]:
    """(code, lang) → its figures; empty when the packs folder has no measurements."""
    path = packs_dir / MEASURED_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        (code, lang): Measure(values.get("precision"), values.get("recall"), values["fired"], values["labelled"],
                              data.get("split", "dev"), data["languages"][lang]["replies"])
        for lang, block in data.get("languages", {}).items()
        for code, values in block.get("rules", {}).items()
    }
