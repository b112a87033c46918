"""One writer per chain and database: PostgreSQL advisory locks held on a dedicated connection.

The indexer takes one session-level advisory lock per chain it indexes (key
``CHAIN_LOCK_BASE + chain_id``) on a connection of its own, before it writes anything, and keeps
that connection open for the whole run. A second indexer of the same chain on the same database
finds the lock taken and stops with :class:`ChainBusy`, naming the chain and the process holding
it. The lock goes away with the holder's session, so a crashed (even ``kill -9``) indexer frees
its chains as soon as PostgreSQL notices the closed connection. If the lock connection itself is
lost, the locks are gone too: :meth:`WriterLock.watch` then fails, which stops the indexer rather
than let it write without them.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

log = logging.getLogger("indexer.writer")

CHAIN_LOCK_BASE = 0x45534700_00000000  # + chain id: one writer per chain
APPLICATION_NAME = "esg-indexer"

# The holder of an advisory lock on a bigint key k: pg_locks splits k into classid (high 32 bits)
# and objid (low 32 bits), with objsubid 1.
_HOLDER_SQL = """
SELECT a.pid, a.application_name, host(a.client_addr) AS client, a.backend_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (
    SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid
  AND l.objsubid = 1
"""


def lock_key(chain_id: int) -> int:
    """The advisory lock key of ``chain_id``."""
    return CHAIN_LOCK_BASE + chain_id


class ChainBusy(RuntimeError):
    """Another process holds the writer lock of a chain on this database."""

    def __init__(self, chain_id: int, database: str, holder: str) -> None:
        self.chain_id = chain_id
        super().__init__(
            f"chain {chain_id}: another indexer is already writing this chain to database"
            f" {database!r} ({holder}); one writer per chain and database, stop the other first"
        )


class LockLost(RuntimeError):
    """The connection holding the writer locks is gone, and the locks with it."""


class WriterLock:
    """The writer locks of a set of chains, on one dedicated connection."""

    def __init__(self, conn: asyncpg.Connection, chain_ids: list[int]) -> None:
        self.conn = conn
        self.chain_ids = chain_ids

    @classmethod
    async def acquire(cls, url: str, chain_ids: list[int]) -> WriterLock:
        """Take the lock of every chain in ``chain_ids`` or none (raises :class:`ChainBusy`)."""
        conn = await asyncpg.connect(url, server_settings={"application_name": APPLICATION_NAME})
        try:
            for chain_id in chain_ids:
                if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(chain_id)):
                    database = await conn.fetchval("SELECT current_database()")
                    raise ChainBusy(chain_id, database, await _holder(conn, chain_id))
        except BaseException:
            await conn.close()
            raise
        log.info("writer lock taken", extra={"chains": chain_ids})
        return cls(conn, chain_ids)

    async def watch(self, interval: float = 5.0) -> None:
        """Check the lock connection every ``interval`` seconds; raise :class:`LockLost` when
        it is gone (runs until cancelled)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.wait_for(self.conn.fetchval("SELECT 1"), timeout=interval)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                raise LockLost(
                    f"chains {self.chain_ids}: the connection holding the writer locks was lost"
                    f" ({type(exc).__name__}: {exc}); stopping so that no two writers overlap"
                ) from exc

    async def release(self) -> None:
        """Close the lock connection (PostgreSQL releases the locks with the session)."""
        if not self.conn.is_closed():
            await self.conn.close()


async def _holder(conn: asyncpg.Connection, chain_id: int) -> str:
    row = await conn.fetchrow(_HOLDER_SQL, lock_key(chain_id))
    if row is None:
        return "holder not visible to this role"
    client = row["client"] or "local socket"
    return (
        f"server pid {row['pid']}, {row['application_name'] or 'no application name'}"
        f" from {client}, connected {row['backend_start']:%Y-%m-%d %H:%M:%S %Z}"
    )
