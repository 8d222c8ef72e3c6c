"""uvicorn's HTTP protocols with a deadline for each request's header.

uvicorn times out an idle kept-alive connection, but not one that has sent
half a header: such a socket stays open for ever, and 1,100 of them exhausted
a 1,024-file limit so that real requests failed (slowloris). Here every
connection must complete each request header within
`server.header_timeout_seconds` from its first byte (or from the connection,
for the first request), or it is closed. The deadline is in the module, set
by `serve()` from the config: uvicorn builds the protocol from a class, with
its own arguments, in worker processes too, so `serve()` passes the deadline
in the environment (`REPLYLINT_HEADER_TIMEOUT`).

A response sent before the request's whole body came (a 413 on the declared
length, say) arms the deadline again, until the next header is complete:
otherwise, under httptools, the client could keep the socket by sending one
more byte now and then, since each byte cancels the keep-alive timer (h11
arms it after every response). A body the app is waiting for is timed in
the `Guard` middleware (`server.body_timeout_seconds`, 408), the same for
every protocol.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

TIMEOUT_ENV = "REPLYLINT_HEADER_TIMEOUT"
DEFAULT_TIMEOUT = 10.0


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


class _HeaderDeadline:
    """Mixed into a uvicorn protocol: arm a timer when a request may begin, disarm it when its
    header is complete, close the connection when it fires."""

    _header_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(_timeout(), self._header_expired)  # type: ignore[attr-defined]

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_expired(self) -> None:
        self._header_timer = None
        transport = self.transport  # type: ignore[attr-defined]
        if transport is not None and not transport.is_closing():
            transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed: uvicorn uses h11
    GuardedHttpTools: Any = None
else:

    class GuardedHttpTools(_HeaderDeadline, HttpToolsProtocol):  # type: ignore[no-redef]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        _message_done = True

        def on_message_begin(self) -> None:
            self._message_done = False
            super().on_message_begin()
            self._arm()

        def on_message_complete(self) -> None:
            self._message_done = True
            super().on_message_complete()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            # Answered before its whole body came: time the rest of it and the next header (the
            # keep-alive timer would be cancelled by the next byte). A queued pipelined request
            # has its header already, and a finished one is left to the keep-alive timer.
            pending = not self._message_done and not self.pipeline
            super().on_response_complete()
            if pending and not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)


class GuardedH11(_HeaderDeadline, H11Protocol):
    """h11 parses a header in one event, so the deadline runs from the connection, or from the
    end of the previous response, until a request event arrives."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        before = self.cycle  # type: ignore[has-type]
        super().handle_events()
        if self.cycle is not before:  # a request's header was complete
            self._disarm()

    def on_response_complete(self) -> None:
        # Armed first: a pipelined request that super() starts disarms it in handle_events.
        if not self.transport.is_closing():
            self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def guarded(header_timeout: float) -> Any:
    """The protocol class `serve()` hands uvicorn (httptools when installed, else h11), with the
    deadline set for this process and the workers it starts."""
    os.environ[TIMEOUT_ENV] = repr(float(header_timeout))
    return GuardedHttpTools if GuardedHttpTools is not None else GuardedH11
