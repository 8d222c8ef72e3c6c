"""Helpdesk presets for `replylint batch`: the field names of each helpdesk's message-by-message
export.

None of the four helpdesks has a CSV export with one row per message (their CSV exports list
tickets or conversations, without the replies), so a team that wants every reply graded dumps
the messages through the helpdesk's API: one API object per line of JSONL (or the same objects
flattened to CSV with dotted headers such as `via.channel`, which `lookup` reads as exact column
names). Each preset therefore follows one documented API object, the per-message one, and names
its fields as the documentation does. `is_agent_reply` reads, from a row alone, whether the
message is the customer's (skipped, and kept as context for the reply that follows it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .columns import Columns, Preset, lookup

ZENDESK = Preset(
    name="zendesk",
    title="Zendesk",
    source="The Ticket Comments API comment object (GET /api/v2/tickets/{ticket_id}/comments), one per line: "
    "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/",
    columns=Columns(
        text=("html_body", "plain_body", "body"),
        customer=(),  # a comment carries only itself; the requester's comment is an earlier row
        agent=("author_id",),  # the comment names its author by id only
        lang=(),
        channel=("via.channel",),
        id=("id",),
        date=("created_at",),
        ticket=("ticket_id",),  # not in the comment object: the name Zendesk uses elsewhere (audits, events)
        html=("html_body",),
    ),
)

FRESHDESK = Preset(
    name="freshdesk",
    title="Freshdesk",
    source="The conversation object of List All Conversations of a Ticket "
    "(GET /api/v2/tickets/[id]/conversations), one per line: https://developers.freshdesk.com/api/#list_all_ticket_notes",
    columns=Columns(
        text=("body", "body_text"),
        customer=(),
        agent=("user_id",),  # the agent (or contact) who added the conversation, by id
        lang=(),
        channel=(),  # `source` is a numeric conversation type (0 reply, 2 note, 7 Facebook…), not a channel name
        id=("id",),
        date=("created_at",),
        ticket=("ticket_id",),
        html=("body",),
    ),
)

HELPSCOUT = Preset(
    name="helpscout",
    title="Help Scout",
    source="The Mailbox API 2.0 thread object of List Threads (GET /v2/conversations/{id}/threads, "
    "_embedded.threads), one per line: https://developer.helpscout.com/mailbox-api/endpoints/conversations/threads/list/",
    columns=Columns(
        text=("body",),
        # A thread's `customer` is the customer's Person object, not a message: never read it as one.
        customer=(),
        # camelCase as the API writes it; snake_case as the Stitch/Singer tap-helpscout writes it.
        agent=("createdBy.email", "createdBy.id", "created_by.email", "created_by.id"),
        lang=(),
        channel=("source.type",),
        id=("id",),
        date=("createdAt", "created_at"),
        ticket=("conversation_id", "conversationId"),  # not in the thread object: added by the dump (the tap adds conversation_id)
        html=("body",),
    ),
)

GORGIAS = Preset(
    name="gorgias",
    title="Gorgias",
    source="The TicketMessage object (GET /api/tickets/{ticket_id}/messages or GET /api/messages), one per line: "
    "https://developers.gorgias.com/reference/the-ticketmessage-object",
    columns=Columns(
        text=("body_html", "body_text", "stripped_html", "stripped_text"),
        customer=(),
        agent=("sender.name", "sender.email", "sender.id"),
        lang=(),
        channel=("channel",),
        id=("id",),
        date=("sent_datetime", "created_datetime"),
        ticket=("ticket_id",),
        html=("body_html", "stripped_html"),
    ),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in (ZENDESK, FRESHDESK, HELPSCOUT, GORGIAS)}


def _flag(value: Any) -> bool | None:
    """A boolean field as JSON writes it, or as a CSV flattened from JSON does ("true", "False", "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
            value.strip().lower())
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, Mapping | list):
        return None
    text = str(value).strip()
    return text.lower() if text else None


def _zendesk(row: Mapping[str, Any]) -> bool | None:
    # The comment itself only names its author by id. A dump that embeds the author (Users API
    # `role`: end-user / agent / admin) or the ticket's requester_id says more; an internal note
    # (`public` false) can only be written by an agent.
    role = _text(lookup(row, "author.role"))
    if role == "end-user":
        return False
    if role in ("agent", "admin"):
        return True
    author = _text(lookup(row, "author_id"))
    requester = _text(lookup(row, "requester_id")) or _text(lookup(row, "ticket.requester_id"))
    if author is not None and author == requester:
        return False
    if _flag(lookup(row, "public")) is False:
        return True
    return None


def _freshdesk(row: Mapping[str, Any]) -> bool | None:
    # `incoming`: the conversation came from outside (the customer's email or reply); agents'
    # replies and notes are not incoming.
    incoming = _flag(lookup(row, "incoming"))
    if incoming is not None:
        return not incoming
    if _flag(lookup(row, "private")) is True:  # private notes are agents' only
        return True
    return None


_HELPSCOUT_TYPES = {"customer": False, "reply": True, "message": True, "note": True}
_HELPSCOUT_PEOPLE = {"customer": False, "user": True, "system_user": True}


def _helpscout(row: Mapping[str, Any]) -> bool | None:
    # Thread `type` first (customer / reply / message / note); for chat and phone threads, who
    # created it (`createdBy.type`: customer or user), then `source.via` (customer or user).
    kind = _text(lookup(row, "type"))
    if kind in _HELPSCOUT_TYPES:
        return _HELPSCOUT_TYPES[kind]
    for name in ("createdBy.type", "created_by.type", "source.via"):
        who = _text(lookup(row, name))
        if who in _HELPSCOUT_PEOPLE:
            return _HELPSCOUT_PEOPLE[who]
    return None


def _gorgias(row: Mapping[str, Any]) -> bool | None:
    # `from_agent`: whether the message was sent by the company (agents, rules) or by the customer.
    return _flag(lookup(row, "from_agent"))


_AGENT_REPLY: dict[str, Callable[[Mapping[str, Any]], bool | None]] = {
    "zendesk": _zendesk,
    "freshdesk": _freshdesk,
    "helpscout": _helpscout,
    "gorgias": _gorgias,
}


def is_agent_reply(preset: str, row: Mapping[str, Any]) -> bool | None:
    """True/False when the row's own fields say whether an agent wrote it (Gorgias `from_agent`,
    Help Scout thread `type` / `createdBy.type`, Freshdesk `incoming`, a Zendesk internal note or
    an embedded author role), None when they do not say. Internal notes count as agent-written.
    Raises ValueError for a name that is not a preset."""
    try:
        decide = _AGENT_REPLY[preset]
    except KeyError:
        raise ValueError(f"unknown preset {preset!r}: use one of {', '.join(PRESETS)}") from None
    return decide(row)


def is_internal_note(preset: str, row: Mapping[str, Any]) -> bool:
    """Whether the row is an agents-only note (Zendesk `public` false, Freshdesk `private`, a Help
    Scout `note` thread, a Gorgias `internal-note` or non-public message): never sent to the
    customer, so not a reply to grade."""
    if preset == "zendesk":
        return _flag(lookup(row, "public")) is False
    if preset == "freshdesk":
        return _flag(lookup(row, "private")) is True
    if preset == "helpscout":
        return _text(lookup(row, "type")) == "note"
    if preset == "gorgias":
        return _text(lookup(row, "channel")) == "internal-note" or _flag(lookup(row, "public")) is False
    raise ValueError(f"unknown preset {preset!r}: use one of {', '.join(PRESETS)}")


def author(preset: str, row: Mapping[str, Any]) -> str | None:
    """"customer", "note" (an agents-only note), "agent", or None when the row does not say."""
    if is_internal_note(preset, row):
        return "note"
    said = is_agent_reply(preset, row)
    return None if said is None else "agent" if said else "customer"
