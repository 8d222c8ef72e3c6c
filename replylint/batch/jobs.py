"""Rows → jobs: what one check needs, taken from a row through the column mapping.

Runs in the reading process, in input order, so that everything that depends on order (the
customer message a reply answers, in a message-by-message export) is decided once, the same way
for one job, many processes or a Dask cluster. Anything that costs per reply (HTML to text, the
check) is left to the workers: a job carries the field's text as read and says whether it is HTML.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
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
    check (an error, an empty reply, another language, a customer's message). `text_html` and
    `customer_html` say which of the two is HTML, to be converted where the check runs."""

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
    text_html: bool = False
    customer_html: bool = False
    status: str | None = None
    consumed: int = 0

    def plain(self) -> tuple[str | None, str | None]:
        """The reply and the customer's message as text (HTML converted)."""
        return (_as_text(self.text, self.text_html), _as_text(self.customer, self.customer_html))


def _as_text(value: str | None, html: bool) -> str | None:
    return html_to_text(value).text if value is not None and html else value


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
        self.waiting: OrderedDict[str, tuple[str, bool]] = OrderedDict()  # ticket → (message, is HTML)

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
        html = self._is_html(name)
        who = self.agent_rows(fields) if self.agent_rows is not None else None
        if who == "customer":
            if ticket is not None and value:
                self._remember(ticket, (value, html))
            job.agent = None
            job.status = "skipped: customer message"
            return job
        if who == "note":
            job.status = "skipped: internal note"
            return job
        if not value or not value.strip():
            job.status = EMPTY
            return job
        given = pick(fields, c.lang)[1]
        lang, other = _language(given)
        if other:
            job.status = UNSUPPORTED
            job.lang = _scalar(given)
            return job
        job.lang = lang
        job.text, job.text_html = value, html
        customer_name, customer = pick(fields, c.customer)
        if isinstance(customer, str):
            job.customer, job.customer_html = customer, self._is_html(customer_name)
        elif ticket is not None and ticket in self.waiting:
            job.customer, job.customer_html = self.waiting.pop(ticket)
        return job

    def _is_html(self, name: str | None) -> bool:
        return self.columns.html_all or (name is not None and name in self.columns.html)

    def _remember(self, ticket: str, message: tuple[str, bool]) -> None:
        self.waiting[ticket] = message
        self.waiting.move_to_end(ticket)
        while len(self.waiting) > RECENT_TICKETS:
            self.waiting.popitem(last=False)
