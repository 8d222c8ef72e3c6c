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

`create_app` only assembles: the per-process `_Runtime` (loading, the
token, running a check under the limit), the error handlers, three groups
of routes and the middleware, each in a function of its own.

Needs the `server` extra. replylint is not on the package index, so install
it from its source folder (`pip install '.[server]'`) or from its wheel
(`pip install './replylint-<version>-py3-none-any.whl[server]'`).
"""

from __future__ import annotations

from .launch import TLSFiles, install_hint

try:
    import anyio
    import anyio.to_thread
    from fastapi import Depends, FastAPI, Form, Path, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
except ImportError as _missing:  # pragma: no cover - exercised by the CLI test through a subprocess
    raise ImportError(
        f"replylint serve needs the 'server' extra ({_missing.name} is missing): {install_hint()}"
    ) from None

import asyncio
import hmac
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from .. import __version__
from .. import load as load_engine
from ..config import Config, find_config_file, load_config, merge
from ..engine.deadline import time_limit
from ..errors import CheckTimeout, InputError, ReplylintError
from .adapters import ADAPTERS, AdapterError, adapt
from .hook import BatchItem, BatchRequest, BatchResponse, CheckRequest, CheckResponse, run_check
from .ltcompat import (
    LANGUAGES, LTRequestError, empty_response, form_value, parse_language, source_from, to_response,
)
from .middleware import Guard, Metrics, log, quiet_access_log
from .schemas import ERRORS, Health, LTLanguage, LTResponse, Readiness

CONFIG_ENV = "REPLYLINT_CONFIG"
_BEARER = HTTPBearer(auto_error=False, description="Set server.token or REPLYLINT_TOKEN to require it.")


def _token(config: Config) -> str | None:
    if config.server.token is not None:
        value = config.server.token.get_secret_value()
    else:
        value = os.environ.get(config.server.token_env, "")
    return value or None


class _Runtime:
    """What one app holds for its lifetime: loading state, the token, metrics, and how a check runs."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.settings = config.server
        self.token = _token(config)
        self.metrics = Metrics()
        self.ready = False
        self.error: str | None = None
        self.loaded: asyncio.Event | None = None
        # Checks running in worker threads, abandoned ones (after a 504) included until they stop.
        # While any runs, short checks go to a thread too: inline, one would wait on the event loop
        # for the language's pipeline lock that a long check holds, and stall every request.
        self.in_threads = 0
        self._in_threads_lock = threading.Lock()

    async def _load(self, loaded: asyncio.Event) -> None:
        started = time.perf_counter()
        try:
            await anyio.to_thread.run_sync(load_engine, self.config)
        except ReplylintError as exc:  # a pack or config problem: the message names the file, never a reply
            self.error = str(exc)
            log.error("loading failed: %s", exc)
            return
        finally:
            loaded.set()
        self._set_ready()
        log.info("ready: pipelines and rule packs loaded in %.1f s", time.perf_counter() - started)

    def _set_ready(self) -> None:
        self.ready = True
        self.metrics.ready.set(1)

    def lifespan(self, warm_up: bool) -> Callable[[FastAPI], Any]:
        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            self.loaded = asyncio.Event()
            task = asyncio.create_task(self._load(self.loaded)) if warm_up else None
            if not warm_up:
                self._set_ready()
                self.loaded.set()
            try:
                yield
            finally:
                if task is not None and not task.done():
                    task.cancel()

        return lifespan

    async def authorize(self, credentials: HTTPAuthorizationCredentials | None = Depends(_BEARER)) -> None:
        if self.token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self.token.encode("utf-8", "surrogateescape")):
            raise _HTTPError(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})

    async def run_job(self, fn: Callable[..., Any], *args: Any, chars: int | None = None) -> Any:
        """Run a check: inline when it is short (`chars` ≤ server.inline_max_chars), else in a
        worker thread under the time limit.

        A check of an ordinary reply takes 1–3 ms of CPU; on the 2-core VM this
        was measured on, handing it to a thread and back cost more than that
        (200 → 630 req/s on one worker for a one-word reply once inline). The
        engine holds the GIL either way, so a thread never ran two checks at
        once. A short check cannot be interrupted, but it is bounded by its
        length; long replies and batches keep the thread and the 504. The 504
        leaves on time whatever the thread does (no step of a check holds the
        interpreter lock for more than tens of milliseconds); the abandoned
        thread then stops at its next rule (`engine.deadline`), so it neither
        keeps a core busy nor keeps its language's pipeline lock.
        """
        loaded = self.loaded
        if loaded is not None and not loaded.is_set():  # a request during start-up waits for loading, untimed
            await loaded.wait()
        # With a LanguageTool server configured a check waits on the network: never on the event loop.
        if (chars is not None and chars <= self.settings.inline_max_chars and self.config.languagetool.url is None
                and not self.in_threads):
            return fn(*args)
        limit = self.settings.timeout_seconds
        job = _ThreadJob()
        with self._in_threads_lock:
            self.in_threads += 1
        try:
            with anyio.fail_after(limit):
                return await anyio.to_thread.run_sync(self._counted, job, limit, fn, *args, abandon_on_cancel=True)
        except (TimeoutError, CheckTimeout):
            raise _HTTPError(504, f"the check took longer than {limit:g} s") from None
        finally:
            with self._in_threads_lock:
                if not job.started:  # given up before a thread picked it up: it never will run
                    job.dropped = True
                    self.in_threads -= 1

    def _counted(self, job: _ThreadJob, limit: float, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn` under the time limit, in a worker thread; `in_threads` drops when it really ends,
        not when the request gives up on it."""
        with self._in_threads_lock:
            if job.dropped:
                raise CheckTimeout("given up before it started")
            job.started = True
        try:
            return _limited(limit, fn, *args)
        finally:
            with self._in_threads_lock:
                self.in_threads -= 1

    def timed_check(self, request: CheckRequest) -> CheckResponse:
        started = time.perf_counter()
        try:
            return run_check(request, self.config)
        finally:
            self.metrics.check_latency.observe(time.perf_counter() - started)

    def check_batch(self, requests: list[CheckRequest]) -> list[BatchItem]:
        items = []
        for index, request in enumerate(requests):
            try:
                items.append(BatchItem(index=index, status=200, result=self.timed_check(request)))
            except InputError as exc:
                items.append(BatchItem(index=index, status=422, error=str(exc)))
        return items

    def count(self, result: CheckResponse) -> None:
        self.metrics.decisions.labels(decision=result.decision).inc()


def create_app(config: Config | None = None, *, warm_up: bool = True) -> FastAPI:
    """The ASGI app for `config` (defaults when None). `warm_up=False` skips loading at start-up."""
    config = config or Config()
    runtime = _Runtime(config)
    quiet_access_log()
    app = FastAPI(
        title="replylint pre-send hook",
        version=__version__,
        description=(
            "Lint a customer-service draft reply before it is sent and get a decision: "
            "allow, warn (show the findings, the agent may send) or block. "
            "Also speaks LanguageTool's `/v2/check` API."
        ),
        lifespan=runtime.lifespan(warm_up),
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.metrics = runtime.metrics
    _add_error_handlers(app)
    # The security scheme is in the OpenAPI schema only when a token is required.
    protected = [Depends(runtime.authorize)] if runtime.token is not None else []
    _add_presend_routes(app, runtime, protected)
    _add_languagetool_routes(app, runtime, protected)
    _add_operations_routes(app, runtime)
    _add_middleware(app, runtime)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error a client can cause is a 4xx with a short JSON detail that never echoes the reply."""

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


def _add_presend_routes(app: FastAPI, runtime: _Runtime, protected: list[Any]) -> None:
    """`/v1/check`, its batch form and the helpdesk payload shapes."""
    settings = runtime.settings

    @app.post("/v1/check", response_model=CheckResponse, dependencies=protected, responses=ERRORS, tags=["pre-send"])
    async def check_reply(request: CheckRequest) -> Response:
        """Check one draft reply and decide: allow, warn or block."""
        result: CheckResponse = await runtime.run_job(runtime.timed_check, request, chars=_size(request))
        runtime.count(result)
        # Already a validated CheckResponse: serialise it once, without FastAPI validating it again.
        return Response(result.model_dump_json(), media_type="application/json")

    @app.post("/v1/check/batch", response_model=BatchResponse, dependencies=protected, responses=ERRORS,
              tags=["pre-send"])
    async def check_many(batch: BatchRequest) -> BatchResponse:
        """Check up to `server.batch_max` replies; a reply that cannot be checked gets status 422 in its item."""
        if len(batch.replies) > settings.batch_max:
            raise RequestValidationError([{
                "loc": ("body", "replies"), "type": "too_long",
                "msg": f"at most {settings.batch_max} replies per batch (server.batch_max), got {len(batch.replies)}",
            }])
        items: list[BatchItem] = await runtime.run_job(runtime.check_batch, batch.replies)
        for item in items:
            if item.result is not None:
                runtime.count(item.result)
        return BatchResponse(results=items)

    @app.post("/v1/hooks/{helpdesk}", response_model=CheckResponse, dependencies=protected, responses=ERRORS,
              tags=["pre-send"])
    async def check_helpdesk_payload(
        helpdesk: Annotated[Literal["zendesk", "freshdesk", "helpscout", "gorgias"], Path()],
        payload: dict[str, Any],
    ) -> CheckResponse:
        """Check a draft in a helpdesk's own payload shape (see replylint.service.adapters)."""
        request = adapt(helpdesk, payload)
        result: CheckResponse = await runtime.run_job(runtime.timed_check, request, chars=_size(request))
        runtime.count(result)
        return result


def _add_languagetool_routes(app: FastAPI, runtime: _Runtime, protected: list[Any]) -> None:
    """`/v2/check` and `/v2/languages` in LanguageTool's own request and response shapes."""
    config = runtime.config
    lt_errors = {**ERRORS, 400: {"content": {"text/plain": {"schema": {"type": "string"}}},
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
        text, data, disabledRules, enabledRules = map(form_value, (text, data, disabledRules, enabledRules))
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
                runtime.metrics.check_latency.observe(time.perf_counter() - started)
            return to_response(source, report, code, tuple(config.packs))

        try:
            payload = await runtime.run_job(run, chars=len(source.plain))
        except InputError as exc:
            return PlainTextResponse(f"Error: {exc}", status_code=400)
        return JSONResponse(payload)

    @app.get("/v2/languages", response_model=list[LTLanguage], tags=["LanguageTool-compatible"])
    async def lt_languages() -> list[dict[str, str]]:
        """The languages replylint checks, in LanguageTool's format."""
        return LANGUAGES


def _add_operations_routes(app: FastAPI, runtime: _Runtime) -> None:
    """Health, readiness, metrics and the offline API page."""

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        """The process is up (it may still be loading)."""
        return Health(status="ok", version=__version__)

    @app.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, tags=["operations"])
    async def readyz() -> Any:
        """Ready once the pipelines and rule packs are loaded; 503 before."""
        if runtime.ready:
            return Readiness(ready=True, detail="pipelines and rule packs loaded")
        detail = f"loading failed: {runtime.error}" if runtime.error else "loading pipelines and rule packs"
        return JSONResponse(Readiness(ready=False, detail=detail).model_dump(), status_code=503)

    @app.get("/metrics", response_class=PlainTextResponse, tags=["operations"],
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
    async def prometheus() -> Response:
        """Prometheus text format: requests, decisions, latency histograms. Never any reply text."""
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE)


def _add_middleware(app: FastAPI, runtime: _Runtime) -> None:
    settings = runtime.settings
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(Guard, max_body=settings.max_body_bytes, metrics=runtime.metrics,
                       body_timeout=settings.body_timeout_seconds)


class _HTTPError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


class _ThreadJob:
    """Whether a worker thread started a check, or the request gave it up first (under `_in_threads_lock`)."""

    __slots__ = ("started", "dropped")

    def __init__(self) -> None:
        self.started = False
        self.dropped = False


def _limited(seconds: float, fn: Callable[..., Any], *args: Any) -> Any:
    with time_limit(seconds):
        return fn(*args)


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
    elif wanted:
        # LanguageTool adds enabledRules to the rules it runs anyway. replylint's `select` lists all it runs,
        # so with none set the defaults go in by their letter prefixes (a prefix picks only rules on by default).
        base = select if select is not None else sorted({code.rstrip("0123456789") for code in codes})
        select = [*base, *wanted]
    # replylint's own /v2 does not ask a LanguageTool server in turn: a client of this endpoint can ask
    # LanguageTool itself, and a [languagetool] url pointing back here would otherwise loop.
    grammar = {**config.languagetool.model_dump(), "url": None} if config.languagetool.url is not None else None
    if not ignore and select == config.select and grammar is None:
        return config
    return merge(config, ignore=ignore, select=select, languagetool=grammar)


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


def serve(
    host: str, port: int, workers: int, config_path: FilePath | None, log_level: str = "info",
    *, tls: TLSFiles | None = None,
) -> None:
    """Run uvicorn with the app factory; SIGTERM/SIGINT let in-flight requests finish.

    `tls` (checked by `launch.tls_files`): serve HTTPS only, with that certificate and key.
    """
    import uvicorn

    if config_path is not None:
        os.environ[CONFIG_ENV] = str(config_path.resolve())
    config = load_config(config_path) if config_path else (
        load_config(found) if (found := find_config_file()) else Config()
    )
    quiet_access_log()
    from .protocols import guarded

    uvicorn.run(
        "replylint.service.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        log_level=log_level,
        timeout_graceful_shutdown=int(config.server.timeout_seconds) + 5,
        limit_concurrency=None,
        http=guarded(config.server.header_timeout_seconds),
        timeout_keep_alive=max(1, round(config.server.keep_alive_seconds)),
        **(tls.uvicorn_options() if tls is not None else {}),
    )


# Re-exported for the tests and the docs.
__all__ = ["ADAPTERS", "create_app", "app_from_env", "serve"]
