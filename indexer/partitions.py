"""Block-range partitions of ``transfers`` and ``event_rows``, created ahead of the indexer.

Both tables are partitioned by ``block_number`` (shared by all chains of the database). The
:class:`PartitionKeeper` of an indexer process makes sure that every block from the lowest start
block of its chains up to ``ahead`` partitions beyond the highest head it knows has a partition of
``size`` blocks, aligned to multiples of ``size``: rows then never land in the DEFAULT partition,
and old ranges can be detached, archived or dropped one partition at a time
(docs/operations.md). Rows that an earlier version wrote to the DEFAULT partition move into
their partition when it is created (``esg_add_block_partition``, migration 0010), in the same
transaction. Several indexer processes on one database (one per chain) serialise their work on
an advisory lock and skip ranges another one already covered.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

log = logging.getLogger("indexer.partitions")

TABLES = ("event_rows", "transfers")
PARTITION_LOCK = 0x45534732  # serialises partition maintenance of all indexer processes
_BOUND = re.compile(r"FOR VALUES FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)")


@dataclass(frozen=True)
class Created:
    table: str
    lo: int
    hi: int
    moved: int


async def block_ranges(conn: asyncpg.Connection, table: str) -> list[tuple[int, int]]:
    """The [lo, hi) block ranges of ``table``'s partitions (the DEFAULT one aside), sorted."""
    rows = await conn.fetch(
        "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass",
        table,
    )
    ranges = []
    for (bound,) in rows:
        m = _BOUND.fullmatch(bound)
        if m:
            ranges.append((int(m[1]), int(m[2])))
    return sorted(ranges)


def missing_ranges(
    existing: list[tuple[int, int]], low: int, high: int, size: int
) -> list[tuple[int, int]]:
    """Ranges to create so that every block of [low, high] is in a partition: the multiples of
    ``size`` around them, minus what ``existing`` (sorted, non-overlapping) already covers."""
    out = []
    i = 0
    for lo in range(max(0, low) // size * size, (high // size + 1) * size, size):
        hi = lo + size
        while i < len(existing) and existing[i][1] <= lo:
            i += 1
        cursor = lo
        j = i
        while j < len(existing) and existing[j][0] < hi:
            if existing[j][0] > cursor:
                out.append((cursor, existing[j][0]))
            cursor = max(cursor, existing[j][1])
            j += 1
        if cursor < hi:
            out.append((cursor, hi))
    return out


async def ensure(conn: asyncpg.Connection, low: int, high: int, size: int) -> list[Created]:
    """Create the partitions of both tables that blocks [low, high] still lack; one transaction,
    under the maintenance lock."""
    created = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", PARTITION_LOCK)
        todo = [
            (table, lo, hi)
            for table in TABLES
            for lo, hi in missing_ranges(await block_ranges(conn, table), low, high, size)
        ]
        if todo:
            # Every indexer transaction starts by locking its row of `chains` (FOR UPDATE):
            # waiting here for those in flight, and holding back new ones, means no writer holds
            # a lock on one table while this waits for it and the other way round.
            await conn.execute("LOCK TABLE chains IN EXCLUSIVE MODE")
        for table, lo, hi in todo:
            moved = await conn.fetchval(
                "SELECT esg_add_block_partition($1::regclass, $2, $3)", table, lo, hi
            )
            created.append(Created(table, lo, hi, moved))
    for c in created:
        log.info(
            "partition created",
            extra={"table": c.table, "from_block": c.lo, "to_block": c.hi, "rows_moved": c.moved},
        )
    return created


class PartitionKeeper:
    """Keeps partitions ``ahead`` partitions beyond the highest known head of a process's chains.

    ``bounds()`` returns (lowest block the process may write, highest head it knows, -1 before
    the first poll). :meth:`open` covers the start before any chain writes; :meth:`run` then
    checks every ``interval`` seconds (a comparison in memory unless a partition is due). The
    loop learns of a new head only on its next check, while a chain commits up to the head it has
    just polled: so every commit first calls :meth:`cover` with its highest block, and no row
    ever lands in the DEFAULT partition.
    """

    def __init__(
        self,
        url: str,
        size: int,
        ahead: int,
        bounds: Callable[[], tuple[int, int]],
        interval: float = 0.25,
    ) -> None:
        if size <= 0 or ahead < 1:
            raise ValueError(f"partitions: size {size} and ahead {ahead} must be positive")
        self.url = url
        self.size = size
        self.ahead = ahead
        self.bounds = bounds
        self.interval = interval
        self.conn: asyncpg.Connection | None = None
        # Highest block known to be covered, per this process (saves a catalog read per check).
        self.covered = -1
        # The loop and the chains' commits share the connection: one maintenance at a time.
        self._lock = asyncio.Lock()

    async def check(self) -> list[Created]:
        """Create what the current bounds need (nothing if already covered)."""
        return await self._extend(self.bounds()[1])

    async def cover(self, block: int) -> list[Created]:
        """Make sure ``block`` has its partitions (and ``ahead`` more beyond it) before a chain
        writes it; a comparison in memory while it is covered."""
        if block <= self.covered:
            return []
        return await self._extend(block)

    async def _extend(self, block: int) -> list[Created]:
        low = self.bounds()[0]
        high = max(low, block) + self.ahead * self.size - 1
        if high <= self.covered:
            return []
        async with self._lock:
            if high <= self.covered:
                return []
            created = await ensure(self.conn, low, high, self.size)
            self.covered = high
        return created

    async def open(self) -> None:
        """Connect and cover the blocks from the start on."""
        self.conn = await asyncpg.connect(self.url)
        await self.check()

    async def run(self) -> None:
        """Check every ``interval`` seconds until cancelled, then close the connection."""
        try:
            while True:
                await asyncio.sleep(self.interval)
                await self.check()
        finally:
            await self.conn.close()
