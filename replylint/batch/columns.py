"""Which field of an export row holds what: the reply, the customer's message, the agent, the
language, the channel, the id, the date.

An export is a CSV, a JSONL or a Parquet file whose rows each carry one agent reply. Each role is
a list of candidate field names tried in order, so one mapping can cover the variants a helpdesk
writes (a CSV column "Body", a JSON "body" or a nested "comment.html_body"). A preset is such a
mapping for one helpdesk's export; flags given on the command line replace the preset's candidates
for their role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ROLES = ("text", "customer", "agent", "lang", "channel", "id", "date", "ticket")


class Columns(BaseModel):
    """Candidate fields per role; `html` lists the reply fields whose value is HTML (a reply taken
    from one of them is converted to text before it is checked). `html_all` treats every reply as
    HTML (the `--html` flag)."""

    model_config = ConfigDict(frozen=True)

    text: tuple[str, ...] = ("text", "reply", "body", "message")
    customer: tuple[str, ...] = ("customer", "customer_message")
    agent: tuple[str, ...] = ("agent", "agent_name", "author")
    lang: tuple[str, ...] = ("lang", "language")
    channel: tuple[str, ...] = ("channel",)
    id: tuple[str, ...] = ("id", "ticket_id")
    date: tuple[str, ...] = ("date", "created_at")
    # The conversation a message belongs to, in a message-by-message export: a customer's message
    # becomes the context of the agent reply that follows it in the same ticket.
    ticket: tuple[str, ...] = ()
    html: tuple[str, ...] = ()
    html_all: bool = False

    def with_flags(self, flags: Mapping[str, str | None], *, html_all: bool = False) -> Columns:
        """This mapping with the roles named on the command line replaced (a flag names one field)."""
        update: dict[str, Any] = {role: (name,) for role, name in flags.items() if name}
        if html_all:
            update["html_all"] = True
        return self.model_copy(update=update)


class Preset(BaseModel):
    """A helpdesk's export shape: its columns, and where the shape comes from (shown by
    `replylint batch --preset list` and in README)."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    columns: Columns
    source: str = Field(description="Which export of the helpdesk this shape follows.")


def lookup(row: Mapping[str, Any], name: str) -> Any:
    """The value of field `name` in a row: the column of that exact name (CSV headers may contain
    dots), else the dotted path through nested objects (JSONL, Parquet structs); None if absent."""
    if name in row:
        return row[name]
    value: Any = row
    for part in name.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def pick(row: Mapping[str, Any], candidates: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first candidate field present with a non-empty value, and that value."""
    for name in candidates:
        value = lookup(row, name)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return name, value
    return None, None


def present(header: tuple[str, ...] | None, row: Mapping[str, Any], candidates: tuple[str, ...]) -> bool:
    """Whether any candidate field exists in the file (by header for CSV, by the row otherwise)."""
    if header is not None:
        return any(name in header for name in candidates)
    return any(lookup(row, name) is not None for name in candidates)
