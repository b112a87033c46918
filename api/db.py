"""The read-only asyncpg pool and the indexed heads every answer is read at."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from dataclasses import dataclass, field

import asyncpg
import orjson

log = logging.getLogger("api.db")

HEADS_SQL = """
SELECT chain_id, network, indexed_block, finalized_block, head_block, updated_at, change_seq
FROM chains ORDER BY chain_id
"""
CONTRACTS_SQL = "SELECT chain_id, address, name, deploy_block FROM contracts"


async def init_connection(conn: asyncpg.Connection) -> None:
    """json/jsonb decoded with orjson."""
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name,
            schema="pg_catalog",
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
        )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Release without asyncpg's default reset (``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL``): that is one more round trip and statement per checkout, and the API never
    changes session state (no SET, LISTEN, cursors or advisory locks; an open transaction is
    still rolled back by asyncpg before this runs)."""


async def create_pool(
    url: str,
    *,
    min_size: int,
    max_size: int,
    statement_timeout_ms: int,
    generic_plans: bool = False,
) -> asyncpg.Pool:
    """A pool whose sessions are read-only and cancel long statements.

    ``generic_plans`` makes prepared statements skip per-execution planning: for the unified
    profile (seven index lookups by address) planning costs more than executing, and the best
    plan does not depend on the parameters. Lists with optional filters keep custom plans.
    """
    settings = {
        "default_transaction_read_only": "on",
        "statement_timeout": str(statement_timeout_ms),
        "application_name": "esg-api",
    }
    if generic_plans:
        settings["plan_cache_mode"] = "force_generic_plan"
    return await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=init_connection,
        reset=_keep_session,
        server_settings=settings,
    )


@dataclass(frozen=True)
class ChainHead:
    chain_id: int
    network: str
    indexed_block: int
    finalized_block: int
    head_block: int
    updated_at: object
    # entity_change_seq of the chain's last recorded change (api.changes).
    change_seq: int = 0


@dataclass(frozen=True)
class Contract:
    chain_id: int
    address: bytes
    name: str
    deploy_block: int


@dataclass(frozen=True)
class Heads:
    """One reading of every chain's checkpoint plus the contracts table."""

    chains: tuple[ChainHead, ...] = ()
    contracts: tuple[Contract, ...] = ()
    # Short token that changes whenever any chain's indexed or finalized block moves.
    token: str = "0"
    by_chain: dict[int, ChainHead] = field(default_factory=dict)
    # symbol/name -> {chain_id: address}
    by_name: dict[str, dict[int, bytes]] = field(default_factory=dict)

    @classmethod
    def build(cls, chains: list, contracts: list) -> Heads:
        ch = tuple(ChainHead(*r) for r in chains)
        co = tuple(Contract(*r) for r in contracts)
        key = ";".join(f"{c.chain_id}:{c.indexed_block}:{c.finalized_block}" for c in ch)
        key += "|" + ";".join(sorted(f"{c.chain_id}:{c.address.hex()}:{c.name}" for c in co))
        by_name: dict[str, dict[int, bytes]] = {}
        for c in co:
            by_name.setdefault(c.name, {})[c.chain_id] = c.address
        return cls(
            chains=ch,
            contracts=co,
            token=format(zlib.crc32(key.encode()), "08x"),
            by_chain={c.chain_id: c for c in ch},
            by_name=by_name,
        )

    def read_at(self, chain_ids=None) -> list[dict]:
        """The ``read_at`` block of each (or the given) chain."""
        return [
            {"chain_id": c.chain_id, "block": c.indexed_block, "finalized_block": c.finalized_block}
            for c in self.chains
            if chain_ids is None or c.chain_id in chain_ids
        ]

    def is_final(self, chain_id: int, block: int) -> bool:
        c = self.by_chain.get(chain_id)
        return c is not None and block <= c.finalized_block


async def read_heads(pool: asyncpg.Pool) -> Heads:
    async with pool.acquire() as conn:
        if not await conn.fetchval("SELECT to_regclass('chains') IS NOT NULL"):
            return Heads()
        chains = await conn.fetch(HEADS_SQL)
        contracts = await conn.fetch(CONTRACTS_SQL)
    return Heads.build([tuple(r) for r in chains], [tuple(r) for r in contracts])


class HeadTracker:
    """Keeps ``heads`` current by polling ``chains``; when a chain's ``change_seq`` moved, the
    change feed (``feed``, api.changes) hands the changed entities to the caches before the new
    heads are published, so no answer read at the new heads is dropped as older."""

    def __init__(self, pool: asyncpg.Pool, interval: float, feed=None) -> None:
        self.pool = pool
        self.interval = interval
        self.feed = feed
        self.heads = Heads()
        self.ok = False
        self._task: asyncio.Task | None = None

    async def refresh(self) -> Heads:
        try:
            heads = await read_heads(self.pool)
            if self.feed is not None:
                await self.feed.ensure_listening()
                await self.feed.catch_up({c.chain_id: c.change_seq for c in heads.chains})
            self.heads = heads
            self.ok = True
        except (TimeoutError, OSError, asyncpg.PostgresError) as e:
            self.ok = False
            log.warning("heads read failed: %s", e)
        return self.heads

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.refresh()

    async def start(self) -> None:
        if self.feed is not None:
            # Nothing is cached yet: the feed starts from the chains' current numbers.
            try:
                heads = await read_heads(self.pool)
                await self.feed.start({c.chain_id: c.change_seq for c in heads.chains})
            except (TimeoutError, OSError, asyncpg.PostgresError) as e:
                log.warning("heads read failed: %s", e)
        await self.refresh()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.feed is not None:
            await self.feed.stop()
