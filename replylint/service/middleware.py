"""What wraps every request: the body-size limit, the body deadline, metrics, a last-resort 500, a log without query strings.

Plain ASGI rather than framework middleware, so a body that outgrows the
limit is refused while it is still being read, a body that stalls gets 408
and its connection closed (whichever HTTP protocol uvicorn runs), and nothing
in a request (reply text, customer message, a query string) reaches a log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("replylint.service.server")

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)

DEFAULT_BODY_TIMEOUT = 10.0  # as server.body_timeout_seconds's default
MIN_BODY_RATE = 500  # bytes/s: past the body timeout, a body must average at least this (like Apache's MinRate)


class _TooLarge(StarletteHTTPException):
    """Raised while reading a body that outgrows the limit; an HTTPException so FastAPI passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit:,} bytes (server.max_body_bytes)")


class _BodyTimeout(StarletteHTTPException):
    """Raised while reading a body that stalls; 408, and the connection is closed after it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"request body not received in time (server.body_timeout_seconds = {seconds:g})",
                         headers={"connection": "close"})


class Guard:
    """Outermost layer: body size limit (413), body deadline (408), metrics, and a last-resort 500
    that never echoes text.

    The body deadline: while the app waits for more of the body, nothing may
    arrive for `body_timeout` seconds, and past `body_timeout` after the app
    first asked for it the body must have come at `MIN_BODY_RATE` bytes/s on
    average (a client that trickles a byte now and then is a stall too). Then
    the app's `receive()` raises 408 with `connection: close`, so the socket
    is freed however many such clients there are. A slow upload that keeps
    coming is never cut. Waiting happens only inside `receive()`, where the
    server is reading the socket, so time the app spends is never counted.
    `body_timeout` is `server.body_timeout_seconds`.
    """

    def __init__(self, app: Any, *, max_body: int, metrics: Metrics, body_timeout: float = DEFAULT_BODY_TIMEOUT) -> None:
        self.app, self.max_body, self.metrics = app, max_body, metrics
        self.body_timeout = body_timeout

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
                body_done = False
                timeout = self.body_timeout
                body_started: float | None = None

                async def limited_receive() -> dict:
                    nonlocal received, body_done, body_started
                    if body_done:  # e.g. waiting for a disconnect while streaming a response: no deadline
                        return await receive()
                    now = time.monotonic()
                    if body_started is None:
                        body_started = now
                    wait = min(timeout, body_started + timeout + received / MIN_BODY_RATE - now)
                    try:
                        if wait <= 0:
                            raise TimeoutError
                        async with asyncio.timeout(wait):  # no task per request, as wait_for makes in 3.11
                            message = await receive()
                    except TimeoutError:
                        raise _BodyTimeout(timeout) from None
                    if message["type"] == "http.request":
                        received += len(message.get("body", b""))
                        if received > self.max_body:
                            raise _TooLarge(self.max_body)
                        body_done = not message.get("more_body", False)
                    else:  # http.disconnect
                        body_done = True
                    return message

                await self.app(scope, limited_receive, send_wrapper)
        except StarletteHTTPException as exc:  # _TooLarge or _BodyTimeout raised outside a route
            if not status["sent"]:
                await _send_json(send_wrapper, exc.status_code, {"detail": exc.detail}, exc.headers)
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


async def _send_json(send: Callable, status: int, payload: dict, extra: dict[str, str] | None = None) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _route(scope: dict) -> str:
    """The path template of the route that answered, or "unmatched".

    FastAPI's own API routes put themselves in `scope["route"]`; the routes it
    adds by itself (`/openapi.json`, and `/docs`, `/redoc` when enabled) are
    plain Starlette routes that leave only their `endpoint`, so that is looked
    up among the app's routes. A path no route matched stays "unmatched", so a
    scanner cannot create label values.
    """
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    endpoint = scope.get("endpoint")
    if endpoint is not None:
        for route in getattr(scope.get("app"), "routes", ()):
            if getattr(route, "endpoint", None) is endpoint and isinstance(getattr(route, "path", None), str):
                return route.path
    return "unmatched"


class Metrics:
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


class _NoQueryString(logging.Filter):
    """uvicorn's access log line carries the full path; cut the query (a client might put text there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def quiet_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryString) for f in access.filters):
        access.addFilter(_NoQueryString())
