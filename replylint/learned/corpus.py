"""The real-reply corpus as data: replies with their source and split, and reviewers' labels.

It lives here, under the trained detectors, because training reads it; the
quality measure (`replylint.evaluation.real`) reads it too. The files are
`replies.jsonl` and `labels/<set>.jsonl` under `tests/corpus/real/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Channel, Language

GuideCategory = Literal["negative", "promise", "structure", "tone", "deflection", "latte"]
GUIDE_CATEGORIES: tuple[str, ...] = ("negative", "promise", "structure", "tone", "deflection", "latte")
STEPS: tuple[str, ...] = ("listen", "acknowledge", "action", "thank", "explain")
SPLITS: tuple[str, ...] = ("train", "dev", "test")
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "corpus" / "real"
"""The corpus in a source checkout (it is test data: not in the wheel)."""


class Labels(BaseModel):
    """One reviewer's judgement of one reply (review-guide.md)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    channel: Channel
    complaint: bool
    expect: list[GuideCategory] = Field(default_factory=list)
    latte_steps: list[Literal["listen", "acknowledge", "action", "thank", "explain"]] = Field(default_factory=list)
    level: int = Field(ge=1, le=5)
    note: str = ""


class RealReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    lang: Language
    channel: Channel
    customer: str | None = None
    reply: str
    source: str
    licence: str
    origin: Literal["real", "translated", "written"] = "real"
    split: Literal["train", "dev", "test"] | None = None
    company: str | None = None


@dataclass(frozen=True)
class RealItem:
    reply: RealReply
    labels: Labels


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from None
    return rows


def load_labels(path: Path) -> dict[str, Labels]:
    return {row["id"]: Labels.model_validate(row) for row in _read_jsonl(path)}


def load_replies(root: Path = DEFAULT_ROOT) -> list[RealReply]:
    return [RealReply.model_validate(row) for row in _read_jsonl(root / "replies.jsonl")]


def load_real(
    root: Path = DEFAULT_ROOT, *, lang: str | None = None, split: str | None = None, labels: str = "settled"
) -> list[RealItem]:
    """Real replies joined with one label set (`settled`, `labeller_a`, `labeller_b`), optionally one language/split.

    Only `origin: real` replies are ever in dev or test; `split=None` gives all labelled real replies.
    """
    chosen = load_labels(root / "labels" / f"{labels}.jsonl")
    items = []
    for reply in load_replies(root):
        if reply.origin != "real" or reply.id not in chosen:
            continue
        if (lang is None or reply.lang == lang) and (split is None or reply.split == split):
            items.append(RealItem(reply, chosen[reply.id]))
    return items
