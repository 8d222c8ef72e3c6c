"""Batch throughput and memory (not a test): `replylint batch` on generated exports with 1 job,
2 jobs and a Dask LocalCluster of 2 workers.

    pip install '.[bench,parquet,dask]' && python benchmarks/batch.py [--rows 100000] [--small 10000]

Prints, per run: replies per second (wall clock, start-up included), the peak RSS of every process
of the run (the parent and each worker, sampled every 0.2 s), and the speed-up over 1 job. Then the
parent's and workers' peak RSS on a `--small` export against the full one: memory must stay flat in
the number of rows (the target), and 2 jobs should reach >= 1.8x 1 job when the cores are free.
No reply text is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replies import generate  # noqa: E402

AGENTS = ("Anna", "Bruno", "Carla", "Dario", "Elena", "Fabio")


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """Half Italian, half English replies (interleaved), six agents, dates over twelve weeks."""
    half = (rows + 1) // 2
    banks = {"it": generate("it", half, seed), "en": generate("en", half, seed + 1)}
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            lang = "it" if i % 2 == 0 else "en"
            reply = banks[lang][i // 2]
            day = 1 + (i * 84 // rows)
            handle.write(json.dumps({"id": f"T{i:06d}", "body": reply, "agent": AGENTS[i % len(AGENTS)],
                                     "created_at": f"2026-{8 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}T10:00:00Z"},
                                    ensure_ascii=False) + "\n")


def run(export: Path, out: Path, extra: list[str]) -> dict[str, object]:
    """Wall time and the peak RSS of each process of one `replylint batch` run."""
    command = [sys.executable, "-m", "replylint", "batch", str(export), "--out", str(out), "-q", "--format", "json",
               *extra]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    parent = psutil.Process(process.pid)
    peaks: dict[int, tuple[str, int]] = {}
    while process.poll() is None:
        try:
            for proc in [parent, *parent.children(recursive=True)]:
                try:
                    rss = proc.memory_info().rss
                    role = "parent" if proc.pid == parent.pid else "worker"
                    if rss > peaks.get(proc.pid, ("", 0))[1]:
                        peaks[proc.pid] = (role, rss)
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    stdout, stderr = process.communicate()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}): {stderr.decode()[-400:]}")
    summary = json.loads(stdout)
    mib = sorted(((role, round(rss / 2**20)) for role, rss in peaks.values()), key=lambda item: item[0] != "parent")
    # Dask's scheduler and nanny processes are children too; workers are the ones that graded (largest).
    return {"seconds": seconds, "rows": summary["rows"], "graded": summary["graded"],
            "per_second": summary["rows"] / seconds, "peak_mib": mib}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args(argv)
    print(f"cores: {psutil.cpu_count()} logical, load {psutil.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        big, small = Path(folder) / "big.jsonl", Path(folder) / "small.jsonl"
        write_export(big, args.rows)
        write_export(small, args.small)
        print(f"export: {args.rows:,} rows, {big.stat().st_size / 2**20:.0f} MiB; small: {args.small:,} rows")
        runs = {"1 job": ["-j", "1"], "2 jobs": ["-j", "2"]}
        if not args.skip_dask:
            runs["dask LocalCluster, 2 workers"] = ["--engine", "dask", "-j", "2"]
        results = {}
        for name, extra in runs.items():
            results[name] = run(big, Path(folder) / "out.jsonl", extra)
            r = results[name]
            speedup = r["per_second"] / results["1 job"]["per_second"]
            print(f"{name:32s} {r['rows']:,} rows in {r['seconds']:.0f} s = {r['per_second']:.0f} replies/s "
                  f"(x{speedup:.2f})  peak RSS MiB {r['peak_mib']}", flush=True)
        flat = run(small, Path(folder) / "out.jsonl", ["-j", "2"])
        print(f"memory vs rows (2 jobs): {args.small:,} rows peak RSS MiB {flat['peak_mib']}; "
              f"{args.rows:,} rows {results['2 jobs']['peak_mib']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
