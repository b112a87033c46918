"""API benchmark: ``python -m benchmarks.api``.

Loads (once; ``--reload`` forces it) a database with ≥ 1,000,000 transfers and ≥ 100,000 holders
(benchmarks/apidata.py), measures the unified-profile statement inside PostgreSQL (EXPLAIN ANALYZE
execution time over random holders), starts the API as in production (``python -m api`` with
several uvicorn workers), drives it with wrk (installed with apt-get when missing; a Python load
generator otherwise) against the unified profile of random holders, and prints ``api: N req/s``,
latency p50/p95/p99, errors and each worker's RSS (``--rate N`` adds a run at a constant N req/s,
open loop). Then runs the seed's staged load test with short stages (``--no-staged`` skips it).
Then the live mode (benchmarks/apilive.py, on a database of its own, ``--no-live`` skips it): a
Zipf load for 60 s, after a warm-up of the same load (``--live-warmup``, 60 s), while a block
touching 1% of the holders arrives every second, printing
``api live: N req/s, p99 M ms, hit rate H%, staleness p99 S ms``.
Prints figures, never asserts them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import orjson
import psutil

from api.sql.profile import PROFILE
from benchmarks import apidata, apilive
from benchmarks.devnet import free_port
from benchmarks.loadtest import SHORT, pct, report
from benchmarks.loadtest import run as staged_run
from esg.database import embedded_url, ensure_database, with_database
from esg.paths import PROJECT_ROOT, runtime_dir
from indexer.store import migrate

LUA = PROJECT_ROOT / "benchmarks" / "profile.lua"


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL") or embedded_url()
    url = with_database(base, name)
    asyncio.run(ensure_database(url))
    return url


async def measure_sql(url: str, addresses: list[str], samples: int) -> dict:
    """Server-side execution time of the profile statement (EXPLAIN ANALYZE), plus the
    client round trip of the prepared statement, over random holders."""
    # The API runs the profile with generic plans (api.db.create_pool); so does this.
    conn = await asyncpg.connect(url, server_settings={"plan_cache_mode": "force_generic_plan"})
    try:
        rows = await conn.fetch("SELECT chain_id, finalized_block FROM chains ORDER BY chain_id")
        chains, finalized = [r[0] for r in rows], [r[1] for r in rows]
        picks = [bytes.fromhex(a[2:]) for a in random.sample(addresses, samples)]
        exec_ms, plan_ms = [], []
        for a in picks:
            plan = await conn.fetchval(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + PROFILE, a, chains, 100, finalized
            )
            doc = orjson.loads(plan)[0] if isinstance(plan, str) else plan[0]
            exec_ms.append(doc["Execution Time"])
            plan_ms.append(doc["Planning Time"])
        stmt = await conn.prepare(PROFILE)
        rtt = []
        for a in picks:
            t = time.perf_counter()
            await stmt.fetchval(a, chains, 100, finalized)
            rtt.append((time.perf_counter() - t) * 1000)
    finally:
        await conn.close()
    return {"exec": exec_ms, "plan": plan_ms, "rtt": rtt}


def start_api(
    url: str, port: int, workers: int, access_log: bool, log: Path, cache_entries: int | None = None
):
    env = dict(os.environ)
    if cache_entries is not None:
        env["API_RESPONSE_CACHE_ENTRIES"] = str(cache_entries)
    env.update(
        {
            "DATABASE_URL": url,
            "API_PORT": str(port),
            "API_WORKERS": str(workers),
            "API_RATE_LIMIT": "0",
            "API_ACCESS_LOG": "true" if access_log else "false",
            "API_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
    )
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "api"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"API exited; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        raise SystemExit("API did not become ready")
    time.sleep(1.0 * workers)  # every worker has opened its pool
    return proc


def _cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


async def _postgres_processes(url: str) -> list[psutil.Process]:
    """The local PostgreSQL server's processes (postmaster and backends); [] if not local."""
    conn = await asyncpg.connect(url)
    try:
        data_dir = await conn.fetchval("SHOW data_directory")
    finally:
        await conn.close()
    try:
        pid = int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
        master = psutil.Process(pid)
        return [master, *master.children(recursive=True)]
    except (OSError, ValueError, psutil.Error):
        return []


def cpu_probe(proc: subprocess.Popen, url: str):
    """A function returning CPU seconds used so far by the API's processes and by PostgreSQL's
    (the machine is shared, so CPU per request compares runs better than req/s alone)."""

    def api_procs() -> list[psutil.Process]:
        try:
            return [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def probe() -> tuple[float, float]:
        pg = asyncio.run(_postgres_processes(url))
        return _cpu_seconds(api_procs()), _cpu_seconds(pg)

    return probe


def workers_rss(proc: subprocess.Popen) -> list[float]:
    """RSS (MB) of each uvicorn worker process (the supervisor's children that serve; the
    process itself when it serves alone, with one worker)."""
    try:
        main = psutil.Process(proc.pid)
        kids = main.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for k in kids:
        try:
            if "resource_tracker" not in " ".join(k.cmdline()):
                out.append(k.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            pass
    if not out:
        with contextlib.suppress(psutil.NoSuchProcess):
            out.append(main.memory_info().rss / 2**20)
    return out


def find_wrk(install: bool) -> str | None:
    path = shutil.which("wrk")
    if path or not install:
        return path
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing wrk (apt-get install -y wrk)", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return shutil.which("wrk")


def run_wrk(
    wrk: str, port: int, addr_file: Path, seconds: int, connections: int, threads: int
) -> dict:
    env = dict(os.environ, BENCH_ADDRS=str(addr_file))
    out = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    r = orjson.loads(line[6:])
    return {
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
        "errors": r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"],
        "requests": r["requests"],
    }


async def _failed(session, url: str) -> bool:
    """GET ``url``; whether it failed (a status other than 200, or no answer)."""
    import aiohttp

    try:
        async with session.get(url) as r:
            await r.read()
            return r.status != 200
    except aiohttp.ClientError:
        return True


def _summary(lat: list[float], errors: int, seconds: float) -> dict:
    return {
        "rps": len(lat) / seconds,
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "p99": pct(lat, 99),
        "errors": errors,
        "requests": len(lat),
    }


async def python_load(port: int, addresses: list[str], seconds: int, connections: int) -> dict:
    import aiohttp

    lat: list[float] = []
    errors = 0
    end = time.monotonic() + seconds
    base = f"http://127.0.0.1:{port}/api/v1/esg/unified-profile/"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:

        async def user():
            nonlocal errors
            while time.monotonic() < end:
                t = time.perf_counter()
                errors += await _failed(s, base + random.choice(addresses))
                lat.append((time.perf_counter() - t) * 1000)

        t0 = time.monotonic()
        await asyncio.gather(*(user() for _ in range(connections)))
        took = time.monotonic() - t0
    return _summary(lat, errors, took)


async def constant_rate(port: int, addresses: list[str], seconds: int, rate: int) -> dict:
    """Open-loop load: one request every ``1/rate`` s whatever the answers' latency (aiohttp,
    at most 256 connections), each timed from when it was due, so a queue in the server shows
    in the latency rather than slowing the sender (wrk's closed loop of 64 connections)."""
    import aiohttp

    lat: list[float] = []
    errors = 0
    base = f"http://127.0.0.1:{port}/api/v1/esg/unified-profile/"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as s:

        async def one(due: float) -> None:
            nonlocal errors
            errors += await _failed(s, base + random.choice(addresses))
            lat.append((time.perf_counter() - due) * 1000)

        tasks = []
        start = time.perf_counter()
        for i in range(seconds * rate):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(due)))
        sent = time.perf_counter() - start
        await asyncio.gather(*tasks)
        answered = time.perf_counter() - start
    # rps: the rate sent; served: the answers over the time until the last one came
    return _summary(lat, errors, sent) | {"served": len(lat) / answered}


def main() -> None:
    ap = argparse.ArgumentParser(description="API benchmark (prints, never asserts)")
    ap.add_argument("--database", default="bench_api", help="database name on the server")
    ap.add_argument("--transfers", type=int, default=1_000_000)
    ap.add_argument("--holders", type=int, default=100_000)
    ap.add_argument("--reload", action="store_true", help="regenerate the data")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument(
        "--hot",
        type=int,
        default=0,
        help="also run against only the first N holders (cache-friendly)",
    )
    ap.add_argument("--sql-samples", type=int, default=500)
    ap.add_argument("--no-access-log", action="store_true")
    ap.add_argument("--python-load", action="store_true", help="skip wrk")
    ap.add_argument(
        "--rate",
        type=int,
        default=0,
        help="also send random profiles at this constant rate (req/s, open loop) and time them",
    )
    ap.add_argument("--no-staged", action="store_true", help="skip the staged load test")
    ap.add_argument("--staged-scale", type=float, default=1.0)
    ap.add_argument("--live-seconds", type=int, default=60, help="length of the live run")
    ap.add_argument(
        "--live-warmup",
        type=int,
        default=60,
        help="seconds of the same load (blocks arriving) before the measured live run",
    )
    ap.add_argument(
        "--live-cache-entries",
        type=int,
        default=100_000,
        help="answers each worker keeps in the live run (API_RESPONSE_CACHE_ENTRIES)",
    )
    ap.add_argument("--no-live", action="store_true", help="skip the live run")
    ap.add_argument("--only-live", action="store_true", help="only the live run")
    args = ap.parse_args()

    if not args.only_live:
        standard(args)
    if not args.no_live:
        live(args)


def prepared(name: str, args) -> tuple[str, list[str]]:
    """The URL of benchmark database ``name``, loaded (once) and migrated, and its holders."""
    url = database_url(name)
    t, h = asyncio.run(_loaded(url))
    if args.reload or t < args.transfers or h < args.holders:
        asyncio.run(apidata.load(url, args.transfers, args.holders))
        t, h = asyncio.run(_loaded(url))
    else:
        asyncio.run(_migrated(url))
    print(f"data ({name}): {t:,} transfers, {h:,} holders with a balance", flush=True)
    return url, asyncio.run(apidata.sample_holders(url, args.holders))


def live(args) -> None:
    """The live Zipf run (benchmarks/apilive.py) on a database of its own, whose chain grows."""
    url, addresses = prepared(args.database + "_live", args)
    work = Path(tempfile.mkdtemp(prefix="bench-api-live-", dir=runtime_dir()))
    port = free_port()
    log = work / "api.log"
    print(
        f"load average before the live run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        flush=True,
    )
    proc = start_api(url, port, args.workers, not args.no_access_log, log, args.live_cache_entries)
    wrk = None if args.python_load else find_wrk(install=True)
    api_url = f"http://127.0.0.1:{port}"

    async def drive(file: Path, seconds: int) -> dict:
        if wrk:
            return await asyncio.to_thread(
                run_wrk, wrk, port, file, seconds, args.connections, args.threads
            )
        addrs = file.read_text().split()
        return await python_load(port, addrs, seconds, args.connections)

    probe = cpu_probe(proc, url)
    try:
        r = asyncio.run(
            apilive.run(
                url,
                api_url,
                addresses,
                work,
                args.live_seconds,
                args.workers,
                drive,
                warmup=args.live_warmup,
                cpu=probe,
            )
        )
        cpu0, cpu1 = r["cpu"]
        rss = workers_rss(proc)
    finally:
        proc.terminate()
        proc.wait(20)
    gen = "wrk" if wrk else "python load generator"
    print(
        f"[live: Zipf s={apilive.ZIPF_S} over {len(addresses):,} holders; a block every "
        f"{apilive.BLOCK_SECONDS:g} s touching 1% of them ({r['blocks']} blocks); "
        f"{args.workers} workers; {args.connections} connections; {gen}; {args.live_seconds} s "
        f"measured after {args.live_warmup} s of warm-up; {args.live_cache_entries:,} answers "
        "kept per worker]"
    )
    warm = f"hit rate over the warm-up {r['warmup_hit_rate']:.1f}%; " if args.live_warmup else ""
    print(f"{warm}worker RSS after the run: " + ", ".join(f"{x:.0f} MB" for x in rss))
    print(
        f"latency: p50 {r['p50']:.2f} ms  p95 {r['p95']:.2f} ms  p99 {r['p99']:.2f} ms; "
        f"errors: {r['errors']} of {r['requests']} requests; staleness p50 "
        f"{r['staleness_p50']:.0f} ms over {r['probes']} probes"
    )
    n = max(r["requests"], 1)
    print(
        f"CPU per request: API {(cpu1[0] - cpu0[0]) / n * 1000:.3f} ms, "
        f"PostgreSQL {(cpu1[1] - cpu0[1]) / n * 1000:.3f} ms (blocks written included)"
    )
    print(
        f"api live: {r['rps']:.0f} req/s, p99 {r['p99']:.1f} ms, hit rate {r['hit_rate']:.1f}%, "
        f"staleness p99 {r['staleness_p99']:.0f} ms",
        flush=True,
    )
    print(f"load average after the live run: {os.getloadavg()[0]:.2f}; API log: {log}")


def standard(args) -> None:
    url, addresses = prepared(args.database, args)

    sql = asyncio.run(measure_sql(url, addresses, min(args.sql_samples, len(addresses))))
    print(
        f"profile SQL (in the database, EXPLAIN ANALYZE execution): "
        f"p50 {statistics.median(sql['exec']):.2f} ms  p95 {pct(sql['exec'], 95):.2f} ms  "
        f"(planning p50 {statistics.median(sql['plan']):.2f} ms, prepared round trip "
        f"p50 {statistics.median(sql['rtt']):.2f} / p95 {pct(sql['rtt'], 95):.2f} ms)",
        flush=True,
    )

    work = Path(tempfile.mkdtemp(prefix="bench-api-", dir=runtime_dir()))
    addr_file = work / "addresses.txt"
    addr_file.write_text("\n".join(addresses) + "\n")
    port = free_port()
    log = work / "api.log"
    print(
        f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        flush=True,
    )
    proc = start_api(url, port, args.workers, not args.no_access_log, log)
    wrk = None if args.python_load else find_wrk(install=True)
    probe = cpu_probe(proc, url)
    try:
        runs = [("random holders", addresses, addr_file)]
        if args.hot:
            hot_file = work / "hot.txt"
            hot_file.write_text("\n".join(addresses[: args.hot]) + "\n")
            runs.append((f"hot set of {args.hot}", addresses[: args.hot], hot_file))
        for label, addrs, file in runs:
            # Warm-up: connections, statement caches, code paths.
            _drive(wrk, port, file, addrs, 3, args)
            peak: list[float] = []
            cpu0 = probe()
            result = _drive(wrk, port, file, addrs, args.seconds, args, peak, proc)
            cpu1 = probe()
            gen = "wrk" if wrk else "python load generator"
            print(
                f"[{label}; {args.workers} workers; {args.connections} connections; {gen}; "
                f"{args.seconds} s; access log {'off' if args.no_access_log else 'on'}]"
            )
            print(f"api: {result['rps']:.0f} req/s")
            print(
                f"latency: p50 {result['p50']:.2f} ms  p95 {result['p95']:.2f} ms  "
                f"p99 {result['p99']:.2f} ms"
            )
            print(f"errors: {result['errors']} of {result['requests']} requests")
            n = max(result["requests"], 1)
            print(
                f"CPU per request: API {(cpu1[0] - cpu0[0]) / n * 1000:.3f} ms, "
                f"PostgreSQL {(cpu1[1] - cpu0[1]) / n * 1000:.3f} ms"
            )
            rss = workers_rss(proc)
            print(
                "worker RSS: "
                + ", ".join(f"{r:.0f} MB" for r in rss)
                + (f" (peak during run {max(peak):.0f} MB)" if peak else ""),
                flush=True,
            )
        if args.rate > 0:
            r = asyncio.run(constant_rate(port, addresses, args.seconds, args.rate))
            print(
                f"[random holders at a constant {args.rate} req/s, open loop; {args.seconds} s; "
                f"load average {os.getloadavg()[0]:.2f}]"
            )
            print(
                f"constant rate: {r['rps']:.0f} req/s sent, {r['served']:.0f} served, p50 {r['p50']:.2f} ms  p95 "
                f"{r['p95']:.2f} ms  p99 {r['p99']:.2f} ms; errors: {r['errors']} of "
                f"{r['requests']} requests",
                flush=True,
            )
        if not args.no_staged:
            stages = [(d * args.staged_scale, n) for d, n in SHORT]
            print(f"staged load test (seed's k6 stages, shortened: {stages})", flush=True)
            report(asyncio.run(staged_run(f"http://127.0.0.1:{port}", stages, addresses)))
    finally:
        proc.terminate()
        proc.wait(20)
    print(f"API log: {log}")


def _drive(wrk, port, file, addrs, seconds, args, peak=None, proc=None) -> dict:
    sampler = None
    if peak is not None and proc is not None:
        import threading

        stop = threading.Event()

        def sample():
            while not stop.wait(1.0):
                peak.extend(workers_rss(proc))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    try:
        if wrk:
            return run_wrk(wrk, port, file, seconds, args.connections, args.threads)
        return asyncio.run(python_load(port, addrs, seconds, args.connections))
    finally:
        if sampler is not None:
            stop.set()
            sampler.join()


async def _migrated(url: str) -> None:
    """Apply the migrations a database loaded by an older version lacks."""
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


async def _loaded(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        return await apidata.loaded(conn)
    finally:
        await conn.close()


if __name__ == "__main__":
    main()
