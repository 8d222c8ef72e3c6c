"""`replylint serve` as a real process on 127.0.0.1: LanguageTool client, logs, graceful shutdown."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from replies import generate  # noqa: E402

SECRET = "Quokkazanzibar"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path: Path, config: str = "", log_level: str = "debug") -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    config_file = tmp_path / "replylint.toml"
    config_file.write_text(config)
    log_file = tmp_path / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REPLYLINT_NLP": "blank"}
    env.pop("REPLYLINT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--port", str(port), "--config", str(config_file),
         "--log-level", log_level],
        cwd=tmp_path, env=env, stdout=log_file.open("wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log_file.read_text()
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url, log_file
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError("replylint serve did not become ready")


def _serve_h11(app):  # type: ignore[no-untyped-def]
    """`app` served in a thread by uvicorn on replylint's guarded h11 protocol, once it has started.
    uvicorn's logging is left alone (its default config would take over the test's loggers)."""
    import asyncio

    import uvicorn

    from replylint.service import protocols

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, http=protocols.GuardedH11,
                                           log_level=None, log_config=None, lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, thread, port


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    process, url, log_file = _start(tmp_path_factory.mktemp("live"))
    yield url, log_file
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_language_tool_python_client_against_the_service(live):
    language_tool_python = pytest.importorskip("language_tool_python")
    url, _ = live
    tool = language_tool_python.LanguageTool("it-IT", remote_server=url)
    text = "Ciao 😀 Marco! Come già detto, non possiamo rimborsare la spedizione 👍. Avresti dovuto controllare."
    matches = tool.check(text)
    by_rule = {m.rule_id: m for m in matches}
    assert {"NEG120", "NEG101", "NEG121"} <= set(by_rule)
    for rule, expected in (("NEG120", "Come già detto"), ("NEG121", "Avresti dovuto")):
        match = by_rule[rule]
        assert text[match.offset : match.offset + match.error_length] == expected
    assert by_rule["NEG120"].replacements == ["Come anticipato"]
    assert by_rule["NEG120"].category == "NEGATIVE"
    fixed = tool.correct("Come già detto, il pacco arriva giovedì.")
    assert fixed.startswith("Come anticipato")

    english = language_tool_python.LanguageTool("en-US", remote_server=url)
    matches = english.check("🎉 As I said, we can't refund the shipping costs.")
    assert any(m.rule_id == "NEG120" and m.offset == 2 for m in matches)


def test_v1_check_over_http_and_no_text_in_the_server_log(live):
    url, log_file = live
    reply = f"{SECRET}, come già detto non possiamo rimborsare la spedizione."
    result = httpx.post(f"{url}/v1/check", json={"reply": reply, "customer": f"{SECRET} customer"}).json()
    assert result["decision"] == "warn" and result["language"] == "it"
    assert httpx.post(f"{url}/v1/check", json={"reply": f"{SECRET}\u0000"}).status_code == 422
    assert httpx.post(f"{url}/v1/check", content=f'{{"reply": "{SECRET}', headers={"content-type": "application/json"}).status_code == 422
    assert httpx.post(f"{url}/v1/check", json={"reply": SECRET * 6000}).status_code == 413
    assert httpx.post(f"{url}/v2/check", data={"text": f"{SECRET} non possiamo", "language": "it"}).status_code == 200
    assert httpx.get(f"{url}/v2/check", params={"text": SECRET}).status_code == 405
    assert f"{SECRET}" not in httpx.get(f"{url}/metrics").text
    time.sleep(0.3)
    log = log_file.read_text()
    assert "POST /v1/check" in log and "/v2/check?…" in log  # the access log is there, without query strings
    assert SECRET not in log


def test_graceful_shutdown_lets_in_flight_requests_finish(tmp_path):
    process, url, log_file = _start(
        tmp_path, "[server]\nmax_body_bytes = 4000000\nbatch_max = 400\ntimeout_seconds = 60\n", log_level="info"
    )
    replies = [{"reply": r} for r in generate("it", 150) + generate("en", 150)]
    outcome: dict = {}

    def call() -> None:
        try:
            response = httpx.post(f"{url}/v1/check/batch", json={"replies": replies}, timeout=60)
            outcome["status"] = response.status_code
            outcome["results"] = len(response.json()["results"])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = repr(exc)

    started = time.monotonic()
    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.5)  # the batch is being checked (300 replies take well over a second)
    process.send_signal(signal.SIGTERM)
    thread.join(timeout=60)
    code = process.wait(timeout=60)
    elapsed = time.monotonic() - started
    assert outcome == {"status": 200, "results": 300}, (outcome, log_file.read_text()[-2000:])
    # uvicorn shuts down cleanly, then re-raises the signal it caught: exit status "terminated by SIGTERM".
    assert code in (0, -signal.SIGTERM)
    assert elapsed > 0.6
    log = log_file.read_text()
    assert "Shutting down" in log and "Finished server process" in log


def test_a_half_sent_header_is_dropped_after_the_header_timeout(tmp_path):
    """Slowloris: sockets that send half a header used to stay open for ever and exhaust the
    file limit. With header_timeout_seconds = 1 the server closes them; real requests go on."""
    process, url, _ = _start(tmp_path, "[server]\nheader_timeout_seconds = 1\n", log_level="warning")
    port = int(url.rsplit(":", 1)[1])
    try:
        idle = socket.create_connection(("127.0.0.1", port), timeout=10)
        half = socket.create_connection(("127.0.0.1", port), timeout=10)
        half.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-")
        kept = socket.create_connection(("127.0.0.1", port), timeout=10)
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b"}"):  # the whole first response: headers and JSON body
            first += kept.recv(4096)
        assert b"200 OK" in first
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # the second request stalls halfway
        time.sleep(2.5)
        for sock in (idle, half, kept):
            assert sock.recv(4096) == b"", "the server should have closed the connection"
            sock.close()
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        slow_but_whole = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow_but_whole.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(0.5)
        slow_but_whole.sendall(b"Host: x\r\n\r\n")
        assert b"200 OK" in slow_but_whole.recv(4096)
        slow_but_whole.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_h11_fallback_drops_a_half_sent_header_too(monkeypatch):
    """Without httptools uvicorn parses with h11; the same deadline applies there."""
    from replylint.service import protocols

    monkeypatch.setenv(protocols.TIMEOUT_ENV, "1")

    async def app(scope, receive, send):  # a minimal ASGI app: the guard is what is tested
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    server, thread, port = _serve_h11(app)
    try:
        half = socket.create_connection(("127.0.0.1", port), timeout=10)
        half.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        whole = socket.create_connection(("127.0.0.1", port), timeout=10)
        whole.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200 OK" in whole.recv(4096)
        time.sleep(2.5)
        assert half.recv(4096) == b""
        half.close()
        whole.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_healthz_answers_at_once_while_a_long_batch_runs_into_its_504(tmp_path):
    """A batch that would take the server 20 s: /healthz keeps answering in milliseconds meanwhile
    (no step of a check holds the interpreter lock for long), and the 504 comes on time."""
    process, url, log_file = _start(
        tmp_path, "[server]\nmax_body_bytes = 4000000\nbatch_max = 400\ntimeout_seconds = 2\n", log_level="info"
    )
    try:
        reply = "Purtroppo il rimborso non arriva prima di lunedì, ci dispiace per l'attesa. " * 90
        outcome: dict = {}

        def call() -> None:
            started = time.monotonic()
            response = httpx.post(f"{url}/v1/check/batch", json={"replies": [{"reply": reply}] * 400}, timeout=60)
            outcome.update(status=response.status_code, seconds=time.monotonic() - started)

        thread = threading.Thread(target=call)
        thread.start()
        latencies = []
        with httpx.Client() as client:
            while thread.is_alive():
                started = time.monotonic()
                assert client.get(f"{url}/healthz", timeout=5).status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.02)
        thread.join()
        assert outcome["status"] == 504
        assert outcome["seconds"] < 2 * 1.2 + 0.5  # the limit, its 20 %, and sending 2.8 MB
        assert len(latencies) > 20 and max(latencies) < 0.25, sorted(latencies)[-5:]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


class _CloseWatch(threading.Thread):
    """Reads a set of sockets in the background and notes when the server closes each one."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.received: dict[socket.socket, bytes] = {}
        self.closed_at: dict[socket.socket, float] = {}
        self.stop = False

    def add(self, sock: socket.socket) -> socket.socket:
        sock.setblocking(False)
        with self.lock:
            self.received[sock] = b""
            self.selector.register(sock, selectors.EVENT_READ)
        return sock

    def run(self) -> None:
        while not self.stop:
            with self.lock:
                ready = self.selector.select(timeout=0.01) if self.selector.get_map() else []
            for key, _ in ready:
                sock = key.fileobj
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if chunk:
                    self.received[sock] += chunk
                else:
                    self.closed_at[sock] = time.monotonic()
                    with self.lock:
                        self.selector.unregister(sock)
            if not ready:
                time.sleep(0.005)

    def wait(self, socks: list[socket.socket], limit: float) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not all(s in self.closed_at for s in socks):
            time.sleep(0.05)
        still_open = [s for s in socks if s not in self.closed_at]
        assert not still_open, f"{len(still_open)} of {len(socks)} connections still open after {limit} s"


def _slow_but_steady(port: int, path: str, body: bytes, pieces: int, gap: float, outcome: dict) -> None:
    """An upload that keeps coming, a piece every `gap` seconds: it must never be cut."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode())
        size = -(-len(body) // pieces)
        for start in range(0, len(body), size):
            time.sleep(gap)
            sock.sendall(body[start : start + size])
        response = b""
        while b"\r\n\r\n" not in response or len(response.partition(b"\r\n\r\n")[2]) < _length(response):
            chunk = sock.recv(65536)
            if not chunk:
                break
            response += chunk
        outcome["response"] = response


def _length(response: bytes) -> int:
    for line in response.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def test_stalled_request_bodies_get_408_and_are_closed_while_real_requests_go_on(tmp_path):
    """Issue 13: a whole header with `Content-Length: 1000` and a few body bytes, then nothing,
    used to hold its socket for ever (1,100 of them exhausted a 1,024-file limit). With
    body_timeout_seconds = 1 each gets 408 and is closed, counted in the metrics; a request
    meanwhile and afterwards is answered; an upload that keeps coming slowly is not cut; a body
    trickled a byte at a time is a stall too; nothing of a body reaches the log."""
    process, url, log_file = _start(
        tmp_path, "[server]\nbody_timeout_seconds = 1\nheader_timeout_seconds = 1\n", log_level="info"
    )
    port = int(url.rsplit(":", 1)[1])
    header = (b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n")
    watch = _CloseWatch()
    watch.start()
    try:
        steady: dict = {}
        reply = f"{SECRET}, il pacco arriva giovedì. " + "Grazie per la pazienza, ti aggiorniamo a breve. " * 60
        upload = threading.Thread(target=_slow_but_steady, args=(
            port, "/v1/check", json.dumps({"reply": reply}).encode(), 5, 0.6, steady,
        ))  # 3 s in all, three times the timeout, but never 1 s without a byte (and ~1 KB/s, over 500 B/s)
        upload.start()
        stalled = []
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(header + f'{{"reply": "{SECRET}'.encode())
            stalled.append((watch.add(sock), time.monotonic()))
        trickle = socket.create_connection(("127.0.0.1", port), timeout=10)
        trickle.sendall(header)
        trickle_started = time.monotonic()
        watch.add(trickle)
        answered_early = socket.create_connection(("127.0.0.1", port), timeout=10)
        answered_early.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        assert b"405 Method Not Allowed" in answered_early.recv(4096)
        answered_at = time.monotonic()
        watch.add(answered_early)
        # While they stall, a real request is answered at once.
        assert httpx.post(f"{url}/v1/check", json={"reply": "Ciao Marco, il pacco arriva giovedì."},
                          timeout=5).status_code == 200
        for _ in range(8):  # a byte every 0.4 s to each: the server must not count that as progress
            time.sleep(0.4)
            for sock in (trickle, answered_early):
                if sock not in watch.closed_at:
                    try:
                        sock.send(b"x")
                    except OSError:  # closed by the server meanwhile
                        pass
        watch.wait([sock for sock, _ in stalled] + [trickle, answered_early], 10)
        for sock, sent_at in stalled:
            data = watch.received[sock]
            assert data.startswith(b"HTTP/1.1 408 ") and b"connection: close" in data.lower(), data[:200]
            assert watch.closed_at[sock] - sent_at < 1 + 1, watch.closed_at[sock] - sent_at  # the timeout and a margin
        assert watch.received[trickle].startswith(b"HTTP/1.1 408 "), watch.received[trickle][:200]
        assert watch.closed_at[trickle] - trickle_started < 1 + 1
        assert watch.closed_at[answered_early] - answered_at < 1 + 1  # the header deadline, armed again after the 405
        upload.join(timeout=30)
        assert steady.get("response", b"").startswith(b"HTTP/1.1 200 "), steady
        # Afterwards too.
        assert httpx.post(f"{url}/v1/check", json={"reply": "Ciao Marco, il pacco arriva giovedì."},
                          timeout=5).status_code == 200
        metrics = httpx.get(f"{url}/metrics").text
        assert 'replylint_http_requests_total{method="POST",route="/v1/check",status="408"} 51.0' in metrics
        time.sleep(0.3)
        log = log_file.read_text()
        assert log.count('"POST /v1/check HTTP/1.1" 408') == 51
        assert SECRET not in log
    finally:
        watch.stop = True
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_the_h11_fallback_times_out_a_stalled_body_too():
    """The body deadline lives in the Guard middleware, so it holds whichever protocol uvicorn runs."""
    from replylint.service.middleware import Guard, Metrics

    async def echo_length(scope, receive, send):  # reads the whole body, as FastAPI does
        size, more = 0, True
        while more:
            message = await receive()
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        body = str(size).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    metrics = Metrics()
    server, thread, port = _serve_h11(Guard(echo_length, max_body=65536, metrics=metrics, body_timeout=1))
    watch = _CloseWatch()
    watch.start()
    try:
        steady: dict = {}
        upload = threading.Thread(target=_slow_but_steady, args=(port, "/", b"x" * 4000, 4, 0.6, steady))
        upload.start()
        stalled = []
        for _ in range(20):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabcd")
            stalled.append((watch.add(sock), time.monotonic()))
        assert httpx.post(f"http://127.0.0.1:{port}/", content=b"y" * 10, timeout=5).text == "10"
        watch.wait([sock for sock, _ in stalled], 10)
        for sock, sent_at in stalled:
            assert watch.received[sock].startswith(b"HTTP/1.1 408 "), watch.received[sock][:200]
            assert watch.closed_at[sock] - sent_at < 1 + 1, watch.closed_at[sock] - sent_at
        upload.join(timeout=30)
        assert steady.get("response", b"").startswith(b"HTTP/1.1 200 ") and steady["response"].endswith(b"4000")
        assert httpx.post(f"http://127.0.0.1:{port}/", content=b"y" * 10, timeout=5).text == "10"
        assert metrics.requests.labels(route="unmatched", method="POST", status="408")._value.get() == 20
    finally:
        watch.stop = True
        server.should_exit = True
        thread.join(timeout=10)
