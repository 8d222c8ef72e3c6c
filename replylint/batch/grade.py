"""A job → its output row, in whatever process runs it (this one, a worker, a Dask worker).

Nothing a reply contains may stop the run: a reply that cannot be checked becomes an
`error: <reason>` row. Only a broken configuration stops it, because it would fail every row the
same way. Reply text never reaches a log or an error message.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..config import Config
from ..errors import CheckTimeout, ConfigError, InputError, PackError, UnknownRuleError
from .jobs import Job
from .results import EMPTY, blank, error_status, graded

Graded = tuple[dict[str, Any], dict[str, int]]  # the output row, and findings per code (for the summary)


PER_REPLY_SECONDS = 20.0  # far above any real reply (milliseconds); a guard, not a budget


def grade(job: Job, config: Config, *, include_text: bool = False) -> Graded:
    from .. import check
    from ..engine.deadline import time_limit

    record = blank(job.row, job.line, source=job.source, id=job.id, agent=job.agent, date=job.date,
                   channel=job.channel, language=job.lang)
    text, customer = job.plain()
    if include_text:
        record.update(text=text, customer=customer)
    if job.status is not None:
        record["status"] = job.status
        return record, {}
    if text is None or not text.strip():  # an HTML body with no text in it
        record["status"] = EMPTY
        return record, {}
    try:
        with time_limit(PER_REPLY_SECONDS):
            report = check(text, customer=customer, lang=job.lang, channel=job.channel, config=config)
    except (ConfigError, PackError, UnknownRuleError):
        raise
    except CheckTimeout as exc:
        record["status"] = error_status(str(exc))
        return record, {}
    except InputError as exc:
        record["status"] = EMPTY if "empty" in str(exc) else error_status(str(exc))
        return record, {}
    except Exception as exc:  # noqa: BLE001 — a bug must not cost the other rows; its name, never the text
        record["status"] = error_status(f"internal error ({type(exc).__name__})")
        return record, {}
    graded(record, report)
    return record, dict(Counter(f.code for f in report.findings)) if record["status"] == "ok" else {}


def grade_chunk(jobs: list[Job], config: Config, include_text: bool = False) -> list[Graded]:
    """A worker's unit of work (module level, so that processes and Dask can pickle it)."""
    return [grade(job, config, include_text=include_text) for job in jobs]
