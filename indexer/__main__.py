"""``python -m indexer``: index every chain of the deployment manifest into PostgreSQL."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys

from esg import logs
from esg.database import database_url, ensure_database
from esg.manifest import load_manifest
from indexer import metrics
from indexer.chain import BulkIndexes, ChainIndexer
from indexer.decode import ChainContracts
from indexer.partitions import PartitionKeeper
from indexer.settings import Settings
from indexer.store import connect, migrate, sync_projections
from indexer.writer import ChainBusy, WriterLock

log = logging.getLogger("indexer")

# Exit status when another indexer already writes one of the chains to the same database.
EXIT_CHAIN_BUSY = 3


async def run(settings: Settings) -> None:
    manifest = load_manifest(settings.manifest)
    if settings.database_url:
        url = settings.database_url
        await ensure_database(url)
    else:
        url = await database_url()
    conn = await connect(url)
    try:
        await migrate(conn)
        # Every chain of the manifest (not only those indexed here) decodes its own events when
        # a changed table declaration is rebuilt from the event log.
        await sync_projections(
            conn,
            {cid: ChainContracts(manifest, dep) for cid, dep in manifest.chains.items()},
        )
    finally:
        await conn.close()
    chains = [
        dep
        for cid, dep in sorted(manifest.chains.items())
        if dep.contracts and (settings.chains is None or cid in settings.chains)
    ]
    if not chains:
        log.error("no chain with contracts in the manifest", extra={"manifest": str(manifest.path)})
        return
    writer = await WriterLock.acquire(url, [d.chain_id for d in chains])
    try:
        metrics.serve(settings.metrics_port, settings.metrics_host)
        log.info(
            "indexer start",
            extra={"manifest": str(manifest.path), "chains": [d.chain_id for d in chains]},
        )
        bulk = BulkIndexes(settings.bulk_min_events)
        indexers = [ChainIndexer(settings, manifest, dep, url, bulk) for dep in chains]
        # One failing chain (e.g. a reorg deeper than the window), or the loss of the writer
        # lock, stops the process loudly.
        async with asyncio.TaskGroup() as tg:
            background = [tg.create_task(writer.watch(), name="writer-lock")]
            if settings.partition_blocks:
                background.append(tg.create_task(await _partitions(settings, url, indexers)))
            async with asyncio.TaskGroup() as chain_tasks:
                for ix in indexers:
                    chain_tasks.create_task(ix.run(), name=f"chain-{ix.chain_id}")
            for task in background:
                task.cancel()
    finally:
        await writer.release()


async def _partitions(settings: Settings, url: str, indexers: list[ChainIndexer]):
    """The keeper's loop (a coroutine), once the partitions from the chains' start blocks on
    exist: before any chain writes. Each chain covers its commits through the keeper too."""
    start = min(ix.start_block for ix in indexers)
    keeper = PartitionKeeper(
        url,
        settings.partition_blocks,
        settings.partitions_ahead,
        lambda: (start, max(ix.head for ix in indexers)),
        settings.partition_check_interval,
    )
    await keeper.open()
    for ix in indexers:
        ix.partitions = keeper
    return keeper.run()


def main() -> int:
    # Decoding allocates millions of short-lived objects without cycles: move what the imports
    # created out of the collector's way and collect young objects less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    settings = Settings()
    logs.setup(settings.log_level)
    try:
        asyncio.run(run(settings))
    except KeyboardInterrupt:
        return 130
    except ChainBusy as exc:
        log.error(str(exc), extra={"chain": exc.chain_id})
        return EXIT_CHAIN_BUSY
    except BaseException as exc:  # noqa: BLE001
        log.critical("indexer stopped", exc_info=exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
