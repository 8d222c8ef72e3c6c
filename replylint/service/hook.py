"""The pre-send hook without the web framework: request and response models, one check.

`server.py` is a thin FastAPI layer over `run_check()`; keeping the models
and the logic here means they import without the `server` extra, so the
helpdesk adapters and the tests can use them directly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import check as run_engine_check
from .. import fix as fix_draft
from ..fix import Edit
from ..config import Config
from ..errors import InputError
from ..text.html import Converted, html_to_text
from ..models import LATTE_STEPS, Channel, Finding, Language, Latte, Level, Note, Readability, Span
from ..analysis.policy import Decision, Reason


def _no_lone_surrogates(value: object) -> object:
    """JSON can carry unpaired UTF-16 surrogates ("\\ud800"); they are not text and break encoders."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains an unpaired UTF-16 surrogate; send valid Unicode text") from None
    elif isinstance(value, list):
        for item in value:
            _no_lone_surrogates(item)
    return value


class CheckRequest(BaseModel):
    """One draft reply to check before it is sent."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"reply": "Come già detto, non possiamo rimborsare la spedizione.", "channel": "email"},
                {"reply": "<p>Hi Tom,</p><p>you should have checked the address.</p>", "format": "html",
                 "brand": "acme", "accept": ["NEG120"]},
            ]
        },
    )

    reply: str = Field(description="The draft, as text or HTML (see format).")
    format: Literal["text", "html"] = Field(
        default="text", description="html: converted to text for checking; spans are also mapped back to the HTML."
    )
    customer: str | None = Field(
        default=None, description="The customer's message the reply answers (same format as the reply)."
    )
    lang: Language | None = Field(default=None, description="Force 'it' or 'en'; detected when omitted.")
    channel: Channel | None = Field(default=None, description="email (default), chat, social or sms.")
    brand: str | None = Field(default=None, max_length=200, description="Selects the policy's per-brand override.")
    agent_id: str | int | None = Field(
        default=None, description="Who wrote the draft; not used by the check, never logged."
    )
    fix: bool | Literal["safe", "unsafe"] = Field(
        default=False,
        description=("Also return the draft rewritten by `replylint fix` (`fixed`): true or \"safe\" for safe "
                     "edits, \"unsafe\" for those too. For format=html, the rewrite is of the text."),
    )
    accept: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Codes or prefixes the agent has acknowledged: still reported, not counted by the policy.",
    )

    @field_validator("reply", "customer", "brand", "agent_id", "accept")
    @classmethod
    def _valid_unicode(cls, value: object) -> object:
        return _no_lone_surrogates(value)


class HookFinding(Finding):
    """A finding with its span in the checked text and, for HTML replies, in the HTML."""

    html_span: Span | None = Field(default=None, description="The span in the HTML as sent (format=html).")
    accepted: bool = Field(default=False, description="Matched a code in `accept`: not counted by the policy.")


class FixedDraft(BaseModel):
    """The draft as `replylint fix` rewrites it, the edits in order, and its new score and level."""

    text: str
    edits: list[Edit]
    score: int | None
    level: Level | None


class CheckResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision = Field(description="allow: send; warn: show findings, the agent may send; block: do not send.")
    reasons: list[Reason]
    score: int | None = Field(ge=0, le=100)
    level: Level | None
    language: Language | None
    detected_language: str | None = None
    channel: Channel
    words: int = Field(ge=0)
    findings: list[HookFinding]
    notes: list[Note] = Field(default_factory=list)
    latte: Latte | None
    latte_html_evidence: dict[str, list[Span]] | None = Field(
        default=None, description="LATTE evidence spans mapped to the HTML (format=html)."
    )
    readability: Readability | None
    text: str | None = Field(
        default=None, description="For format=html: the text that was checked (span offsets point into it)."
    )
    fixed: FixedDraft | None = Field(default=None, description="With `fix`: the rewritten draft and its edits.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    replies: list[CheckRequest] = Field(min_length=1, description="Up to server.batch_max replies.")


class BatchItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0)
    status: Literal[200, 422]
    result: CheckResponse | None = None
    error: str | None = None


class BatchResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    results: list[BatchItem]


def _to_text(value: str, fmt: str) -> tuple[str, Converted | None]:
    if fmt == "html":
        converted = html_to_text(value)
        return converted.text, converted
    return value, None


def run_check(request: CheckRequest, config: Config) -> CheckResponse:
    """Check one request and apply the policy. Raises `InputError` for a reply that cannot be checked."""
    if request.format == "html" and len(request.reply) > config.max_chars * 4:
        raise InputError(f"the HTML reply is {len(request.reply):,} characters long; too large to check")
    text, converted = _to_text(request.reply, request.format)
    if converted is not None and request.reply.strip() and not text.strip():
        raise InputError("the HTML reply has no text of its own (only markup, quoted history or a signature)")
    customer = _to_text(request.customer, request.format)[0] if request.customer is not None else None
    report = run_engine_check(text, customer=customer, lang=request.lang, channel=request.channel, config=config)
    decision, reasons = config.policy.decide(report, brand=request.brand, accept=request.accept)
    accepted = tuple(c.strip().upper() for c in request.accept if c.strip())

    def html(span: Span) -> Span | None:
        if converted is None:
            return None
        start, end = converted.html_span(span.start, span.end)
        return Span(start=start, end=end)

    findings = [
        HookFinding(
            **{name: getattr(f, name) for name in Finding.model_fields},
            html_span=html(f.span),
            accepted=bool(accepted) and f.code.startswith(accepted),
        )
        for f in report.findings
    ]
    latte_html = None
    if converted is not None and report.latte is not None:
        latte_html = {
            step: [s for s in (html(span) for span in getattr(report.latte, step).evidence) if s is not None]
            for step in LATTE_STEPS
        }
    return CheckResponse(
        decision=decision,
        reasons=reasons,
        score=report.score,
        level=report.level,
        language=report.language,
        detected_language=report.detected_language,
        channel=report.channel,
        words=report.words,
        findings=findings,
        notes=report.notes,
        latte=report.latte,
        latte_html_evidence=latte_html,
        readability=report.readability,
        text=text if converted is not None else None,
        fixed=_fixed(request, text, customer, config) if request.fix else None,
    )


def _fixed(request: CheckRequest, text: str, customer: str | None, config: Config) -> FixedDraft:
    result = fix_draft(text, customer=customer, lang=request.lang, channel=request.channel, config=config,
                       unsafe=request.fix == "unsafe")
    return FixedDraft(text=result.text, edits=result.edits, score=result.report.score, level=result.report.level)
