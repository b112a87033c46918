"""The API benchmark's live mode: the unified profile under a Zipf load while blocks arrive.

Addresses are drawn from a Zipf distribution (exponent ``ZIPF_S``) over the holders (ranked in a
random order); wrk sends the load (benchmarks/profile.lua over a file of drawn addresses). Every
``BLOCK_SECONDS`` one block of ERC-20 transfers among random holders, touching about 1% of them,
is committed through the indexer's own store (``ChainStore.write``: the indexer's code path and
transaction, entity records and NOTIFY included; no node, which would cost the load generator
CPU), and the API learns of it the way it does in production (LISTEN, head poll). Staleness is
the time from a block's commit to the API answering the new balance of an account the block
changed, probed over HTTP for the hottest accounts of each block.

The measured run follows a warm-up of the same load, blocks arriving (``warmup`` seconds): a
production API has served for hours, its caches hold the working set, while a freshly started
worker holds nothing. Hit rate, req/s, latency, blocks and staleness count the measured run only.

The hit rate is read from the workers' Prometheus counters (``api_response_cache_total``).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from pathlib import Path

import aiohttp
import numpy as np

from benchmarks.apidata import token_address
from benchmarks.blocks import write_block
from benchmarks.loadtest import pct
from indexer.store import ChainStore, connect

ZIPF_S = 1.1
BLOCK_SECONDS = 1.0
CHAIN = 31337
FINALITY_LAG = 64
PROBES_PER_BLOCK = 5
_COUNTER = re.compile(r'^api_response_cache_total\{result="(hit|miss)"\} ([0-9.e+]+)$', re.M)


def zipf_file(addresses: list[str], path: Path, draws: int, seed: int = 1) -> list[str]:
    """Write ``draws`` addresses drawn from Zipf(``ZIPF_S``) over ``addresses`` (ranked in a
    random order), one a line; returns the addresses by rank, hottest first."""
    rng = np.random.default_rng(seed)
    ranked = list(addresses)
    random.Random(seed).shuffle(ranked)
    weights = np.arange(1, len(ranked) + 1, dtype=float) ** -ZIPF_S
    picks = rng.choice(len(ranked), size=draws, p=weights / weights.sum())
    path.write_text("\n".join(ranked[i] for i in picks) + "\n")
    return ranked


async def cache_counters(url: str, workers: int) -> tuple[float, float]:
    """Hits and misses summed over the API's workers: /metrics answers from one worker at a
    time, so it is asked on new connections until ``workers`` distinct readings were seen."""
    seen: set[tuple[float, float]] = set()
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as s:
        for _ in range(200):
            async with s.get(url + "/metrics") as r:
                text = await r.text()
            values = dict(_COUNTER.findall(text))
            seen.add((float(values.get("hit", 0)), float(values.get("miss", 0))))
            if len(seen) >= workers:
                break
    return sum(h for h, _ in seen), sum(m for _, m in seen)


async def _balance(conn, token: bytes, holder: bytes) -> str | None:
    amount = await conn.fetchval(
        "SELECT amount FROM balances WHERE chain_id = $1 AND token = $2 AND token_id = 0"
        " AND holder = $3",
        CHAIN,
        token,
        holder,
    )
    return str(amount) if amount is not None and amount > 0 else None


async def _probe(session, url: str, address: str, token_hex: str, want, committed: float, out):
    """Poll the profile of ``address`` until it shows ``want`` as its GST balance on the chain;
    appends the time since ``committed`` (ms) to ``out``."""
    deadline = committed + 10
    while time.monotonic() < deadline:
        async with session.get(f"{url}/api/v1/esg/unified-profile/{address}") as r:
            doc = await r.json(content_type=None)
        got = next(
            (
                b["amount"]
                for b in doc.get("balances", ())
                if b["chain_id"] == CHAIN and b["contract"].lower() == token_hex
            ),
            None,
        )
        if got == want:
            out.append((time.monotonic() - committed) * 1000)
            return
        await asyncio.sleep(0.002)
    out.append(float("inf"))


async def chain_writer(
    db_url: str, api_url: str, ranked: list[str], stop: asyncio.Event, measured: asyncio.Event
) -> dict:
    """Commit a block every ``BLOCK_SECONDS`` until ``stop``; probe staleness after each block
    committed once ``measured`` is set (the blocks before it belong to the warm-up)."""
    conn = await connect(db_url)
    token = token_address(CHAIN, "GST")
    token_hex = "0x" + token.hex()
    rank = {a: i for i, a in enumerate(ranked)}
    touched_per_block = max(2, len(ranked) // 100)
    staleness: list[float] = []
    probes: list[asyncio.Task] = []
    blocks = 0
    rng = random.Random(2)
    try:
        store = ChainStore(conn, CHAIN)
        cp = await store.setup("ethereum:local:foundry", 0, [])
        number = cp.indexed
        async with aiohttp.ClientSession() as session:
            next_at = time.monotonic()
            while not stop.is_set():
                holders = rng.sample(ranked, touched_per_block)
                moves = [(holders[i], holders[i + 1], 1) for i in range(0, len(holders) - 1, 2)]
                number += 1
                await write_block(store, number, token, moves, finality_lag=FINALITY_LAG)
                committed = time.monotonic()
                next_at += BLOCK_SECONDS
                if measured.is_set():
                    blocks += 1
                    hot = sorted(holders, key=rank.__getitem__)[:PROBES_PER_BLOCK]
                    for a in hot:
                        want = await _balance(conn, token, bytes.fromhex(a[2:]))
                        probes.append(
                            asyncio.create_task(
                                _probe(session, api_url, a, token_hex, want, committed, staleness)
                            )
                        )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(0.0, next_at - time.monotonic()))
            await asyncio.gather(*probes)
    finally:
        await conn.close()
    return {"blocks": blocks, "staleness": staleness}


async def run(
    db_url: str,
    api_url: str,
    addresses: list[str],
    work: Path,
    seconds: int,
    workers: int,
    drive,
    warmup: int = 0,
    cpu=None,
) -> dict:
    """The live run: ``drive(file, seconds)`` (a coroutine) sends the load from an address file
    while blocks arrive, ``warmup`` seconds unmeasured, then ``seconds`` measured; returns the
    measured run's result with ``hit_rate``, ``warmup_hit_rate``, ``blocks`` and staleness, and
    ``cpu``: what ``cpu()`` (a blocking function, run in a thread) returned before and after
    the measured run."""
    cpu = cpu or (lambda: None)
    path = work / "zipf.txt"
    ranked = zipf_file(addresses, path, draws=500_000)
    stop, measured = asyncio.Event(), asyncio.Event()
    writer = asyncio.create_task(chain_writer(db_url, api_url, ranked, stop, measured))
    try:
        hw, mw = await cache_counters(api_url, workers)
        if warmup > 0:
            await drive(path, warmup)
        h0, m0 = await cache_counters(api_url, workers)
        measured.set()
        cpu0 = await asyncio.to_thread(cpu)
        result = await drive(path, seconds)
        result["cpu"] = (cpu0, await asyncio.to_thread(cpu))
    finally:
        stop.set()
        chain = await writer
    h1, m1 = await cache_counters(api_url, workers)
    hits, misses = h1 - h0, m1 - m0
    result["hit_rate"] = 100 * hits / max(1.0, hits + misses)
    result["warmup_hit_rate"] = 100 * (h0 - hw) / max(1.0, h0 - hw + m0 - mw)
    result["blocks"] = chain["blocks"]
    stale = chain["staleness"]
    result["staleness_p50"] = pct(stale, 50)
    result["staleness_p99"] = pct(stale, 99)
    result["probes"] = len(stale)
    return result
