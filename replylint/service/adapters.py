"""Helpdesk payloads → a `/v1/check` request.

Each helpdesk sends (or lets a trigger/webhook send) the draft in its own
documented shape. An adapter picks the reply body, its format, the
customer's message when the payload carries it, the channel and the brand,
and returns a `CheckRequest`. `POST /v1/hooks/{helpdesk}` runs an adapter
and then the normal check, so a webhook can point straight at the service.

Shapes accepted (the public API documentation of each helpdesk):

* **zendesk** — the Tickets API update body, which is also what a ZAF app or
  a trigger/webhook JSON body built from placeholders sends:
  `{"ticket": {"id", "brand_id", "via": {"channel"}, "description",
  "comment": {"html_body" | "body", "public"}}}`.
* **freshdesk** — the reply API body `{"body": "<html>", "from_email", …}`
  or an automation webhook `{"freshdesk_webhook": {"ticket_latest_public_comment",
  "ticket_description", "ticket_source", …}}`.
* **helpscout** — the Mailbox API 2.0 reply body `{"text": "<html>",
  "customer": {"id"}, "draft": true, …}` or a `convo.*` webhook conversation
  `{"mailboxId", "type", "_embedded": {"threads": [{"type": "reply" |
  "customer", "state", "body"}]}}` (newest thread first, as Help Scout sends them).
* **gorgias** — the create-message body `{"channel", "via", "from_agent",
  "body_html" | "body_text", …}` or an HTTP-integration payload
  `{"message": {…}, "ticket": {"channel", "messages": [...]}}`.

Every shape may carry a `"replylint"` object with `lang`, `channel`,
`brand`, `accept` to override what the adapter derived.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from ..text.channels import helpdesk_channel as _channel
from .hook import CheckRequest


class AdapterError(ValueError):
    """The payload is not one of the shapes this adapter knows; the message says what was expected."""


def _obj(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _finish(helpdesk: str, fields: dict[str, Any], payload: Mapping[str, Any]) -> CheckRequest:
    if not isinstance(fields.get("reply"), str) or not fields["reply"].strip():
        raise AdapterError(f"{helpdesk}: the payload has no draft reply body ({_EXPECTED[helpdesk]})")
    overrides = _obj(payload, "replylint")
    for key in ("lang", "channel", "brand", "accept", "agent_id"):
        if key in overrides:
            fields[key] = overrides[key]
    if isinstance(fields.get("brand"), int) and not isinstance(fields.get("brand"), bool):
        fields["brand"] = str(fields["brand"])
    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        return CheckRequest.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}" for e in exc.errors()
        )
        raise AdapterError(f"{helpdesk}: {problems}") from None


def _html_or_text(html: object, text: object) -> tuple[str | None, str]:
    if _str(html):
        return html, "html"  # type: ignore[return-value]
    return (_str(text), "text")


def zendesk(payload: Mapping[str, Any]) -> CheckRequest:
    ticket = _obj(payload, "ticket") or payload
    comment = _obj(ticket, "comment")
    reply, fmt = _html_or_text(comment.get("html_body"), comment.get("body"))
    brand = ticket.get("brand_id", ticket.get("brand"))
    return _finish("zendesk", {
        "reply": reply,
        "format": fmt,
        "customer": _str(ticket.get("description")),
        "channel": _channel(_obj(ticket, "via").get("channel")),
        "brand": brand if isinstance(brand, (str, int)) and not isinstance(brand, bool) else None,
        "agent_id": _scalar(comment.get("author_id")),
    }, payload)


def freshdesk(payload: Mapping[str, Any]) -> CheckRequest:
    hook = _obj(payload, "freshdesk_webhook")
    if hook:
        return _finish("freshdesk", {
            "reply": _str(hook.get("ticket_latest_public_comment")),
            "format": "html",
            "customer": _str(hook.get("ticket_description")),
            "channel": _channel(hook.get("ticket_source")),
            "brand": _scalar(hook.get("ticket_product")),
        }, payload)
    return _finish("freshdesk", {
        "reply": _str(payload.get("body")),
        "format": "html",
        "agent_id": _scalar(payload.get("user_id")),
    }, payload)


def helpscout(payload: Mapping[str, Any]) -> CheckRequest:
    threads = _obj(payload, "_embedded").get("threads")
    if isinstance(threads, list):
        threads = [t for t in threads if isinstance(t, Mapping)]
        replies = [t for t in threads if t.get("type") == "reply" and _str(t.get("body"))]
        draft = next((t for t in replies if t.get("state") == "draft"), replies[0] if replies else {})
        customer = next((t for t in threads if t.get("type") == "customer" and _str(t.get("body"))), {})
        return _finish("helpscout", {
            "reply": _str(draft.get("body")),
            "format": "html",
            "customer": _str(customer.get("body")),
            "channel": _channel(payload.get("type")),
            "brand": _scalar(payload.get("mailboxId")),
            "agent_id": _scalar(_obj(draft, "createdBy").get("id")),
        }, payload)
    return _finish("helpscout", {
        "reply": _str(payload.get("text")),
        "format": "html",
        "agent_id": _scalar(payload.get("user")),
    }, payload)


def gorgias(payload: Mapping[str, Any]) -> CheckRequest:
    message = _obj(payload, "message") or payload
    ticket = _obj(payload, "ticket")
    reply, fmt = _html_or_text(message.get("body_html"), message.get("body_text"))
    customer = None
    messages = ticket.get("messages")
    if isinstance(messages, list):
        from_customer = [m for m in messages if isinstance(m, Mapping) and m.get("from_agent") is False]
        if from_customer:
            last = from_customer[-1]
            customer = _str(last.get("body_html") if fmt == "html" else last.get("body_text")) or _str(
                last.get("body_text")
            )
    return _finish("gorgias", {
        "reply": reply,
        "format": fmt,
        "customer": customer,
        "channel": _channel(message.get("channel", ticket.get("channel"))),
        "agent_id": _scalar(_obj(message, "sender").get("id")),
    }, payload)


def _scalar(value: object) -> str | int | None:
    if isinstance(value, bool):
        return None
    return value if isinstance(value, (str, int)) else None


ADAPTERS: dict[str, Callable[[Mapping[str, Any]], CheckRequest]] = {
    "zendesk": zendesk,
    "freshdesk": freshdesk,
    "helpscout": helpscout,
    "gorgias": gorgias,
}

_EXPECTED = {
    "zendesk": "expected ticket.comment.html_body or ticket.comment.body",
    "freshdesk": "expected body, or freshdesk_webhook.ticket_latest_public_comment",
    "helpscout": "expected text, or a _embedded.threads entry of type 'reply' with a body",
    "gorgias": "expected body_html or body_text, or message.body_html / message.body_text",
}


def adapt(helpdesk: str, payload: object) -> CheckRequest:
    """The `/v1/check` request for a helpdesk payload; `AdapterError` when the shape is not recognised."""
    adapter = ADAPTERS.get(helpdesk)
    if adapter is None:
        raise AdapterError(f"unknown helpdesk {helpdesk!r}: use one of {', '.join(ADAPTERS)}")
    if not isinstance(payload, Mapping):
        raise AdapterError(f"{helpdesk}: the payload must be a JSON object")
    return adapter(payload)
