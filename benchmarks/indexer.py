"""Indexer benchmark: two chain shapes on a local anvil, each backfilled from an empty database.

Bulk: ≥ 1,000,000 events, 10,000 logs per transaction in few blocks. ``python -m
benchmarks.indexer [--events N]`` prints ``indexer: N events/s``, the wall time, the indexer's
peak RSS and the live-follow latency (block mined → row committed) p50/p95.

Realistic (benchmarks/chainshape.py): ``--blocks`` blocks (50,000) of 10 logs in 1–3
transactions, transfers mixed with retirements, scores, stakes and votes; it prints
``indexer realistic: N events/s, peak RSS M MB``. ``--shape`` runs one of the two.

Wall times run from the indexer's process start to its exit. The benchmark prints figures and
never asserts them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from benchmarks import chainshape
from benchmarks.devnet import Anvil, Emitter, indexer_env, write_manifest
from esg.database import embedded_url, ensure_database, tune_embedded, with_database
from esg.paths import runtime_dir

PER_TX = 10_000


def generate(em: Emitter, events: int) -> int:
    """Send bulk-emission transactions until ``events`` logs exist; returns the log count."""
    sent = 0
    txs = []
    i = 0
    while sent < events:
        n = min(PER_TX, events - sent)
        kind = i % 10
        if kind < 7:
            txs.append(em.send("emit_transfers", n, i))
        elif kind < 9:
            txs.append(em.send("emit_singles", n, i))
        else:
            txs.append(em.send("emit_batches", n, i, 4))
        sent += n
        i += 1
    for tx in txs:
        r = em.node.receipt(tx)
        if r["status"] != "0x1":
            raise RuntimeError(f"emission failed: {tx}")
    return sent


async def _count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM events")
    finally:
        await conn.close()


async def _latency(url: str, em: Emitter, samples: int) -> list[float]:
    conn = await asyncpg.connect(url)
    out = []
    try:
        for i in range(samples):
            tx = em.send("emit_transfers", 10, 10**6 + i)
            mined = time.perf_counter()  # anvil automines before answering
            block = int(em.node.receipt(tx)["blockNumber"], 16)
            # The block's rows commit in the same transaction that moves the checkpoint past it.
            while not await conn.fetchval("SELECT 1 FROM chains WHERE indexed_block >= $1", block):
                await asyncio.sleep(0.002)
                if time.perf_counter() - mined > 10:
                    raise RuntimeError("live event not indexed within 10 s")
            out.append(time.perf_counter() - mined)
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    return out


def _native(pid: int):
    """The anvil process itself (the npm launcher may run it as a child)."""
    import psutil

    p = psutil.Process(pid)
    kids = p.children(recursive=True)
    return kids[-1] if kids else p


def _cpu(p) -> float:
    try:
        t = p.cpu_times()
        return t.user + t.system
    except Exception:  # noqa: BLE001
        return 0.0


def _high_water_kb(pid: int) -> int:
    """The peak resident set of process ``pid`` so far (VmHWM, kB; 0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _wait(
    proc: subprocess.Popen, pgdata: Path | None
) -> tuple[resource.struct_rusage, int, float | None]:
    """Wait for ``proc``; its resource usage, its own peak RSS (kB, sampled from /proc) and the
    CPU seconds spent meanwhile by the PostgreSQL server (backends, I/O workers, WAL
    writer...), its processes sampled until the indexer exits since a backend's counters vanish
    with it (None when the server is not the embedded one)."""
    import psutil

    try:
        master = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))
    except (OSError, ValueError, TypeError, AttributeError, psutil.Error):
        master = None
    start = {p.pid: _cpu(p) for p in master.children()} if master else {}
    seen: dict[int, float] = dict(start)
    hwm = 0
    while True:
        hwm = max(hwm, _high_water_kb(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        if master is not None:
            for p in master.children():
                seen[p.pid] = _cpu(p)
        time.sleep(0.1)
    return usage, hwm, (sum(seen.values()) - sum(start.values()) if master else None)


def _database(pgdata: Path) -> str:
    """A fresh database on the configured server (the embedded one by default)."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        # The embedded default, with the settings the indexer applies to it.
        base = embedded_url(pgdata)
        asyncio.run(tune_embedded(base, pgdata))
    url = with_database(base, f"bench_{uuid.uuid4().hex[:10]}")
    asyncio.run(ensure_database(url))
    return url


def _backfill(manifest: Path, url: str, pgdata: Path, node_pid: int) -> dict:
    """Index the whole chain with ``python -m indexer`` from process start to exit."""
    env = indexer_env(manifest, url, exit_when_synced="true", progress="off", log_level="WARNING")
    anvil = _native(node_pid)
    anvil_cpu0 = _cpu(anvil)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "indexer"], env=env)
    usage, hwm, pg_cpu = _wait(proc, None if os.environ.get("DATABASE_URL") else pgdata)
    if proc.returncode != 0:
        raise SystemExit("indexer failed")
    wall = time.perf_counter() - t0
    return {
        "events": asyncio.run(_count(url)),
        "wall": wall,
        # ru_maxrss also counts the benchmark's own pages when the child was spawned (vfork):
        # kept for comparison with earlier figures; VmHWM is the indexer's own peak.
        "rss_mb": usage.ru_maxrss / 1024,
        "hwm_mb": hwm / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "pg_cpu": pg_cpu,
        "anvil_cpu": _cpu(anvil) - anvil_cpu0,
    }


def _n(x: float) -> str:
    """A whole number with spaces between thousands (``74 583``)."""
    return f"{x:,.0f}".replace(",", " ")


def _cpu_line(r: dict) -> str:
    total = r["cpu"] + (r["pg_cpu"] or 0.0) + r["anvil_cpu"]
    pg = "n/a" if r["pg_cpu"] is None else f"{r['pg_cpu']:.1f} s"
    return (
        f"cpu: indexer {r['cpu']:.1f} s, postgres {pg}, anvil {r['anvil_cpu']:.1f} s;"
        f" {_n(r['events'] / total)} events per CPU-second; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def bulk(args: argparse.Namespace, pgdata: Path) -> None:
    """10,000 logs per transaction in few blocks, then the live-follow latency."""
    node = Anvil()
    try:
        em = Emitter(node)
        t0 = time.perf_counter()
        n = generate(em, args.events)
        print(f"generated {n} events in {time.perf_counter() - t0:.1f} s", flush=True)
        url = _database(pgdata)
        folder = Path(tempfile.mkdtemp(prefix="indexer-bench-"))
        manifest = folder / "manifest.json"
        write_manifest(
            manifest,
            node.chain_id,
            node.url,
            {"EMIT": (em.address, em.block, em.tx, em.abi)},
            network="besu:local:bench",
        )
        r = _backfill(manifest, url, pgdata, node.proc.pid)
        indexed, wall = r["events"], r["wall"]
        print(f"indexer: {_n(indexed / wall)} events/s")
        print(
            f"backfill: {indexed} events in {wall:.2f} s wall (process start to exit), "
            f"peak RSS {r['rss_mb']:.0f} MB (getrusage; the indexer's own VmHWM {r['hwm_mb']:.0f} MB)"
        )
        print(_cpu_line(r), flush=True)
        if indexed != n:
            print(f"WARNING: {indexed} events indexed, {n} emitted")

        env = indexer_env(manifest, url, progress="off", log_level="WARNING", poll_interval="0.1")
        live = subprocess.Popen([sys.executable, "-m", "indexer"], env=env)
        try:
            time.sleep(3)
            lat = asyncio.run(_latency(url, em, args.latency_samples))
        finally:
            live.terminate()
            live.wait(20)
        lat.sort()
        p50 = statistics.median(lat) * 1000
        p95 = lat[max(0, int(len(lat) * 0.95) - 1)] * 1000
        print(
            f"live: block mined → row committed p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"({len(lat)} samples)",
            flush=True,
        )
    finally:
        node.stop()


def realistic(args: argparse.Namespace, pgdata: Path) -> None:
    """Many blocks with few logs (benchmarks/chainshape.py), from an empty database."""
    t0 = time.perf_counter()
    chain = chainshape.start(args.blocks)
    try:
        print(
            f"realistic chain: {args.blocks} blocks, {chain.events} events, ready in"
            f" {time.perf_counter() - t0:.0f} s",
            flush=True,
        )
        url = _database(pgdata)
        folder = Path(tempfile.mkdtemp(prefix="indexer-bench-"))
        manifest = folder / "manifest.json"
        write_manifest(
            manifest,
            chain.node.chain_id,
            chain.node.url,
            {name: (*c, chain.abi) for name, c in chain.contracts.items()},
            network="besu:local:bench",
        )
        r = _backfill(manifest, url, pgdata, chain.node.proc.pid)
        indexed, wall = r["events"], r["wall"]
        print(f"indexer realistic: {_n(indexed / wall)} events/s, peak RSS {r['hwm_mb']:.0f} MB")
        print(
            f"realistic backfill: {indexed} events in {args.blocks} blocks, {wall:.2f} s wall"
            " (process start to exit)"
        )
        print(_cpu_line(r), flush=True)
        if indexed != chain.events:
            print(f"WARNING: {indexed} events indexed, {chain.events} emitted")
    finally:
        chain.node.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000, help="bulk shape: events")
    ap.add_argument("--latency-samples", type=int, default=100)
    ap.add_argument("--blocks", type=int, default=50_000, help="realistic shape: blocks")
    ap.add_argument(
        "--shape",
        choices=("all", "bulk", "realistic"),
        default="all",
        help="which chain shape to run (default: both)",
    )
    args = ap.parse_args()
    if args.events < 1 or args.blocks < 1:
        ap.error("--events and --blocks must be at least 1")
    pgdata = runtime_dir() / "pgdata"
    if args.shape in ("all", "bulk"):
        bulk(args, pgdata)
    if args.shape in ("all", "realistic"):
        realistic(args, pgdata)


if __name__ == "__main__":
    main()
