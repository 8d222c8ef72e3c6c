"""Load benchmark of the HTTP pre-send hook (not a test).

Starts `replylint serve` on 127.0.0.1 (a free port), waits for /readyz,
then drives POST /v1/check with 8 and 32 concurrent clients (one
keep-alive connection each), for a fixed number of realistic replies from
`benchmarks/replies.py` (Italian and English, ~150 words each), and prints
requests/s, p50/p95/p99 latency and the error count per concurrency level,
with the CPU time the server processes and this load generator spent per
request (the load generator shares the machine's cores with the server).
The server is stopped at the end. Only loopback traffic.

    python benchmarks/server_load.py                    # 2,000 requests per level, 1 worker
    python benchmarks/server_load.py --workers 2 --requests 4000 --clients 8,32
    python benchmarks/server_load.py --against /tmp/before --clients 8   # A/B against an earlier tree
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from machine import python_loop_ms  # noqa: E402
from replies import generate  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, tree: Path | None = None) -> subprocess.Popen:
    """`replylint serve` from this checkout, or from another source tree (`--against`)."""
    root = tree or HERE.parent
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("REPLYLINT_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def wait_ready(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def drive(port: int, bodies: list[bytes], clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    cursor = iter(range(len(bodies)))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            started = time.perf_counter()
            try:
                conn.request("POST", "/v1/check", body=bodies[index], headers={"content-type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                if response.status != 200 or b'"decision"' not in payload:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "errors": errors, "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by the server and its worker processes (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def interleaved(tree: Path, bodies: list[bytes], clients: int, workers: int, rounds: int) -> None:
    """This checkout against another source tree (an earlier commit, e.g. `git worktree add
    /tmp/before REV`): both servers up at once, driven in alternation, block by block (A B B A …),
    so that the machine's drift lands on both."""
    ports = {"this": free_port(), "before": free_port()}
    servers = {"this": start_server(ports["this"], workers), "before": start_server(ports["before"], workers, tree)}
    try:
        for name, port in ports.items():
            wait_ready(port)
            drive(port, bodies[:100], 4)
        totals = {name: [0.0, 0] for name in ports}
        block = max(1, len(bodies) // rounds)
        for r in range(rounds):
            chunk = bodies[r * block:(r + 1) * block]
            for name in (("this", "before") if r % 2 == 0 else ("before", "this")):
                result = drive(ports[name], chunk, clients)
                totals[name][0] += result["seconds"]
                totals[name][1] += int(result["requests"])
        rps = {name: n / seconds for name, (seconds, n) in totals.items()}
        print(f"interleaved, {rounds} rounds, {clients} clients, {workers} worker(s): this checkout "
              f"{rps['this']:.1f} req/s, {tree} {rps['before']:.1f} req/s, ratio {rps['this'] / rps['before']:.2f}x")
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another source tree: an interleaved A/B of the two servers")
    parser.add_argument("--rounds", type=int, default=10, help="A/B rounds with --against")
    parser.add_argument("--requests", type=int, default=2000, help="requests per concurrency level")
    parser.add_argument("--clients", default="8,32", help="comma-separated concurrency levels")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()

    half = max(1, args.requests // 2)
    replies = [r for pair in zip(generate("it", half), generate("en", half)) for r in pair]
    bodies = [json.dumps({"reply": r, "channel": "email"}).encode() for r in replies][: args.requests]
    if args.against is not None:
        interleaved(args.against, bodies, int(args.clients.split(",")[0]), args.workers, args.rounds)
        return
    port = free_port()
    server = start_server(port, args.workers)
    try:
        wait_ready(port)
        drive(port, bodies[:100], 4)  # warm-up, not measured
        print(f"replylint serve on 127.0.0.1:{port}, {args.workers} worker(s), {os.cpu_count()} CPUs, "
              f"{len(bodies)} requests per level, ~{statistics.mean(len(r.split()) for r in replies):.0f} words/reply")
        print(f"machine speed now: {python_loop_ms():.1f} ms for the reference Python loop (lower is faster)")
        print(f"{'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
              f" {'server CPU ms/req':>18} {'client CPU ms/req':>18}")
        for clients in (int(c) for c in args.clients.split(",")):
            server_before, client_before = server_cpu_seconds(server.pid), time.process_time()
            r = drive(port, bodies, clients)
            server_after, client_after = server_cpu_seconds(server.pid), time.process_time()
            server_ms = "n/a (pip install psutil)" if server_before is None or server_after is None else (
                f"{(server_after - server_before) / r['requests'] * 1000:.2f}")
            client_ms = (client_after - client_before) / r["requests"] * 1000
            print(f"{clients:>7} {r['requests']:>8.0f} {r['errors']:>6.0f} {r['rps']:>8.1f} "
                  f"{r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {server_ms:>18} {client_ms:>18.2f}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
