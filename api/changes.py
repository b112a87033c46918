"""The API's side of entity-level invalidation (indexer/changes.py writes the records).

``ChangeFeed`` learns that a chain's ``change_seq`` moved, by ``LISTEN esg_entity_changes`` on
a connection of its own or, should a notification be lost or the connection drop, from the head
poll (``HeadTracker`` reads ``chains.change_seq`` every ``head_poll_interval``), reads the
entities changed since the number it last saw on that chain and hands them to its subscribers
(the response caches) before the new heads are published.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg

from indexer.changes import CHANNEL

log = logging.getLogger("api.changes")

CHANGED_SQL = (
    "SELECT kind, key, seq FROM entity_versions WHERE chain_id = $1 AND seq > $2 ORDER BY seq"
)
# (kind, key, chain_id, seq) of each changed entity.
Change = tuple[str, str, int, int]


class ChangeFeed:
    def __init__(self, pool: asyncpg.Pool, url: str, listen: bool = True) -> None:
        self.pool = pool
        self.url = url
        self.listen = listen
        # chain id -> the last change number handed to the subscribers.
        self.seen: dict[int, int] = {}
        self.subscribers: list[Callable[[list[Change]], None]] = []
        self._lock = asyncio.Lock()
        self._conn: asyncpg.Connection | None = None
        self._wanted: dict[int, int] = {}
        self._task: asyncio.Task | None = None

    def subscribe(self, fn: Callable[[list[Change]], None]) -> None:
        self.subscribers.append(fn)

    async def start(self, change_seqs: dict[int, int]) -> None:
        """Start from the chains' current numbers (nothing is cached yet) and listen."""
        self.seen = dict(change_seqs)
        await self.ensure_listening()

    async def _listen(self) -> None:
        try:
            self._conn = await asyncpg.connect(self.url)
            await self._conn.add_listener(CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError) as e:
            self._conn = None
            log.warning("LISTEN failed, changes come from the head poll: %s", e)

    def _notified(self, conn, pid, channel, payload: str) -> None:
        try:
            chain, seq = (int(x) for x in payload.split(":"))
        except ValueError:
            log.warning("unreadable change notification %r", payload)
            return
        if seq > self.seen.get(chain, 0):
            self._wanted[chain] = max(seq, self._wanted.get(chain, 0))
            if self._task is None or self._task.done():
                self._task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while self._wanted:
            wanted, self._wanted = self._wanted, {}
            try:
                await self.catch_up(wanted)
            except (OSError, asyncpg.PostgresError) as e:
                log.warning("reading changes failed (the head poll retries): %s", e)
                return

    async def catch_up(self, change_seqs: dict[int, int]) -> None:
        """Hand over every change of a chain whose number in ``change_seqs`` is beyond the one
        last seen."""
        async with self._lock:
            for chain, seq in change_seqs.items():
                # A chain indexed after the start: all of its changes (an answer about an
                # account spans every chain).
                seen = self.seen.get(chain, 0)
                if seq <= seen:
                    continue
                # On the listening connection while it is up: the pool's may all be busy
                # answering requests, and this read is what ends the staleness.
                source = self._conn if self._conn_alive() else self.pool
                rows = await source.fetch(CHANGED_SQL, chain, seen)
                changes = [(r[0], r[1], chain, r[2]) for r in rows]
                if changes:
                    for fn in self.subscribers:
                        fn(changes)
                    seen = max(seen, changes[-1][3])
                self.seen[chain] = max(seen, seq)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await self._conn.close()

    def _conn_alive(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def ensure_listening(self) -> None:
        """Listen again after the connection dropped (called from the head poll)."""
        if self.listen and not self._conn_alive():
            await self._listen()
