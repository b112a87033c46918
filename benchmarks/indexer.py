"""Indexer benchmark: ≥ 1,000,000 events on a fresh anvil, backfilled from an empty database.

``python -m benchmarks.indexer [--events N]`` prints ``indexer: N events/s``, the wall time, the
indexer's peak RSS and the live-follow latency (block mined → row committed) p50/p95. It prints
figures and never asserts them.
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


def _watch_backends(proc: subprocess.Popen, pgdata: Path | None) -> float | None:
    """CPU seconds spent by the PostgreSQL server (backends, I/O workers, WAL writer...) while
    the indexer runs: its processes are sampled until the indexer exits, since a backend's
    counters vanish with it. None when the server is not the embedded one."""
    import psutil

    try:
        master = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))
    except (OSError, ValueError, TypeError, psutil.Error):
        proc.wait()
        return None
    start = {p.pid: _cpu(p) for p in master.children()}
    seen: dict[int, float] = dict(start)
    while proc.poll() is None:
        for p in master.children():
            seen[p.pid] = _cpu(p)
        time.sleep(0.1)
    return sum(seen.values()) - sum(start.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--latency-samples", type=int, default=100)
    args = ap.parse_args()

    node = Anvil()
    try:
        em = Emitter(node)
        t0 = time.perf_counter()
        n = generate(em, args.events)
        print(f"generated {n} events in {time.perf_counter() - t0:.1f} s", flush=True)

        pgdata = runtime_dir() / "pgdata"
        base = os.environ.get("DATABASE_URL")
        if not base:
            # The embedded default, with the settings the indexer applies to it.
            base = embedded_url(pgdata)
            asyncio.run(tune_embedded(base, pgdata))
        url = with_database(base, f"bench_{uuid.uuid4().hex[:10]}")
        asyncio.run(ensure_database(url))
        folder = Path(tempfile.mkdtemp(prefix="indexer-bench-"))
        manifest = folder / "manifest.json"
        write_manifest(
            manifest,
            node.chain_id,
            node.url,
            {"EMIT": (em.address, em.block, em.tx, em.abi)},
            network="besu:local:bench",
        )
        env = indexer_env(
            manifest, url, exit_when_synced="true", progress="off", log_level="WARNING"
        )

        anvil = _native(node.proc.pid)
        anvil_cpu0 = _cpu(anvil)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "indexer"], env=env)
        pg_cpu = _watch_backends(proc, None if os.environ.get("DATABASE_URL") else pgdata)
        if proc.wait() != 0:
            raise SystemExit("indexer failed")
        wall = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        indexed = asyncio.run(_count(url))
        print(f"indexer: {indexed / wall:,.0f} events/s".replace(",", " "))
        print(
            f"backfill: {indexed} events in {wall:.2f} s wall (process start to exit), "
            f"peak RSS {rss_mb:.0f} MB"
        )
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        ix_cpu = ru.ru_utime + ru.ru_stime
        an_cpu = _cpu(anvil) - anvil_cpu0
        total = ix_cpu + (pg_cpu or 0.0) + an_cpu
        pg = "n/a" if pg_cpu is None else f"{pg_cpu:.1f} s"
        print(
            f"cpu: indexer {ix_cpu:.1f} s, postgres {pg}, anvil {an_cpu:.1f} s;"
            f" {indexed / total:,.0f} events per CPU-second; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores".replace(",", " ")
        )
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
            f"({len(lat)} samples)"
        )
    finally:
        node.stop()


if __name__ == "__main__":
    main()
