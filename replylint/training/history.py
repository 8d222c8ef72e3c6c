"""Every training attempt, kept in SQLite so a team lead sees progress across weeks.

SQLite from the standard library: one file, shared by a team with `--db`,
safe for a few agents writing at once (each attempt is one short
transaction; a busy file is waited for). Stored is the grade, never the
answer's text: answers are practice, but agents paste real cases into them.

The file says it is replylint's (`meta.app`), so a path that points at
another program's database, or at a file that is not SQLite at all, is an
error with one line — replylint never writes into such a file, and never
drops or rewrites a table, so earlier attempts are never lost.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TrainingStoreError
from ..models import Level
from .grading import Grade

APP = "replylint-training"
SCHEMA = 1
DB_ENV = "REPLYLINT_TRAINING_DB"
LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}  # unacceptable 0 … stellar 4

_CREATE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    kind TEXT NOT NULL,              -- 'scenario' or 'drill'
    scenario TEXT NOT NULL,          -- scenario id, or the drill's rule code
    lang TEXT NOT NULL,
    answered_at TEXT NOT NULL,       -- UTC, ISO 8601
    seconds REAL,
    score INTEGER NOT NULL,
    level TEXT NOT NULL,
    codes TEXT NOT NULL,             -- JSON list of finding codes
    facts_missed TEXT NOT NULL,      -- JSON list of fact ids
    steps_missed TEXT NOT NULL       -- JSON list of LATTE steps
);
CREATE INDEX IF NOT EXISTS attempts_agent ON attempts (agent, answered_at);
"""


def default_path() -> Path:
    """`$REPLYLINT_TRAINING_DB`, else training.sqlite3 in the user's data directory."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("replylint", appauthor=False)) / "training.sqlite3"


@dataclass(frozen=True)
class Attempt:
    agent: str
    kind: str
    scenario: str
    lang: str
    answered_at: str
    seconds: float | None
    score: int
    level: Level
    codes: list[str]
    facts_missed: list[str]
    steps_missed: list[str]


@dataclass
class AgentHistory:
    """What `train history` shows for one agent."""

    agent: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def scenarios(self) -> dict[str, list[Attempt]]:
        """Scenario id → its attempts, oldest first (drills left out)."""
        out: dict[str, list[Attempt]] = {}
        for attempt in self.attempts:
            if attempt.kind == "scenario":
                out.setdefault(attempt.scenario, []).append(attempt)
        return out

    def top_codes(self, n: int = 5) -> list[tuple[str, int]]:
        return Counter(code for a in self.attempts for code in a.codes).most_common(n)

    def to_json(self) -> dict[str, object]:
        return {
            "agent": self.agent,
            "attempts": len(self.attempts),
            "scenarios": {
                sid: [{"answered_at": a.answered_at, "score": a.score, "level": a.level.value} for a in tries]
                for sid, tries in self.scenarios.items()
            },
            "top_codes": [{"code": c, "count": n} for c, n in self.top_codes()],
            "trend": [{"answered_at": a.answered_at, "kind": a.kind, "scenario": a.scenario, "score": a.score}
                      for a in self.attempts],
        }


class Store:
    """The history file. Opened per command; every write is its own transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        if not create and not self.path.exists():
            raise TrainingStoreError(f"{self.path}: no training history yet (it is created by the first attempt)")
        if self.path.is_dir():
            raise TrainingStoreError(f"{self.path}: is a folder; --db needs a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise TrainingStoreError(f"{self.path}: cannot open the training history ({_why(exc)})") from None
        try:
            self._claim(connection, create=create)
            yield connection
        except sqlite3.DatabaseError as exc:
            raise TrainingStoreError(f"{self.path}: cannot use the training history ({_why(exc)})") from None
        finally:
            connection.close()

    def check(self) -> None:
        """Refuse now what `add` would refuse later, writing nothing (the file is not even created).

        An interactive session calls this before it shows the first scenario, so that a file that
        is not SQLite, another program's database or an unwritable place stops the session at
        once, with one line, instead of after the trainee has typed an answer."""
        if self.path.is_dir():
            raise TrainingStoreError(f"{self.path}: is a folder; --db needs a file")
        if not self.path.exists():
            folder = next((p for p in self.path.parents if p.exists()), None)
            if folder is None or not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                raise TrainingStoreError(f"{self.path}: cannot be created (no writable folder)")
            return
        if not os.access(self.path, os.R_OK | os.W_OK):
            raise TrainingStoreError(f"{self.path}: cannot be written (permission denied)")
        try:
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise TrainingStoreError(f"{self.path}: cannot open the training history ({_why(exc)})") from None
        try:
            self._inspect(connection)
        except sqlite3.DatabaseError as exc:
            raise TrainingStoreError(f"{self.path}: cannot use the training history ({_why(exc)})") from None
        finally:
            connection.close()

    def _claim(self, connection: sqlite3.Connection, *, create: bool) -> None:
        """Make sure the file is replylint's (creating the tables in an empty file), or refuse it."""
        if self._inspect(connection):
            if not create:
                raise TrainingStoreError(f"{self.path}: no training history yet (it is created by the first attempt)")
            with connection:
                connection.executescript(_CREATE)
                connection.executemany("INSERT INTO meta VALUES (?, ?)", [("app", APP), ("schema", str(SCHEMA))])

    def _inspect(self, connection: sqlite3.Connection) -> bool:
        """True for an empty database (no tables yet); refuse a file that is not SQLite, another
        program's database and a newer schema. Reads only."""
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            raise TrainingStoreError(
                f"{self.path}: not a SQLite database; replylint will not touch it (pass another --db)"
            ) from None
        if not tables:
            return True
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        if meta.get("app") != APP or "attempts" not in tables:
            raise TrainingStoreError(
                f"{self.path}: a SQLite database of another program; replylint will not write into it (pass another --db)"
            )
        if int(meta.get("schema", "0")) > SCHEMA:
            raise TrainingStoreError(f"{self.path}: written by a newer replylint (schema {meta['schema']}); upgrade")
        return False

    def add(self, grade: Grade, *, kind: str = "scenario") -> None:
        row = (
            grade.agent, kind, grade.scenario, grade.lang, grade.answered_at, grade.seconds, grade.score,
            grade.level.value, json.dumps([f.code for f in grade.findings]), json.dumps(grade.facts_missed),
            json.dumps([s.step for s in grade.steps if s.required and not s.present]),
        )
        with self._connect(create=True) as connection, connection:
            connection.execute(
                "INSERT INTO attempts (agent, kind, scenario, lang, answered_at, seconds, score, level, codes,"
                " facts_missed, steps_missed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row,
            )

    def attempts(self, agent: str | None = None) -> list[Attempt]:
        query = ("SELECT agent, kind, scenario, lang, answered_at, seconds, score, level, codes, facts_missed,"
                 " steps_missed FROM attempts")
        args: tuple[str, ...] = ()
        if agent is not None:
            query, args = query + " WHERE agent = ?", (agent,)
        with self._connect(create=False) as connection:
            rows = connection.execute(query + " ORDER BY answered_at, id", args).fetchall()
        try:
            return [
                Attempt(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), Level(r[7]), json.loads(r[8]),
                        json.loads(r[9]), json.loads(r[10]))
                for r in rows
            ]
        except (ValueError, TypeError) as exc:
            raise TrainingStoreError(f"{self.path}: a stored attempt is damaged ({_why(exc)})") from None

    def by_agent(self, agent: str | None = None) -> list[AgentHistory]:
        grouped: dict[str, AgentHistory] = {}
        for attempt in self.attempts(agent):
            grouped.setdefault(attempt.agent, AgentHistory(attempt.agent)).attempts.append(attempt)
        return sorted(grouped.values(), key=lambda h: h.agent.lower())


def _why(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
