"""Rows → jobs: what one check needs, taken from a row through the column mapping.

Runs in the reading process, in input order, so that everything that depends on order (the
customer message a reply answers, in a message-by-message export) is decided once, the same way
for one job, many processes or a Dask cluster.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..text.channels import helpdesk_channel as channel_of
from ..text.html import html_to_text
from .columns import Columns, pick
from .results import EMPTY, UNSUPPORTED, error_status
from .sources import SourceRow

RECENT_TICKETS = 10_000  # customer messages remembered per ticket, for the reply that follows
_LANGS = {"it": "it", "en": "en", "italian": "it", "italiano": "it", "english": "en", "inglese": "en"}


@dataclass
class Job:
    """One row's check, small enough to pickle to a worker. `status` is set when the row needs no
    check (an error, an empty reply, another language, a customer's message)."""

    row: int
    line: int | None
    source: str
    id: str | None = None
    agent: str | None = None
    date: str | None = None
    channel: str | None = None
    lang: str | None = None
    text: str | None = None
    customer: str | None = None
    status: str | None = None
    consumed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _language(value: Any) -> tuple[str | None, bool]:
    """(it/en or None, whether the row names another language)."""
    text = _scalar(value)
    if text is None:
        return None, False
    key = text.lower().replace("_", "-")
    found = _LANGS.get(key) or _LANGS.get(key.split("-")[0])
    return found, found is None


class JobMaker:
    """Turns rows into jobs in input order; remembers, per ticket, the last customer message of a
    message-by-message export, which becomes the `customer` of the agent reply that follows."""

    def __init__(self, columns: Columns, *, source: str, agent_rows: Any = None) -> None:
        self.columns = columns
        self.source = source
        self.agent_rows = agent_rows  # row → "agent", "customer", "note" or None (from the preset)
        self.waiting: OrderedDict[str, str] = OrderedDict()

    def make(self, number: int, row: SourceRow) -> Job:
        job = Job(row=number, line=row.line, source=self.source, consumed=row.consumed)
        if row.error is not None or row.fields is None:
            job.status = error_status(row.error or "unreadable row")
            return job
        fields = row.fields
        c = self.columns
        job.id = _scalar(pick(fields, c.id)[1])
        job.agent = _scalar(pick(fields, c.agent)[1])
        date = pick(fields, c.date)[1]
        job.date = _scalar(date)
        job.channel = channel_of(_scalar(pick(fields, c.channel)[1]))
        ticket = _scalar(pick(fields, c.ticket)[1]) if c.ticket else None
        name, value = pick(fields, c.text)
        if value is not None and not isinstance(value, str):
            if isinstance(value, dict | list):
                job.status = error_status(f"the reply field {name!r} is not text")
                return job
            value = str(value)
        text = self._plain(name, value)
        who = self.agent_rows(fields) if self.agent_rows is not None else None
        if who == "customer":
            if ticket is not None and text:
                self._remember(ticket, text)
            job.agent = None
            job.status = "skipped: customer message"
            return job
        if who == "note":
            job.status = "skipped: internal note"
            return job
        if not text or not text.strip():
            job.status = EMPTY
            return job
        lang, other = _language(pick(fields, c.lang)[1])
        if other:
            job.status = UNSUPPORTED
            job.lang = _scalar(pick(fields, c.lang)[1])
            return job
        job.lang = lang
        job.text = text
        customer_name, customer = pick(fields, c.customer)
        job.customer = self._plain(customer_name, customer) if isinstance(customer, str) else None
        if job.customer is None and ticket is not None:
            job.customer = self.waiting.pop(ticket, None)
        return job

    def _plain(self, name: str | None, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if self.columns.html_all or (name is not None and name in self.columns.html):
            return html_to_text(value).text
        return value

    def _remember(self, ticket: str, text: str) -> None:
        self.waiting[ticket] = text
        self.waiting.move_to_end(ticket)
        while len(self.waiting) > RECENT_TICKETS:
            self.waiting.popitem(last=False)
