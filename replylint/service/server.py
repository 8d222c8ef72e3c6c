"""`replylint serve`: the HTTP pre-send hook (FastAPI on uvicorn).

A helpdesk calls `POST /v1/check` before a reply goes out and gets a
decision (allow | warn | block) with the findings. `POST /v2/check` and
`GET /v2/languages` speak LanguageTool's API so any LanguageTool client can
show the findings inline. `/healthz`, `/readyz` (ready once pipelines and
packs are loaded), `/metrics` (Prometheus), `/openapi.json`, `/docs`.

`check()` is CPU-bound and synchronous: it runs in a worker thread with a
per-request time limit, so the event loop keeps answering. Privacy: no
reply or customer text is logged at any level; uvicorn's access log is
kept, with the query string cut off.

Needs the `server` extra: `pip install 'replylint[server]'`.
"""

from __future__ import annotations

try:
    import anyio
    import anyio.to_thread
    from fastapi import Depends, FastAPI, Form, Path, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
except ImportError as _missing:  # pragma: no cover - exercised by the CLI test through a subprocess
    raise ImportError(
        f"replylint serve needs the 'server' extra ({_missing.name} is missing): pip install 'replylint[server]'"
    ) from None

import asyncio
import hmac
import json
import logging
import os
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from .. import __version__
from .. import load as load_engine
from .adapters import ADAPTERS, AdapterError, adapt
from ..config import Config, find_config_file, load_config, merge
from ..errors import InputError, ReplylintError
from .hook import BatchItem, BatchRequest, BatchResponse, CheckRequest, CheckResponse, run_check
from .ltcompat import LANGUAGES, LTRequestError, empty_response, parse_language, source_from, to_response

log = logging.getLogger("replylint.service.server")

CONFIG_ENV = "REPLYLINT_CONFIG"
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)


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


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorMessage, "description": "Request body over server.max_body_bytes."},
    503: {"model": ErrorMessage, "description": "The service is misconfigured (a malformed rule pack)."},
    504: {"model": ErrorMessage, "description": "The check took longer than server.timeout_seconds."},
}


# -- plain ASGI middleware: errors, body limit, metrics --------------------------


class _TooLarge(StarletteHTTPException):
    """Raised while reading a body that outgrows the limit; an HTTPException so FastAPI passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit:,} bytes (server.max_body_bytes)")


class _Guard:
    """Outermost layer: body size limit (413), metrics, and a last-resort 500 that never echoes text."""

    def __init__(self, app: Any, *, max_body: int, metrics: _Metrics) -> None:
        self.app, self.max_body, self.metrics = app, max_body, metrics

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
            await send(message)

        declared = _content_length(scope)
        try:
            if declared is not None and declared > self.max_body:
                await _send_json(send_wrapper, 413, {"detail": self._too_large()})
            else:
                received = 0

                async def limited_receive() -> dict:
                    nonlocal received
                    message = await receive()
                    if message["type"] == "http.request":
                        received += len(message.get("body", b""))
                        if received > self.max_body:
                            raise _TooLarge(self.max_body)
                    return message

                await self.app(scope, limited_receive, send_wrapper)
        except StarletteHTTPException as exc:  # _TooLarge raised outside a route
            if not status["sent"]:
                await _send_json(send_wrapper, exc.status_code, {"detail": exc.detail})
        except Exception as exc:  # a bug: say which, never what the request contained
            log.error("internal error while handling %s %s: %s", scope.get("method"), _route(scope), type(exc).__name__)
            if not status["sent"]:
                await _send_json(send_wrapper, 500, {"detail": "internal error (see the server log)"})
        finally:
            self.metrics.observe(scope, status["code"], time.perf_counter() - started)

    def _too_large(self) -> str:
        return f"request body over {self.max_body:,} bytes (server.max_body_bytes)"


def _content_length(scope: dict) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_json(send: Callable, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _route(scope: dict) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class _Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "replylint_http_requests", "HTTP requests by route, method and status.",
            ["route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "replylint_http_request_duration_seconds", "HTTP request latency by route.",
            ["route"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.decisions = Counter(
            "replylint_decisions", "Pre-send decisions.", ["decision"], registry=self.registry,
        )
        self.check_latency = Histogram(
            "replylint_check_duration_seconds", "Time spent in check() per reply.",
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.ready = Gauge("replylint_ready", "1 once pipelines and packs are loaded.", registry=self.registry)

    def observe(self, scope: dict, status: int, seconds: float) -> None:
        route = _route(scope)
        self.requests.labels(route=route, method=scope.get("method", ""), status=str(status)).inc()
        self.latency.labels(route=route).observe(seconds)


# -- the access log without query strings -----------------------------------------------


class _NoQueryString(logging.Filter):
    """uvicorn's access log line carries the full path; cut the query (a client might put text there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def _quiet_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryString) for f in access.filters):
        access.addFilter(_NoQueryString())


# -- the app ---------------------------------------------------------------------------


def _token(config: Config) -> str | None:
    if config.server.token is not None:
        value = config.server.token.get_secret_value()
    else:
        value = os.environ.get(config.server.token_env, "")
    return value or None


def create_app(config: Config | None = None, *, warm_up: bool = True) -> FastAPI:
    """The ASGI app for `config` (defaults when None). `warm_up=False` skips loading at start-up."""
    config = config or Config()
    settings = config.server
    token = _token(config)
    metrics = _Metrics()
    state: dict[str, Any] = {"ready": False, "error": None, "loaded": None}
    bearer = HTTPBearer(auto_error=False, description="Set server.token or REPLYLINT_TOKEN to require it.")
    _quiet_access_log()

    async def load(loaded: asyncio.Event) -> None:
        started = time.perf_counter()
        try:
            await anyio.to_thread.run_sync(load_engine, config)
        except ReplylintError as exc:  # a pack or config problem: the message names the file, never a reply
            state["error"] = str(exc)
            log.error("loading failed: %s", exc)
            return
        finally:
            loaded.set()
        state["ready"] = True
        metrics.ready.set(1)
        log.info("ready: pipelines and rule packs loaded in %.1f s", time.perf_counter() - started)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        state["loaded"] = asyncio.Event()
        task = asyncio.create_task(load(state["loaded"])) if warm_up else None
        if not warm_up:
            state["ready"] = True
            metrics.ready.set(1)
            state["loaded"].set()
        try:
            yield
        finally:
            if task is not None and not task.done():
                task.cancel()

    app = FastAPI(
        title="replylint pre-send hook",
        version=__version__,
        description=(
            "Lint a customer-service draft reply before it is sent and get a decision: "
            "allow, warn (show the findings, the agent may send) or block. "
            "Also speaks LanguageTool's `/v2/check` API."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.metrics = metrics

    async def authorize(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape")):
            raise _HTTPError(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})

    async def run_job(fn: Callable[..., Any], *args: Any, chars: int | None = None) -> Any:
        """Run a check: inline when it is short (`chars` ≤ server.inline_max_chars), else in a
        worker thread under the time limit.

        A check of an ordinary reply takes 1–3 ms of CPU; on the 2-core VM this
        was measured on, handing it to a thread and back cost more than that
        (200 → 630 req/s on one worker for a one-word reply once inline). The
        engine holds the GIL either way, so a thread never ran two checks at
        once. A short check cannot be interrupted, but it is bounded by its
        length; long replies and batches keep the thread and the 504.
        """
        loaded = state["loaded"]
        if loaded is not None and not loaded.is_set():  # a request during start-up waits for loading, untimed
            await loaded.wait()
        if chars is not None and chars <= settings.inline_max_chars:
            return fn(*args)
        try:
            with anyio.fail_after(settings.timeout_seconds):
                return await anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True)
        except TimeoutError:
            raise _HTTPError(504, f"the check took longer than {settings.timeout_seconds:g} s") from None

    def timed_check(request: CheckRequest) -> CheckResponse:
        started = time.perf_counter()
        try:
            return run_check(request, config)
        finally:
            metrics.check_latency.observe(time.perf_counter() - started)

    def check_batch(requests: list[CheckRequest]) -> list[BatchItem]:
        items = []
        for index, request in enumerate(requests):
            try:
                items.append(BatchItem(index=index, status=200, result=timed_check(request)))
            except InputError as exc:
                items.append(BatchItem(index=index, status=422, error=str(exc)))
        return items

    @app.exception_handler(_HTTPError)
    async def _http_error(request: Request, exc: _HTTPError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _starlette_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (not UTF-8, not JSON): a 422 like other bad input
            return JSONResponse({"detail": [{"loc": ["body"], "type": "json_invalid",
                                             "msg": "the body is not valid JSON in UTF-8"}]}, status_code=422)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _clean_errors(exc.errors())}, status_code=422)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(
            {"detail": [{"loc": ["body", "reply"], "msg": str(exc), "type": "value_error"}]}, status_code=422
        )

    @app.exception_handler(ReplylintError)
    async def _server_side(request: Request, exc: ReplylintError) -> JSONResponse:
        # A malformed pack or config: the service is misconfigured, the request is fine.
        log.error("check impossible: %s: %s", type(exc).__name__, exc)
        return JSONResponse({"detail": f"service misconfigured: {exc}"}, status_code=503)

    @app.exception_handler(AdapterError)
    async def _adapter_error(request: Request, exc: AdapterError) -> JSONResponse:
        return JSONResponse({"detail": [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]}, status_code=422)

    # The security scheme is in the OpenAPI schema only when a token is required.
    protected = [Depends(authorize)] if token is not None else []

    @app.post("/v1/check", response_model=CheckResponse, dependencies=protected, responses=_ERRORS, tags=["pre-send"])
    async def check_reply(request: CheckRequest) -> Response:
        """Check one draft reply and decide: allow, warn or block."""
        result: CheckResponse = await run_job(timed_check, request, chars=_size(request))
        metrics.decisions.labels(decision=result.decision).inc()
        # Already a validated CheckResponse: serialise it once, without FastAPI validating it again.
        return Response(result.model_dump_json(), media_type="application/json")

    @app.post("/v1/check/batch", response_model=BatchResponse, dependencies=protected, responses=_ERRORS,
              tags=["pre-send"])
    async def check_many(batch: BatchRequest) -> BatchResponse:
        """Check up to `server.batch_max` replies; a reply that cannot be checked gets status 422 in its item."""
        if len(batch.replies) > settings.batch_max:
            raise RequestValidationError([{
                "loc": ("body", "replies"), "type": "too_long",
                "msg": f"at most {settings.batch_max} replies per batch (server.batch_max), got {len(batch.replies)}",
            }])
        items: list[BatchItem] = await run_job(check_batch, batch.replies)
        for item in items:
            if item.result is not None:
                metrics.decisions.labels(decision=item.result.decision).inc()
        return BatchResponse(results=items)

    @app.post("/v1/hooks/{helpdesk}", response_model=CheckResponse, dependencies=protected, responses=_ERRORS,
              tags=["pre-send"])
    async def check_helpdesk_payload(
        helpdesk: Annotated[Literal["zendesk", "freshdesk", "helpscout", "gorgias"], Path()],
        payload: dict[str, Any],
    ) -> CheckResponse:
        """Check a draft in a helpdesk's own payload shape (see replylint.service.adapters)."""
        request = adapt(helpdesk, payload)
        result: CheckResponse = await run_job(timed_check, request, chars=_size(request))
        metrics.decisions.labels(decision=result.decision).inc()
        return result

    lt_errors = {**_ERRORS, 400: {"content": {"text/plain": {"schema": {"type": "string"}}},
                                  "description": "LanguageTool-style plain-text error."}}

    @app.post("/v2/check", response_model=LTResponse, dependencies=protected, responses=lt_errors,
              tags=["LanguageTool-compatible"])
    async def lt_check(
        text: Annotated[str | None, Form(description="Plain text to check.")] = None,
        data: Annotated[str | None, Form(description="LanguageTool annotated text (JSON).")] = None,
        language: Annotated[str, Form(description="it, it-IT, en, en-US, en-GB … or auto.")] = "auto",
        disabledRules: Annotated[str | None, Form(description="Comma-separated codes not to report.")] = None,
        enabledRules: Annotated[str | None, Form(description="Comma-separated codes to add.")] = None,
        enabledOnly: Annotated[bool, Form(description="Report only enabledRules.")] = False,
    ) -> Response:
        """LanguageTool's check endpoint: replylint findings as LanguageTool matches (UTF-16 offsets)."""
        try:
            lang, code = parse_language(language)
            source = source_from(text, data)
        except LTRequestError as exc:
            return PlainTextResponse(f"Error: {exc}", status_code=400)
        for value in (source.plain, disabledRules, enabledRules):
            if value is not None and _has_surrogates(value):
                return PlainTextResponse("Error: text contains an unpaired UTF-16 surrogate", status_code=400)
        if not source.plain.strip():
            return JSONResponse(empty_response(code))
        lt_config = _lt_config(config, disabledRules, enabledRules, enabledOnly)

        def run() -> dict[str, Any]:
            from .. import check as engine_check

            started = time.perf_counter()
            try:
                report = engine_check(source.plain, lang=lang, config=lt_config)
            finally:
                metrics.check_latency.observe(time.perf_counter() - started)
            return to_response(source, report, code, tuple(config.packs))

        try:
            payload = await run_job(run, chars=len(source.plain))
        except InputError as exc:
            return PlainTextResponse(f"Error: {exc}", status_code=400)
        return JSONResponse(payload)

    @app.get("/v2/languages", response_model=list[LTLanguage], tags=["LanguageTool-compatible"])
    async def lt_languages() -> list[dict[str, str]]:
        """The languages replylint checks, in LanguageTool's format."""
        return LANGUAGES

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        """The process is up (it may still be loading)."""
        return Health(status="ok", version=__version__)

    @app.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, tags=["operations"])
    async def readyz() -> Any:
        """Ready once the pipelines and rule packs are loaded; 503 before."""
        if state["ready"]:
            return Readiness(ready=True, detail="pipelines and rule packs loaded")
        detail = f"loading failed: {state['error']}" if state["error"] else "loading pipelines and rule packs"
        return JSONResponse(Readiness(ready=False, detail=detail).model_dump(), status_code=503)

    @app.get("/metrics", response_class=PlainTextResponse, tags=["operations"],
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
    async def prometheus() -> Response:
        """Prometheus text format: requests, decisions, latency histograms. Never any reply text."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE)

    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(_Guard, max_body=settings.max_body_bytes, metrics=metrics)
    return app


class _HTTPError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


def _size(request: CheckRequest) -> int:
    """What a check's cost grows with: the characters of the reply and of the customer's message."""
    return len(request.reply) + len(request.customer or "")


def _clean_errors(errors: Any) -> list[dict[str, Any]]:
    """FastAPI's 422 details without the `input` echo (which can be a whole reply) and with JSON-safe ctx."""
    cleaned = []
    for error in errors:
        item = {"loc": list(error.get("loc", ())), "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}
        if error.get("ctx"):
            item["ctx"] = {str(k): str(v) for k, v in error["ctx"].items()}
        cleaned.append(item)
    return cleaned


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _lt_config(config: Config, disabled: str | None, enabled: str | None, enabled_only: bool) -> Config:
    """LanguageTool's rule switches as replylint select/ignore; unknown codes are ignored, as LanguageTool does."""
    from ..engine import get_engine

    codes = set(get_engine(config.packs).codes)

    def parse(value: str | None) -> list[str]:
        return [c for c in (p.strip().upper() for p in (value or "").split(",")) if c in codes]

    ignore = [*config.ignore, *parse(disabled)]
    select = config.select
    wanted = parse(enabled)
    if enabled_only:
        select = wanted
    elif wanted and select is not None:
        select = [*select, *wanted]
    if not ignore and select == config.select:
        return config
    return merge(config, ignore=ignore, select=select)


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>replylint pre-send hook — API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}
h2{margin-top:2rem;font-size:1.1rem}.m{font-weight:bold;display:inline-block;width:4rem}</style></head>
<body><h1>replylint pre-send hook</h1>
<p>The machine-readable schema is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3). This page is
self-contained: it renders that schema without loading anything from the internet.</p>
<pre>curl -s localhost:8750/v1/check -H 'content-type: application/json' \\
  -d '{"reply": "Come già detto, non possiamo rimborsare la spedizione."}'</pre>
<div id="ops">Loading /openapi.json…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(spec => {
  const root = document.getElementById('ops'); root.textContent = '';
  for (const [path, item] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(item)) {
    const h = document.createElement('h2');
    const m = document.createElement('span'); m.className = 'm'; m.textContent = method.toUpperCase();
    const c = document.createElement('code'); c.textContent = path; h.append(m, c); root.append(h);
    const p = document.createElement('p'); p.textContent = (op.summary || '') + ' — ' + (op.description || ''); root.append(p);
    const ref = op.requestBody && Object.values(op.requestBody.content)[0].schema;
    if (ref) { const pre = document.createElement('pre'); pre.textContent = 'body: ' + JSON.stringify(ref); root.append(pre); }
  }
});
</script></body></html>
"""


def app_from_env() -> FastAPI:
    """uvicorn factory (`replylint.service.server:app_from_env`): config from $REPLYLINT_CONFIG or discovered."""
    path = os.environ.get(CONFIG_ENV)
    found = FilePath(path) if path else find_config_file()
    return create_app(load_config(found) if found else Config())


def serve(host: str, port: int, workers: int, config_path: FilePath | None, log_level: str = "info") -> None:
    """Run uvicorn with the app factory; SIGTERM/SIGINT let in-flight requests finish."""
    import uvicorn

    if config_path is not None:
        os.environ[CONFIG_ENV] = str(config_path.resolve())
    config = load_config(config_path) if config_path else (
        load_config(found) if (found := find_config_file()) else Config()
    )
    _quiet_access_log()
    uvicorn.run(
        "replylint.service.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        log_level=log_level,
        timeout_graceful_shutdown=int(config.server.timeout_seconds) + 5,
        limit_concurrency=None,
    )


# Re-exported for the tests and the docs.
__all__ = ["ADAPTERS", "create_app", "app_from_env", "serve"]
