"""Databases, manifests, running the indexer (in this process or as a subprocess), table dumps,
and an RPC fault proxy."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import orjson
from aiohttp import ClientSession, web

from benchmarks.devnet import compile_emitter, indexer_env, write_manifest
from benchmarks.devnet import free_port as free_port
from esg import database as esg_database
from esg.database import embedded_url, ensure_database, with_database
from indexer.__main__ import run as run_indexer
from indexer.projections import load
from indexer.projections.schema import TABLES
from indexer.settings import Settings
from indexer.store import connect, migrate, missing_deferred_indexes, sync_projections

# Tables that must equal a fresh index row for row, with their keys: the ledger and every
# declared projection table (blocks and chains are bookkeeping).
load()
COMPARED = {
    "events": "chain_id, block_number, log_index",
    "transfers": "chain_id, block_number, log_index, batch_index",
    "balances": "chain_id, token, token_id, holder",
    "supplies": "chain_id, token, token_id",
    "accounts": "chain_id, address",
    **{t.name: ", ".join(t.key) for t in TABLES.values()},
}

EMITTER_ABI = compile_emitter()[0]


def server_url() -> str:
    """The test PostgreSQL server: DATABASE_URL's if set, else the embedded one."""
    return os.environ.get("DATABASE_URL") or embedded_url()


def new_database(prefix: str = "idx") -> str:
    url = with_database(server_url(), f"{prefix}_{uuid.uuid4().hex[:12]}")
    asyncio.run(ensure_database(url))
    return url


def new_schema_database(prefix: str = "idx") -> str:
    """A new database holding the indexer's schema (migrations and declared tables), no rows."""
    url = new_database(prefix)

    async def schema() -> None:
        conn = await connect(url)
        try:
            await migrate(conn)
            await sync_projections(conn, {})
        finally:
            await conn.close()

    asyncio.run(schema())
    return url


def drop_database(url: str) -> None:
    """Drop a test database (its name is the URL's path) once nothing uses it."""
    asyncio.run(esg_database.drop_database(url))


def manifest_for(path: Path, chain_id: int, rpc_url: str, contracts) -> Path:
    """Manifest at ``path`` for ape contract instances ``{name: (contract, receipt)}``."""
    write_manifest(
        path,
        chain_id,
        rpc_url,
        {
            name: (c.address, r.block_number, r.txn_hash, EMITTER_ABI)
            for name, (c, r) in contracts.items()
        },
    )
    return path


def settings(url: str, manifest: Path, chain_id: int, **kw) -> Settings:
    base = dict(
        database_url=url,
        manifest=manifest,
        exit_when_synced=True,
        metrics_port=0,
        progress="off",
        finality={chain_id: "depth:32"},
        reorg_window=64,
        poll_interval=0.05,
    )
    base.update(kw)
    return Settings(**base)


def index_once(url: str, manifest: Path, chain_id: int, **kw) -> None:
    """Index until the node's head, in this process."""
    asyncio.run(run_indexer(settings(url, manifest, chain_id, **kw)))


@contextmanager
def following(url: str, manifest: Path, chain_id: int, **kw):
    """``spawn`` for the duration of a ``with`` block, stopped with SIGTERM at its end (its stderr
    stays readable)."""
    proc = spawn(url, manifest, chain_id, **kw)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def spawn(url: str, manifest: Path, chain_id: int, **kw) -> subprocess.Popen:
    """``python -m indexer`` following the chain live, in a subprocess."""
    kw.setdefault("finality", {str(chain_id): "depth:32"})
    kw.setdefault("poll_interval", "0.05")
    kw.setdefault("progress", "off")
    kw.setdefault("log_level", "WARNING")
    env = indexer_env(manifest, url, **kw)
    return subprocess.Popen(
        [sys.executable, "-m", "indexer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _fetch(url: str, sql: str, *args):
    conn = await connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


def query(url: str, sql: str, *args) -> list:
    return asyncio.run(_fetch(url, sql, *args))


def dump(url: str) -> dict[str, list[tuple]]:
    async def go():
        conn = await connect(url)
        try:
            return {
                t: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY {k}")]
                for t, k in COMPARED.items()
            }
        finally:
            await conn.close()

    return asyncio.run(go())


def assert_same(a: dict, b: dict) -> None:
    for table in COMPARED:
        assert len(a[table]) == len(b[table]), f"{table}: {len(a[table])} != {len(b[table])} rows"
        for x, y in zip(a[table], b[table], strict=True):
            assert x == y, f"{table}: {x} != {y}"


def wait_synced(
    url: str, provider, chain_id: int, timeout: float = 60, proc: subprocess.Popen | None = None
) -> None:
    """Wait until the database's checkpoint is the node's head (same hash)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"indexer exited: {proc.stderr.read().decode()[-3000:]}")
        head = provider.make_request("eth_getBlockByNumber", ["latest", False])
        if not tables_exist(url):
            time.sleep(0.05)
            continue
        rows = query(
            url,
            "SELECT c.indexed_block, b.hash FROM chains c LEFT JOIN blocks b "
            "ON b.chain_id = c.chain_id AND b.number = c.indexed_block "
            "WHERE c.chain_id = $1",
            chain_id,
        )
        if (
            rows
            and rows[0][0] == int(head["number"], 16)
            and rows[0][1] is not None
            and "0x" + rows[0][1].hex() == head["hash"]
        ):
            return
        time.sleep(0.05)
    raise AssertionError("indexer did not reach the head in time")


def missing_indexes(url: str) -> list[str]:
    """Deferred (bulk mode) indexes absent from the database."""

    async def go():
        conn = await connect(url)
        try:
            return await missing_deferred_indexes(conn)
        finally:
            await conn.close()

    return asyncio.run(go())


def tables_exist(url: str) -> bool:
    return query(url, "SELECT to_regclass('chains') IS NOT NULL")[0][0]


def wait_indexed(url: str, block: int, timeout: float = 60) -> None:
    """Wait until the checkpoint passed ``block``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if tables_exist(url) and query(url, "SELECT 1 FROM chains WHERE indexed_block > $1", block):
            return
        time.sleep(0.02)
    raise AssertionError(f"block {block} not indexed in time")


def node_logs(provider, address: str, start: int) -> list[dict]:
    head = provider.make_request("eth_blockNumber", [])
    return provider.make_request(
        "eth_getLogs", [{"fromBlock": hex(start), "toBlock": head, "address": [address]}]
    )


class FaultProxy:
    """An HTTP JSON-RPC proxy in front of a node that injects faults at random: timeouts,
    HTTP 429 and 5xx, truncated bodies, and "query returned more than 10000 results" for
    multi-block eth_getLogs."""

    def __init__(self, upstream: str, rate: float = 0.25, seed: int = 7, delay: float = 1.5):
        self.upstream = upstream
        self.rate = rate
        self.delay = delay
        self.rng = random.Random(seed)
        self.faults: dict[str, int] = {}
        self.requests = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self._start())
        self._ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        self.session = ClientSession()
        app = web.Application(client_max_size=1 << 30)
        app.router.add_post("/", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def _fault(self, kind: str) -> str:
        self.faults[kind] = self.faults.get(kind, 0) + 1
        return kind

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests += 1
        req = orjson.loads(body)
        r = self.rng.random()
        if r < self.rate:
            kind = self.rng.choice(["timeout", "429", "502", "503", "truncate", "too_many"])
            if kind == "too_many":
                if isinstance(req, dict) and req.get("method") == "eth_getLogs":
                    p = req["params"][0]
                    if int(p["toBlock"], 16) > int(p["fromBlock"], 16):
                        self._fault(kind)
                        return web.json_response(
                            {
                                "jsonrpc": "2.0",
                                "id": req["id"],
                                "error": {
                                    "code": -32005,
                                    "message": "query returned more than 10000 results",
                                },
                            }
                        )
            elif kind == "timeout":
                self._fault(kind)
                await asyncio.sleep(self.delay)
            elif kind in ("429", "502", "503"):
                self._fault(kind)
                return web.Response(status=int(kind), text="fault")
        async with self.session.post(
            self.upstream, data=body, headers={"Content-Type": "application/json"}
        ) as resp:
            out = await resp.read()
        if r < self.rate and kind == "truncate":
            self._fault(kind)
            return web.Response(body=out[: max(1, len(out) // 2)], content_type="application/json")
        return web.Response(body=out, content_type="application/json")

    def close(self) -> None:
        async def stop():
            await self.runner.cleanup()
            await self.session.close()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
