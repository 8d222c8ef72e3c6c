"""Response shapes of the HTTP service, for validation and the OpenAPI schema.

The request and response of the pre-send check itself live in `hook`; these
are the operational answers, the error bodies and LanguageTool's match
format as its clients expect it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ErrorMessage(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    ready: bool
    detail: str


class LTLanguage(BaseModel):
    name: str
    code: str
    longCode: str


class LTReplacement(BaseModel):
    value: str


class LTContext(BaseModel):
    text: str
    offset: int = Field(ge=0)
    length: int = Field(ge=0)


class LTCategory(BaseModel):
    id: str
    name: str


class LTRule(BaseModel):
    id: str
    description: str
    issueType: str
    category: LTCategory
    subId: str | None = None


class LTMatch(BaseModel):
    message: str
    shortMessage: str
    replacements: list[LTReplacement]
    offset: int = Field(ge=0)
    length: int = Field(ge=0)
    context: LTContext
    sentence: str
    type: dict[str, str]
    rule: LTRule
    ignoreForIncompleteSentence: bool
    contextForSureMatch: int


class LTResponse(BaseModel):
    software: dict[str, Any]
    warnings: dict[str, Any]
    language: dict[str, Any]
    matches: list[LTMatch]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorMessage, "description": "Request body over server.max_body_bytes."},
    503: {"model": ErrorMessage, "description": "The service is misconfigured (a malformed rule pack)."},
    504: {"model": ErrorMessage, "description": "The check took longer than server.timeout_seconds."},
}
