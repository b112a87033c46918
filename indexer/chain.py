"""One chain's indexing loop: pipelined backfill, live following, reorg handling, finality."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections import deque
from dataclasses import dataclass

from esg.chain.finality import Finality
from esg.chain.follower import read_heads
from esg.chain.rpc import RPC, RangeTooLarge, RPCError, Unavailable
from esg.manifest import ChainDeployment, Manifest
from indexer import metrics
from indexer.decode import ChainContracts, decode_logs
from indexer.heads import HeadSubscription, ws_url_for
from indexer.partitions import PartitionKeeper
from indexer.projections import Batch
from indexer.settings import Settings
from indexer.store import (
    ChainStore,
    Header,
    connect,
    create_deferred_indexes,
    drop_deferred_indexes,
)

log = logging.getLogger("indexer.chain")

HEADER_BATCH = 100
# Logs decoded between two yields to the event loop.
DECODE_SLICE = 1000


class ReorgTooDeep(Exception):
    """The chain reorganised below the window or below finality: refuse to drift silently."""


class _Refetch(Exception):
    """The node's answers were mutually inconsistent (it moved while we read): read again."""


class _Reorg(Exception):
    """The node no longer has the block we stopped at."""


class BulkIndexes:
    """Bulk mode, shared by the chains of one process: the secondary indexes of `transfers` and
    `event_rows` (store.DEFERRED_INDEXES) are dropped while a backfill is far behind and no chain
    of the process is following its head, and built again before a chain commits the block at
    its head.

    So whenever a chain of this process is synced, the indexes exist; a crash in bulk mode
    leaves them missing until the next run reaches a head (or rolls back a reorg)."""

    def __init__(self, min_events: int) -> None:
        # Drop only if at least this many events are expected before the head (0: never drop).
        self.min_events = min_events
        # None: unknown (checked in the catalog when needed); True while dropped by bulk mode.
        self.dropped: bool | None = None
        self.synced: set[int] = set()
        self.lock = asyncio.Lock()

    async def ensure(self, conn, chain_id: int) -> None:
        """Build the indexes if they are (or may be) missing."""
        if self.dropped is False:
            return
        async with self.lock:
            if self.dropped is False:
                return
            t = time.perf_counter()
            built = await create_deferred_indexes(conn)
            self.dropped = False
            if built:
                log.info(
                    "bulk mode off: indexes built",
                    extra={
                        "chain": chain_id,
                        "indexes": built,
                        "seconds": round(time.perf_counter() - t, 2),
                    },
                )

    async def maybe_drop(self, conn, chain_id: int, expected_events: float) -> None:
        if self.dropped or not self.min_events or self.synced:
            return
        async with self.lock:
            if self.dropped or self.synced:
                return
            rows = await conn.fetchval(
                "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_inherits i"
                " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'transfers'::regclass"
            )
            # A sorted build reads every row: worth it when the rows still to come are many
            # compared with those already there.
            if expected_events < max(self.min_events, rows / 2):
                return
            await drop_deferred_indexes(conn)
            self.dropped = True
            log.info(
                "bulk mode on: secondary indexes dropped until the head is reached",
                extra={"chain": chain_id, "expected_events": int(expected_events)},
            )


@dataclass
class Chunk:
    start: int
    end: int
    batch: Batch
    headers: dict[int, Header]
    finalized: int
    head: int

    def absorb(self, o: Chunk) -> bool:
        """Extend this chunk by the next one (one transaction for both); False if impossible."""
        if o.start != self.end + 1 or not self.batch.absorb(o.batch):
            return False
        self.end = o.end
        self.headers.update(o.headers)
        self.finalized = max(self.finalized, o.finalized)
        self.head = o.head
        return True


class _ChunkQueue:
    """Decoded ranges waiting for the writer (None ends them), bounded by count and by logs: a
    range is admitted while fewer than ``chunks`` wait, or while the waiting logs stay within
    ``logs`` with it. Many small ranges (few logs per block) can so queue up for one commit,
    while large ones hold no more memory than ``chunks`` of them."""

    def __init__(self, chunks: int, logs: int) -> None:
        self.chunks = max(1, chunks)
        self.logs = logs
        self._items: deque[Chunk | None] = deque()
        self._held = 0
        # One producer (the fetch stage) and one consumer (the writer) in one event loop.
        self._added = asyncio.Event()
        self._taken = asyncio.Event()

    @staticmethod
    def _size(chunk: Chunk | None) -> int:
        return 0 if chunk is None else chunk.batch.logs

    async def put(self, chunk: Chunk | None) -> None:
        n = self._size(chunk)
        # The end mark never waits (the fetch stage puts it while being cancelled, too).
        while chunk is not None and len(self._items) >= self.chunks and self._held + n > self.logs:
            self._taken.clear()
            await self._taken.wait()
        self._items.append(chunk)
        self._held += n
        self._added.set()

    async def get(self) -> Chunk | None:
        while not self._items:
            self._added.clear()
            await self._added.wait()
        return self.get_nowait()

    def get_nowait(self) -> Chunk | None:
        chunk = self._items.popleft()
        self._held -= self._size(chunk)
        self._taken.set()
        return chunk

    def empty(self) -> bool:
        return not self._items


class ChainIndexer:
    def __init__(
        self,
        settings: Settings,
        manifest: Manifest,
        dep: ChainDeployment,
        db_url: str,
        bulk: BulkIndexes | None = None,
    ) -> None:
        self.s = settings
        self.dep = dep
        self.chain_id = dep.chain_id
        self.label = str(dep.chain_id)
        self.db_url = db_url
        self.contracts = ChainContracts(manifest, dep)
        self.start_block = max(0, dep.start_block)
        self.finality = Finality.parse(settings.finality_for(dep.chain_id, dep.network))
        urls = settings.rpc_urls.get(dep.chain_id) or dep.rpc_urls
        self.rpc = RPC(
            dep.chain_id,
            urls,
            timeout=settings.rpc_timeout,
            max_backoff=settings.rpc_max_backoff,
            max_span=settings.max_block_span,
            metrics=metrics.RPC,
        )
        ws_url, derived = ws_url_for(dep.chain_id, settings.ws_urls, urls, settings.ws_derive)
        self.heads = (
            HeadSubscription(
                dep.chain_id,
                ws_url,
                derived=derived,
                open_timeout=min(10.0, settings.rpc_timeout),
                max_backoff=settings.ws_max_backoff,
            )
            if ws_url and not settings.exit_when_synced
            else None
        )
        self.span = settings.initial_block_span
        self.indexed = -1
        self.last_hash: bytes | None = None
        self.db_finalized = -1
        self.head = -1
        self.finalized = -1
        self.progress_at = time.monotonic()
        self.events_total = 0
        self._rate_t = time.monotonic()
        self._rate_n = 0
        self._bar = None
        self._addr_cache: dict[str, bytes] = {}
        self._hash_cache: dict[str, bytes] = {}
        self.bulk = bulk or BulkIndexes(settings.bulk_min_events)
        # Block-range partitions to cover before each commit (None: not partitioned).
        self.partitions: PartitionKeeper | None = None
        # Events and blocks committed in the current catch-up (bulk mode's estimate).
        self._cu_events = 0
        self._cu_blocks = 0

    # ---------------------------------------------------------------- lifecycle

    async def run(self) -> None:
        conn = await connect(self.db_url)
        self.store = ChainStore(conn, self.chain_id)
        try:
            cp = await self.store.setup(
                self.dep.network,
                self.start_block,
                [(c.address, c.name, c.deploy_block) for c in self.contracts.by_address.values()],
                self.contracts.transfer_events(),
            )
            self.indexed, self.db_finalized = cp.indexed, cp.finalized
            self.last_hash = await self.store.stored_hash(self.indexed)
            log.info(
                "chain start",
                extra={
                    "chain": self.chain_id,
                    "indexed": self.indexed,
                    "finality": str(self.finality),
                    "contracts": len(self.contracts.addresses),
                },
            )
            watchdog = asyncio.create_task(self._watchdog())
            subscription = None
            metrics.HEAD_SUBSCRIPTION.labels(self.label).set(0)
            if self.heads is not None:
                subscription = asyncio.create_task(self.heads.run())
            elif not self.s.exit_when_synced:
                log.info("following by polling: no WebSocket URL", extra={"chain": self.chain_id})
            try:
                await self._loop()
            finally:
                watchdog.cancel()
                if subscription is not None:
                    subscription.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await subscription
        finally:
            if self._bar is not None:
                self._bar.close()
            await self.rpc.close()
            await conn.close()

    async def _loop(self) -> None:
        prune_at = 0.0
        while True:
            if self.heads is not None:
                # A notification arriving from here on wakes the next wait: none is missed.
                self.heads.event.clear()
            try:
                head, finalized = await self._poll()
            except _Reorg:
                await self._handle_reorg()
                continue
            except Unavailable as exc:
                log.error("rpc unavailable", extra={"chain": self.chain_id, "error": str(exc)})
                await asyncio.sleep(self.s.poll_interval)
                continue
            except RPCError as exc:
                log.warning("rpc error", extra={"chain": self.chain_id, "error": str(exc)})
                await asyncio.sleep(self.s.poll_interval)
                continue
            if self.indexed < head:
                try:
                    await self._catch_up(head, finalized)
                    if self.indexed >= head:
                        self.bulk.synced.add(self.chain_id)
                except _Reorg:
                    await self._handle_reorg()
                except _Refetch as exc:
                    log.info("refetch", extra={"chain": self.chain_id, "reason": str(exc)})
                    await asyncio.sleep(self.s.poll_interval)
                except Unavailable as exc:
                    log.error("rpc unavailable", extra={"chain": self.chain_id, "error": str(exc)})
                    await asyncio.sleep(self.s.poll_interval)
                except RPCError as exc:
                    # E.g. a range beyond a head that just moved back (reorg): poll again.
                    log.warning("rpc error", extra={"chain": self.chain_id, "error": str(exc)})
                    await asyncio.sleep(self.s.poll_interval)
                continue
            self.bulk.synced.add(self.chain_id)
            await self.bulk.ensure(self.store.conn, self.chain_id)
            if self.s.exit_when_synced:
                return
            if time.monotonic() > prune_at:
                prune_at = time.monotonic() + 30
                await self.store.prune_blocks(min(finalized, self.indexed - self.s.reorg_window))
            await self._wait_for_head()

    async def _wait_for_head(self) -> None:
        """Sleep until the next poll: ``poll_interval``, or less if a new-head notification
        comes first (or the subscription comes up or is lost). A notification only wakes the
        loop; the poll reads everything over HTTP."""
        if self.heads is None:
            await asyncio.sleep(self.s.poll_interval)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.heads.event.wait(), self.s.poll_interval)

    # ---------------------------------------------------------------- head and finality

    async def _poll(self) -> tuple[int, int]:
        check = self.indexed >= self.start_block and self.last_hash is not None
        # The block at the checkpoint comes in the same request: still ours, or a reorg.
        extra = [("eth_getBlockByNumber", [hex(self.indexed), False])] if check else []
        head, finalized, res = await read_heads(self.rpc, self.finality, extra)
        if check:
            mine = res[0]
            if mine is None or bytes.fromhex(mine["hash"][2:]) != self.last_hash:
                raise _Reorg()
        self.head, self.finalized = head, finalized
        metrics.HEAD.labels(self.label).set(head)
        metrics.FINALIZED.labels(self.label).set(finalized)
        metrics.LAG.labels(self.label).set(max(0, head - self.indexed))
        return head, finalized

    # ---------------------------------------------------------------- backfill / follow

    async def _catch_up(self, head: int, finalized: int) -> None:
        queue = _ChunkQueue(self.s.prefetch, self.s.commit_logs // 2)
        self._cu_events = self._cu_blocks = 0
        fetcher = asyncio.create_task(self._fetch(self.indexed + 1, head, finalized, queue))
        self._progress(head)
        try:
            done = False
            limit = self.s.commit_logs
            while not done:
                chunk = await queue.get()
                if chunk is None:
                    break
                # Chunks already waiting are committed together with this one: fewer, larger
                # transactions (the balance upserts shrink with them).
                pending = None
                while chunk.batch.logs < limit and not queue.empty():
                    nxt = queue.get_nowait()
                    if nxt is None:
                        done = True
                    elif not chunk.absorb(nxt):
                        pending = nxt
                    else:
                        continue
                    break
                await self._commit(chunk)
                if pending is not None:
                    await self._commit(pending)
        finally:
            fetcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await fetcher
        if fetcher.done() and not fetcher.cancelled() and fetcher.exception():
            raise fetcher.exception()

    async def _fetch(self, start: int, head: int, finalized: int, queue: _ChunkQueue) -> None:
        # The next eth_getLogs is in flight while the current answer is decoded: the node
        # works on it meanwhile.
        ahead: asyncio.Task | None = None
        try:
            if start <= head:
                ahead = asyncio.create_task(self._get_range(start, head))
            while ahead is not None:
                start, end, logs = await ahead
                ahead = None
                if end < head:
                    ahead = asyncio.create_task(self._get_range(end + 1, head))
                    for _ in range(3):  # let the request go out before decoding blocks the loop
                        await asyncio.sleep(0)
                chunk = await self._decode_range(start, end, logs, head, finalized)
                del logs
                await queue.put(chunk)
        finally:
            if ahead is not None:
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await ahead
            await queue.put(None)

    async def _get_range(self, start: int, head: int) -> tuple[int, int, list]:
        """eth_getLogs from ``start`` over the adaptive span: (start, end, logs)."""
        target = self.s.logs_per_request
        failures = 0
        while True:
            span = max(1, min(self.span, self.rpc.max_span))
            end = min(start + span - 1, head)
            try:
                logs = await self.rpc.get_logs(self.contracts.addresses, start, end)
            except RangeTooLarge as exc:
                n = end - start + 1
                if n > 1:
                    self.rpc.shrink_span(n)
                    self.span = max(1, n // 2)
                    continue
                failures += 1
                log.warning(
                    "single block refused",
                    extra={"chain": self.chain_id, "block": start, "error": str(exc)},
                )
                await asyncio.sleep(min(self.s.rpc_max_backoff, 0.1 * 2**failures))
                continue
            n = len(logs)
            if n < target // 2:
                self.span = min(span * 2, self.s.max_block_span)
            elif n > target * 3 // 2:
                self.span = max(1, span * target // n)
            return start, end, logs

    async def _decode_range(
        self, start: int, end: int, logs: list, head: int, finalized: int
    ) -> Chunk:
        # The headers of the blocks holding logs (their timestamps, and hashes to check the
        # logs against), of the range's ends and of every block not final yet are requested
        # before decoding: the node answers while the logs are decoded.
        wanted = {start, end}
        wanted.update(int(n, 16) for n in {lg.blockNumber for lg in logs})
        if end > finalized:
            wanted.update(range(max(start, finalized + 1), end + 1))
        headers = asyncio.ensure_future(self._headers(sorted(wanted)))
        try:
            await asyncio.sleep(0)  # let the requests go out before decoding blocks the loop
            # Decoding here, in the fetch stage, overlaps it with the database writing the
            # previous chunk.
            batch = Batch(self.chain_id, self._addr_cache)
            if len(self._hash_cache) > 4096:
                self._hash_cache.clear()
            # In slices, yielding between them: the writer's statements go out meanwhile, so the
            # database works while this process decodes.
            for i in range(0, len(logs), DECODE_SLICE):
                decode_logs(
                    self.contracts, logs[i : i + DECODE_SLICE], batch, finalized, self._hash_cache
                )
                await asyncio.sleep(0)
            return Chunk(start, end, batch, await headers, finalized, head)
        finally:
            headers.cancel()

    async def _headers(self, numbers: list[int]) -> dict[int, Header]:
        out: dict[int, Header] = {}
        for n, h in zip(numbers, await self.rpc.headers(numbers), strict=True):
            if h is None or int(h.number, 16) != n:
                raise _Refetch(f"block {n} missing")
            out[n] = Header(
                n,
                bytes.fromhex(h.hash[2:]),
                bytes.fromhex(h.parentHash[2:]),
                int(h.timestamp, 16),
            )
        return out

    async def _commit(self, chunk: Chunk) -> None:
        if chunk.start != self.indexed + 1:
            raise _Refetch("chunk does not follow the checkpoint")
        headers = chunk.headers
        first = headers[chunk.start]
        if self.last_hash is not None and first.parent_hash != self.last_hash:
            raise _Reorg()
        prev = None
        for n in sorted(headers):
            h = headers[n]
            if prev is not None and prev.number == n - 1 and h.parent_hash != prev.hash:
                raise _Refetch("headers from two forks")
            prev = h
        batch = chunk.batch
        if batch.conflict:
            raise _Refetch("logs of one block with two hashes")
        for n, block_hash in batch.blocks.items():
            h = headers.get(n)
            if h is None or h.hash != block_hash:
                raise _Refetch("log from another fork")
        event_blocks = set(batch.blocks)
        if self.partitions is not None:
            # Before the transaction: creating a partition waits for the writers in flight.
            await self.partitions.cover(chunk.end)
        if chunk.end >= chunk.head:
            # The head: the indexes must exist once this commit makes the chain synced.
            await self.bulk.ensure(self.store.conn, self.chain_id)
        t_w = time.perf_counter()
        await self.store.write(
            batch,
            self.indexed,
            chunk.end,
            list(headers.values()),
            event_blocks,
            chunk.finalized,
            chunk.head,
        )
        log.debug(
            "commit",
            extra={
                "chain": self.chain_id,
                "start": chunk.start,
                "end": chunk.end,
                "events": batch.logs,
                "write_s": round(time.perf_counter() - t_w, 4),
            },
        )
        self.indexed = chunk.end
        self.last_hash = headers[chunk.end].hash
        self._cu_events += batch.logs
        self._cu_blocks += chunk.end - chunk.start + 1
        if chunk.end < chunk.head and self.bulk.dropped is not True and self.bulk.min_events:
            expected = self._cu_events / self._cu_blocks * (chunk.head - chunk.end)
            if expected >= self.bulk.min_events:
                await self.bulk.maybe_drop(self.store.conn, self.chain_id, expected)
        self.progress_at = time.monotonic()
        n = batch.logs
        self.events_total += n
        metrics.EVENTS.labels(self.label).inc(n)
        metrics.INDEXED.labels(self.label).set(self.indexed)
        metrics.LAG.labels(self.label).set(max(0, self.head - self.indexed))
        metrics.STALLED.labels(self.label).set(0)
        self._rate_n += n
        now = time.monotonic()
        if now - self._rate_t >= 1.0:
            metrics.EVENTS_RATE.labels(self.label).set(self._rate_n / (now - self._rate_t))
            self._rate_t, self._rate_n = now, 0
        if self._bar is not None:
            self._bar.update(chunk.end - chunk.start + 1)
            self._bar.set_postfix(events=self.events_total, refresh=False)

    def _progress(self, head: int) -> None:
        mode = self.s.progress
        if mode == "off" or (mode == "auto" and not sys.stdout.isatty()):
            return
        if head - self.indexed < 100 and self._bar is None:
            return
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(
                total=head - self.start_block + 1,
                initial=max(0, self.indexed - self.start_block + 1),
                desc=f"chain {self.chain_id}",
                unit="block",
                dynamic_ncols=True,
            )
        else:
            self._bar.total = head - self.start_block + 1
            self._bar.refresh()

    # ---------------------------------------------------------------- reorgs

    async def _handle_reorg(self) -> None:
        low = max(self.start_block - 1, self.indexed - self.s.reorg_window)
        stored = await self.store.stored_hashes(low, self.indexed)
        fork = None
        for i in range(0, len(stored), HEADER_BATCH):
            part = stored[i : i + HEADER_BATCH]
            res = await self.rpc.headers([n for n, _ in part])
            for (n, h), node in zip(part, res, strict=True):
                if node is not None and bytes.fromhex(node.hash[2:]) == h:
                    fork = n
                    break
            if fork is not None:
                break
        if fork is None:
            if low <= self.start_block - 1:
                fork = self.start_block - 1
            else:
                metrics.DEEP_REORGS.labels(self.label).inc()
                log.critical(
                    "reorg deeper than the window",
                    extra={
                        "chain": self.chain_id,
                        "indexed": self.indexed,
                        "window": self.s.reorg_window,
                    },
                )
                raise ReorgTooDeep(
                    f"chain {self.chain_id}: no common block within {self.s.reorg_window} blocks"
                    f" below {self.indexed}"
                )
        if fork == self.indexed:
            return  # a transient read error, not a reorg: our checkpoint is still canonical
        cp = await self.store.checkpoint()
        if fork < cp.finalized:
            metrics.DEEP_REORGS.labels(self.label).inc()
            log.critical(
                "reorg below finality",
                extra={"chain": self.chain_id, "fork": fork, "finalized": cp.finalized},
            )
            raise ReorgTooDeep(
                f"chain {self.chain_id}: reorg to {fork} is below finalized block {cp.finalized}"
            )
        depth = self.indexed - fork
        # The rollback looks transfers up by account: not without their indexes.
        await self.bulk.ensure(self.store.conn, self.chain_id)
        removed = await self.store.rollback(fork, self.contracts)
        metrics.REORGS.labels(self.label).inc()
        metrics.REORG_DEPTH.labels(self.label).observe(depth)
        log.warning(
            "reorg rolled back",
            extra={"chain": self.chain_id, "fork": fork, "depth": depth, "events_removed": removed},
        )
        self.indexed = fork
        self.last_hash = await self.store.stored_hash(fork)
        metrics.INDEXED.labels(self.label).set(fork)

    # ---------------------------------------------------------------- stall watchdog

    async def _watchdog(self) -> None:
        reported = False
        while True:
            await asyncio.sleep(min(5.0, self.s.stall_seconds / 2))
            behind = self.head > self.indexed
            idle = time.monotonic() - self.progress_at
            if behind and idle > self.s.stall_seconds:
                metrics.STALLED.labels(self.label).set(1)
                if not reported:
                    log.error(
                        "chain stalled",
                        extra={
                            "chain": self.chain_id,
                            "head": self.head,
                            "indexed": self.indexed,
                            "idle_seconds": round(idle, 1),
                        },
                    )
                    reported = True
            else:
                metrics.STALLED.labels(self.label).set(0)
                reported = False
