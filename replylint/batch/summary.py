"""The team lead's view of a run, gathered while rows stream past: per agent, per rule, per week,
the score distribution and the lowest-scoring replies.

Memory grows with the number of agents, rules and weeks, never with the number of rows: each row
updates counters and the lowest-scores heap keeps a fixed number of entries.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from ..models import Level
from .results import OK

LEVELS = tuple(level.value for level in Level)
LOWEST_KEPT = 20
TOP_CODES = 5
UNKNOWN_AGENT = "(no agent)"


class AgentRow(BaseModel):
    agent: str
    replies: int = Field(description="Replies graded (status ok).")
    mean_score: float | None
    levels: dict[str, int] = Field(description="Replies per service level, every level present.")
    top_codes: list[tuple[str, int]] = Field(description="The codes met most often, with their reply counts.")


class RuleRow(BaseModel):
    code: str
    language: str
    hits: int = Field(description="Findings of this code.")
    replies: int = Field(description="Graded replies in this language with at least one.")
    share: float = Field(description="replies / graded replies in this language.")


class WeekRow(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W45.")
    replies: int
    mean_score: float | None
    levels: dict[str, int]


class LowRow(BaseModel):
    row: int
    id: str | None
    agent: str | None
    language: str | None
    score: int
    level: str | None
    codes: list[str]


class Summary(BaseModel):
    rows: int = Field(description="Input rows, each with one output row.")
    statuses: dict[str, int] = Field(description="Rows per status; every error reason counts under 'error'.")
    graded: int
    mean_score: float | None
    languages: dict[str, int]
    levels: dict[str, int]
    score_histogram: list[int] = Field(description="Graded replies per score band 0–9, 10–19, …, 90–100.")
    agents: list[AgentRow]
    rules: list[RuleRow] = Field(description="Every code met, most frequent first within each language.")
    weeks: list[WeekRow] = Field(description="In date order; empty when the rows carry no readable dates.")
    undated: int = Field(description="Graded replies whose date is missing or unreadable.")
    lowest: list[LowRow] = Field(description=f"The {LOWEST_KEPT} lowest-scoring replies, lowest first.")


def iso_week(value: object) -> str | None:
    """'2026-W45' for an ISO 8601 date or date-time (a trailing Z or offset allowed), or an epoch
    number; None when the value reads as no date."""
    if isinstance(value, datetime | date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            day = datetime.fromtimestamp(value / 1000 if value > 1e11 else value)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            day = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            try:
                day = datetime.strptime(text[:10], "%d/%m/%Y") if len(text) >= 10 and text[2] == "/" else None
            except ValueError:
                day = None
            if day is None:
                return None
    else:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class _Tally:
    def __init__(self) -> None:
        self.replies = 0
        self.total = 0
        self.levels: Counter[str] = Counter()

    def add(self, score: int, level: str | None) -> None:
        self.replies += 1
        self.total += score
        if level:
            self.levels[level] += 1

    def mean(self) -> float | None:
        return round(self.total / self.replies, 1) if self.replies else None

    def level_counts(self) -> dict[str, int]:
        return {level: self.levels.get(level, 0) for level in LEVELS}


class Gatherer:
    """Feed it every result row (`add`), in any order; `summary()` at the end."""

    def __init__(self) -> None:
        self.rows = 0
        self.statuses: Counter[str] = Counter()
        self.all = _Tally()
        self.languages: Counter[str] = Counter()
        self.histogram = [0] * 10
        self.agents: dict[str, _Tally] = defaultdict(_Tally)
        self.agent_codes: dict[str, Counter[str]] = defaultdict(Counter)
        self.rule_hits: Counter[tuple[str, str]] = Counter()
        self.rule_replies: Counter[tuple[str, str]] = Counter()
        self.weeks: dict[str, _Tally] = defaultdict(_Tally)
        self.undated = 0
        self._lowest: list[tuple[int, int, dict[str, Any]]] = []  # (-score, -row, entry): a max-heap of the kept

    def add(self, record: dict[str, Any], hits: dict[str, int] | None = None) -> None:
        self.rows += 1
        status = record["status"] or "error"
        self.statuses["error" if status.startswith("error") else status] += 1
        if status != OK:
            return
        score, level, lang = record["score"], record["level"], record["language"]
        self.all.add(score, level)
        self.languages[lang] += 1
        self.histogram[min(score // 10, 9)] += 1
        agent = str(record["agent"]) if record.get("agent") not in (None, "") else UNKNOWN_AGENT
        self.agents[agent].add(score, level)
        for code in record["codes"]:
            self.agent_codes[agent][code] += 1
            self.rule_replies[(code, lang)] += 1
        for code, count in (hits or {code: 1 for code in record["codes"]}).items():
            self.rule_hits[(code, lang)] += count
        week = iso_week(record.get("date"))
        if week is None:
            self.undated += 1
        else:
            self.weeks[week].add(score, level)
        entry = {"row": record["row"], "id": None if record.get("id") is None else str(record["id"]),
                 "agent": record.get("agent"), "language": lang, "score": score, "level": level,
                 "codes": list(record["codes"])}
        item = (-score, -record["row"], entry)
        if len(self._lowest) < LOWEST_KEPT:
            heapq.heappush(self._lowest, item)
        elif item > self._lowest[0]:
            heapq.heapreplace(self._lowest, item)

    def summary(self) -> Summary:
        agents = [
            AgentRow(agent=name, replies=tally.replies, mean_score=tally.mean(), levels=tally.level_counts(),
                     top_codes=self.agent_codes[name].most_common(TOP_CODES))
            for name, tally in sorted(self.agents.items(), key=lambda item: (-item[1].replies, item[0]))
        ]
        rules = sorted(
            (RuleRow(code=code, language=lang, hits=self.rule_hits[(code, lang)], replies=count,
                     share=round(count / self.languages[lang], 4))
             for (code, lang), count in self.rule_replies.items()),
            key=lambda r: (r.language, -r.replies, r.code),
        )
        weeks = [WeekRow(week=week, replies=t.replies, mean_score=t.mean(), levels=t.level_counts())
                 for week, t in sorted(self.weeks.items())]
        lowest = [LowRow(**entry) for _, _, entry in sorted(self._lowest, key=lambda i: (-i[0], -i[1]))]
        return Summary(rows=self.rows, statuses=dict(self.statuses), graded=self.all.replies,
                       mean_score=self.all.mean(), languages=dict(self.languages), levels=self.all.level_counts(),
                       score_histogram=self.histogram, agents=agents, rules=rules, weeks=weeks,
                       undated=self.undated, lowest=lowest)
