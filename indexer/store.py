"""PostgreSQL side: migrations, batch writes (one transaction each) and exact rollbacks."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import orjson

from indexer import changes
from indexer.projections import HANDLERS, TRANSFER_EVENT_NAMES, Batch, Ctx, load
from indexer.projections.schema import APPEND, LATEST, TABLES, Table
from indexer.projections.standard import STANDARD_TRANSFER_HANDLERS

log = logging.getLogger("indexer.store")

MIGRATIONS = Path(__file__).parent / "migrations"
ZERO_ADDRESS = bytes(20)
MAX_BLOCK = 2**62

# Effects of the transfer rows of blocks ($2, $3] on chain $1 ($4 is the zero address). The
# forward write adds them, a rollback subtracts them: one definition keeps both exact.
_RANGE = "chain_id = $1 AND block_number > $2 AND block_number <= $3"
_BALANCE_DELTAS = (
    "SELECT token, token_id, holder, sum(amount) AS amount, count(*) AS n FROM ("
    f" SELECT token, token_id, to_addr AS holder, amount FROM transfers WHERE {_RANGE}"
    "  AND to_addr <> $4"
    " UNION ALL"
    f" SELECT token, token_id, from_addr, -amount FROM transfers WHERE {_RANGE}"
    "  AND from_addr <> $4"
    ") x GROUP BY token, token_id, holder"
)
_SUPPLY_DELTAS = (
    "SELECT token, token_id,"
    " sum(CASE WHEN from_addr = $4 THEN amount ELSE 0 END) AS minted,"
    " sum(CASE WHEN to_addr = $4 THEN amount ELSE 0 END) AS burned,"
    " sum((from_addr = $4)::int + (to_addr = $4)::int) AS n"
    f" FROM transfers WHERE {_RANGE} AND (from_addr = $4 OR to_addr = $4)"
    " GROUP BY token, token_id"
)
_ACCOUNT_DELTAS = (
    "SELECT address, min(block_number) AS first_block, max(block_number) AS last_block,"
    " count(*) AS n FROM ("
    f" SELECT to_addr AS address, block_number FROM transfers WHERE {_RANGE} AND to_addr <> $4"
    " UNION ALL"
    f" SELECT from_addr, block_number FROM transfers WHERE {_RANGE} AND from_addr <> $4"
    ") x GROUP BY address"
)
MIGRATION_LOCK = 0x45534731  # pg advisory lock key serialising migrations

EVENT_COLS = (
    "chain_id",
    "block_number",
    "log_index",
    "block_hash",
    "tx_hash",
    "contract",
    "contract_name",
    "event",
    "args",
    "final",
)
# Column order of the transfer COPY lines (Batch.transfer).
TRANSFER_COLS = (
    "chain_id",
    "block_number",
    "log_index",
    "batch_index",
    "block_hash",
    "tx_hash",
    "token",
    "token_id",
    "operator",
    "from_addr",
    "to_addr",
    "amount",
    "log_kind",
)


# Secondary indexes of `transfers` and `event_rows` that a long backfill drops and builds again
# before it reaches the head ("bulk mode"): one sorted build costs a fraction of maintaining them
# row by row.
DEFERRED_INDEXES = {
    "transfers_by_from": "ON transfers (chain_id, from_addr, block_number)",
    "transfers_by_to": "ON transfers (chain_id, to_addr, block_number)",
    "transfers_by_token": "ON transfers (chain_id, token, token_id, block_number)",
    "events_by_contract": "ON event_rows (chain_id, contract_name, event, block_number)",
}


async def missing_deferred_indexes(conn: asyncpg.Connection) -> list[str]:
    present = {
        r[0]
        for r in await conn.fetch(
            "SELECT c.relname FROM pg_class c WHERE c.relname = ANY($1::text[])"
            " AND c.relnamespace = current_schema()::regnamespace",
            list(DEFERRED_INDEXES),
        )
    }
    return [n for n in DEFERRED_INDEXES if n not in present]


async def drop_deferred_indexes(conn: asyncpg.Connection) -> None:
    await conn.execute("DROP INDEX IF EXISTS " + ", ".join(DEFERRED_INDEXES))


async def create_deferred_indexes(conn: asyncpg.Connection) -> list[str]:
    """Build the deferred indexes that are missing; returns their names."""
    missing = await missing_deferred_indexes(conn)
    if missing:
        # More sort memory for the builds (server side, this session only).
        await conn.execute("SET maintenance_work_mem = '256MB'")
        try:
            for name in missing:
                await conn.execute(f"CREATE INDEX IF NOT EXISTS {name} {DEFERRED_INDEXES[name]}")
        finally:
            await conn.execute("RESET maintenance_work_mem")
    return missing


async def init_connection(conn: asyncpg.Connection) -> None:
    """jsonb as raw JSON bytes in, parsed objects out (orjson on both sides)."""
    # A commit need not wait for its WAL flush: a server crash may lose the last commits, but
    # each commit holds its rows together with the checkpoint, so the indexer just re-reads
    # those blocks. Consistency is unaffected; latency and throughput gain a lot.
    await conn.execute("SET synchronous_commit = off")
    await conn.set_type_codec(
        "jsonb",
        schema="pg_catalog",
        format="binary",
        encoder=lambda b: b"\x01" + (b if isinstance(b, bytes) else orjson.dumps(b)),
        decoder=lambda b: orjson.loads(b[1:]),
    )


async def connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await init_connection(conn)
    return conn


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply pending migrations in order, under an advisory lock; returns the applied names."""
    applied = []
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for path in sorted(MIGRATIONS.glob("*.sql")):
            if path.stem in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text())
                await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", path.stem)
            applied.append(path.stem)
            log.info("migration applied", extra={"migration": path.stem})
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    return applied


@dataclass
class Checkpoint:
    indexed: int
    finalized: int
    head: int


@dataclass
class Header:
    number: int
    hash: bytes
    parent_hash: bytes
    timestamp: int

    @classmethod
    def from_rpc(cls, h: dict) -> Header:
        return cls(
            int(h["number"], 16),
            bytes.fromhex(h["hash"][2:]),
            bytes.fromhex(h["parentHash"][2:]),
            int(h["timestamp"], 16),
        )


async def _chunks(data: bytes):
    """One COPY payload as an async iterable (no file reads in a thread pool)."""
    yield data


class _Timed:
    """Connection wrapper recording the time of each statement (debug logging only)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self.steps: list[tuple[str, float]] = []

    def __getattr__(self, name: str):
        fn = getattr(self._conn, name)

        async def timed(*args, **kw):
            t = time.perf_counter()
            try:
                return await fn(*args, **kw)
            finally:
                label = str(args[0])[:40] if args else name
                self.steps.append((f"{name}:{label}", round(time.perf_counter() - t, 4)))

        return timed


class ChainStore:
    """All database work of one chain, on its own connection (the process holds the chain's
    writer lock, indexer.writer)."""

    def __init__(self, conn: asyncpg.Connection, chain_id: int) -> None:
        self.conn = conn
        self.chain_id = chain_id

    async def setup(
        self,
        network: str,
        start_block: int,
        contracts: list[tuple[bytes, str, int]],
        transfer_events: list[tuple[bytes, int, str, list[str]]] = (),
    ) -> Checkpoint:
        await self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS tmp_balances (token bytea, token_id numeric, "
            "holder bytea, amount numeric, transfers bigint) ON COMMIT DELETE ROWS;"
            "CREATE TEMP TABLE IF NOT EXISTS tmp_accounts (address bytea, transfers bigint)"
            " ON COMMIT DELETE ROWS;"
            "CREATE TEMP TABLE IF NOT EXISTS tmp_balance_deltas (token bytea, token_id text,"
            " holder text, amount text, transfers bigint) ON COMMIT DELETE ROWS;"
            "CREATE TEMP TABLE IF NOT EXISTS tmp_account_deltas (address text,"
            " first_block bigint, last_block bigint, transfers bigint) ON COMMIT DELETE ROWS"
        )
        async with self.conn.transaction():
            await self.conn.execute(
                "INSERT INTO chains (chain_id, network, start_block, indexed_block) "
                "VALUES ($1, $2, $3::bigint, $3::bigint - 1) ON CONFLICT (chain_id) DO NOTHING",
                self.chain_id,
                network,
                start_block,
            )
            await self.conn.executemany(
                "INSERT INTO contracts (chain_id, address, name, deploy_block) VALUES ($1,$2,$3,$4)"
                " ON CONFLICT (chain_id, address) DO UPDATE SET name = excluded.name,"
                " deploy_block = excluded.deploy_block",
                [(self.chain_id, a, n, b) for a, n, b in contracts],
            )
            await self.conn.executemany(
                "INSERT INTO transfer_events (chain_id, contract, log_kind, event, arg_names)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (chain_id, contract, log_kind)"
                " DO UPDATE SET event = excluded.event, arg_names = excluded.arg_names",
                [(self.chain_id, a, k, e, n) for a, k, e, n in transfer_events],
            )
        return await self.checkpoint()

    async def checkpoint(self) -> Checkpoint:
        r = await self.conn.fetchrow(
            "SELECT indexed_block, finalized_block, head_block FROM chains WHERE chain_id = $1",
            self.chain_id,
        )
        return Checkpoint(r[0], r[1], r[2])

    async def stored_hashes(self, low: int, high: int) -> list[tuple[int, bytes]]:
        """Stored block hashes in [low, high], newest first."""
        rows = await self.conn.fetch(
            "SELECT number, hash FROM blocks WHERE chain_id = $1 AND number BETWEEN $2 AND $3 "
            "ORDER BY number DESC",
            self.chain_id,
            low,
            high,
        )
        return [(r[0], r[1]) for r in rows]

    async def stored_hash(self, number: int) -> bytes | None:
        return await self.conn.fetchval(
            "SELECT hash FROM blocks WHERE chain_id = $1 AND number = $2", self.chain_id, number
        )

    async def write(
        self,
        batch: Batch,
        expected: int,
        new_indexed: int,
        headers: list[Header],
        event_blocks: set[int],
        finalized: int,
        head: int,
    ) -> None:
        """Commit one batch and move the checkpoint from ``expected`` to ``new_indexed``."""
        conn = _Timed(self.conn) if log.isEnabledFor(logging.DEBUG) else self.conn
        cid = self.chain_id
        async with self.conn.transaction():
            cur = await conn.fetchval(
                "SELECT indexed_block FROM chains WHERE chain_id = $1 FOR UPDATE", cid
            )
            if cur != expected:
                raise RuntimeError(f"chain {cid}: checkpoint moved ({cur} != {expected})")
            if batch.events:
                await conn.copy_records_to_table(
                    "event_rows", records=batch.events, columns=EVENT_COLS
                )
            if batch.transfers:
                await conn.copy_to_table(
                    "transfers",
                    source=_chunks("".join(batch.transfers).encode()),
                    columns=TRANSFER_COLS,
                    format="text",
                )
                await self._apply_deltas(conn, batch)
            await _write_rows(conn, batch, TABLES.values())
            await changes.record(conn, cid, batch, expected, new_indexed)
            if headers:
                # One statement for all the headers (the realistic chain shape has one per block).
                await conn.execute(
                    "INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp,"
                    " has_events) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[],"
                    " $4::bytea[], $5::bigint[], $6::boolean[])"
                    " ON CONFLICT (chain_id, number) DO UPDATE SET"
                    " hash = excluded.hash, parent_hash = excluded.parent_hash,"
                    " timestamp = excluded.timestamp, has_events = excluded.has_events",
                    cid,
                    [h.number for h in headers],
                    [h.hash for h in headers],
                    [h.parent_hash for h in headers],
                    [h.timestamp for h in headers],
                    [h.number in event_blocks for h in headers],
                )
            prev_final = await conn.fetchval(
                "SELECT finalized_block FROM chains WHERE chain_id = $1", cid
            )
            final_upto = min(finalized, new_indexed)
            if final_upto > prev_final:
                # Rows written while their block was not final yet become final now.
                await conn.execute(
                    "UPDATE event_rows SET final = true WHERE chain_id = $1 AND NOT final"
                    " AND block_number <= $2",
                    cid,
                    final_upto,
                )
            await conn.execute(
                "UPDATE chains SET indexed_block = $2, finalized_block = GREATEST(finalized_block,"
                " $3), head_block = $4, updated_at = now() WHERE chain_id = $1",
                cid,
                new_indexed,
                final_upto,
                head,
            )
        if isinstance(conn, _Timed):
            log.debug("write timings", extra={"chain": cid, "steps": conn.steps})

    async def _apply_deltas(self, conn, batch: Batch) -> None:
        """Add the batch's summed transfer effects to balances, supplies and accounts (the
        aggregate queries _BALANCE_DELTAS etc. compute the same sums for rollbacks)."""
        cid = self.chain_id
        await conn.copy_records_to_table(
            "tmp_balance_deltas",
            records=[(k[0], str(k[1]), k[2], str(d[0]), d[1]) for k, d in batch.balances.items()],
        )
        await conn.execute(
            "INSERT INTO balances (chain_id, token, token_id, holder, amount, transfers) "
            "SELECT $1, token, token_id::numeric, decode(substr(holder, 3), 'hex'),"
            " amount::numeric, transfers FROM tmp_balance_deltas "
            "ON CONFLICT (chain_id, token, token_id, holder) DO UPDATE SET "
            "amount = balances.amount + excluded.amount, "
            "transfers = balances.transfers + excluded.transfers",
            cid,
        )
        if batch.supplies:
            await conn.executemany(
                "INSERT INTO supplies (chain_id, token, token_id, supply, minted, burned, events)"
                " VALUES ($1, $2, $3::text::numeric, $4::text::numeric - $5::text::numeric,"
                " $4::text::numeric, $5::text::numeric, $6)"
                " ON CONFLICT (chain_id, token, token_id) DO UPDATE SET"
                " supply = supplies.supply + excluded.supply,"
                " minted = supplies.minted + excluded.minted,"
                " burned = supplies.burned + excluded.burned,"
                " events = supplies.events + excluded.events",
                [
                    (cid, k[0], str(k[1]), str(s[0]), str(s[1]), s[2])
                    for k, s in batch.supplies.items()
                ],
            )
        await conn.copy_records_to_table(
            "tmp_account_deltas",
            records=[(a, d[0], d[1], d[2]) for a, d in batch.account_deltas().items()],
        )
        await conn.execute(
            "INSERT INTO accounts (chain_id, address, first_block, last_block, transfers) "
            "SELECT $1, decode(substr(address, 3), 'hex'), first_block, last_block, transfers"
            " FROM tmp_account_deltas ON CONFLICT (chain_id, address) DO UPDATE SET "
            "first_block = LEAST(accounts.first_block, excluded.first_block), "
            "last_block = GREATEST(accounts.last_block, excluded.last_block), "
            "transfers = accounts.transfers + excluded.transfers",
            cid,
        )

    async def prune_blocks(self, below: int) -> None:
        """Forget headers older than the window that hold no event."""
        await self.conn.execute(
            "DELETE FROM blocks WHERE chain_id = $1 AND number < $2 AND NOT has_events",
            self.chain_id,
            below,
        )

    async def rollback(self, fork: int, contracts) -> int:
        """Undo every row above block ``fork`` exactly and set the checkpoint to ``fork``.

        Returns the number of events removed. Delta tables are reversed from the transfer rows
        being deleted; latest-state tables are rebuilt by replaying their remaining events.
        """
        conn = self.conn
        cid = self.chain_id
        async with conn.transaction():
            await conn.fetchval(
                "SELECT indexed_block FROM chains WHERE chain_id = $1 FOR UPDATE", cid
            )
            args = (cid, fork, MAX_BLOCK, ZERO_ADDRESS)
            await conn.execute(
                "INSERT INTO tmp_balances (token, token_id, holder, amount, transfers) "
                f"SELECT token, token_id, holder, amount, n FROM ({_BALANCE_DELTAS}) d",
                *args,
            )
            await conn.execute(
                "UPDATE balances b SET amount = b.amount - t.amount,"
                " transfers = b.transfers - t.transfers FROM tmp_balances t"
                " WHERE b.chain_id = $1 AND b.token = t.token AND b.token_id = t.token_id"
                " AND b.holder = t.holder",
                cid,
            )
            await conn.execute(
                "DELETE FROM balances b USING tmp_balances t WHERE b.chain_id = $1"
                " AND b.token = t.token AND b.token_id = t.token_id AND b.holder = t.holder"
                " AND b.transfers = 0",
                cid,
            )
            await conn.execute(
                f"WITH d AS ({_SUPPLY_DELTAS})"
                " UPDATE supplies s SET minted = s.minted - d.minted, burned = s.burned - d.burned,"
                "  supply = s.supply - d.minted + d.burned, events = s.events - d.n FROM d"
                " WHERE s.chain_id = $1 AND s.token = d.token AND s.token_id = d.token_id",
                *args,
            )
            await conn.execute("DELETE FROM supplies WHERE chain_id = $1 AND events = 0", cid)
            await conn.execute(
                "INSERT INTO tmp_accounts (address, transfers) "
                f"SELECT address, n FROM ({_ACCOUNT_DELTAS}) d",
                *args,
            )
            await conn.execute(
                "UPDATE accounts a SET transfers = a.transfers - t.transfers FROM tmp_accounts t"
                " WHERE a.chain_id = $1 AND a.address = t.address",
                cid,
            )
            await conn.execute(
                "DELETE FROM accounts a USING tmp_accounts t WHERE a.chain_id = $1"
                " AND a.address = t.address AND a.transfers = 0",
                cid,
            )
            n_events = await conn.fetchval(
                "SELECT count(*) FROM events WHERE chain_id = $1 AND block_number > $2", cid, fork
            )
            await conn.execute(
                "DELETE FROM event_rows WHERE chain_id = $1 AND block_number > $2", cid, fork
            )
            await conn.execute(
                "DELETE FROM transfers WHERE chain_id = $1 AND block_number > $2", cid, fork
            )
            for t in _tables(APPEND):
                await conn.execute(
                    f"DELETE FROM {t.name} WHERE chain_id = $1 AND block_number > $2", cid, fork
                )
            await conn.execute(
                "UPDATE accounts a SET last_block = (SELECT max(block_number) FROM ("
                "  SELECT max(block_number) AS block_number FROM transfers"
                "   WHERE chain_id = $1 AND to_addr = a.address"
                "  UNION ALL SELECT max(block_number) FROM transfers"
                "   WHERE chain_id = $1 AND from_addr = a.address) m)"
                " WHERE a.chain_id = $1 AND a.last_block > $2",
                cid,
                fork,
            )
            touched = [
                t
                for t in _tables(LATEST)
                if await conn.fetchval(
                    f"SELECT EXISTS (SELECT 1 FROM {t.name} WHERE chain_id = $1"
                    " AND block_number > $2)",
                    cid,
                    fork,
                )
            ]
            if touched:
                # A latest-state row may merge events from both sides of the fork: the chain's
                # rows of these tables are computed again from the events that remain.
                for t in touched:
                    await conn.execute(f"DELETE FROM {t.name} WHERE chain_id = $1", cid)
                await replay(conn, cid, contracts, touched)
            await conn.execute("DELETE FROM blocks WHERE chain_id = $1 AND number > $2", cid, fork)
            await changes.record_rollback(conn, cid, fork)
            await conn.execute(
                "UPDATE chains SET indexed_block = $2, finalized_block = LEAST(finalized_block,"
                " $2), updated_at = now() WHERE chain_id = $1",
                cid,
                fork,
            )
        return n_events


def _tables(kind: str) -> list[Table]:
    load()
    return [t for t in TABLES.values() if t.kind == kind]


async def _write_rows(conn, batch: Batch, tables) -> None:
    """COPY the batch's append rows and upsert its latest-state rows, for ``tables``."""
    for t in tables:
        if t.kind == APPEND:
            rows = batch.appends.get(t.name)
            if rows:
                await conn.copy_records_to_table(t.name, records=rows, columns=t.names)
        else:
            rows = batch.latest.get(t.name)
            if rows:
                await conn.executemany(t.upsert_sql, list(rows.values()))


# Events replayed per round trip when tables are computed again from the event log.
REPLAY_CHUNK = 20_000


async def replay(conn: asyncpg.Connection, chain_id: int, contracts, tables: list[Table]) -> int:
    """Run the handlers again over chain ``chain_id``'s stored events, in chain order, and write
    the rows they produce for ``tables`` (which hold none of this chain's rows). Returns the
    number of events replayed. The caller holds a transaction."""
    load()
    wanted = {h.event for h in HANDLERS if h.fn not in STANDARD_TRANSFER_HANDLERS.values()}
    # Standard transfer events live in `transfers`; the view `events` rebuilds them, needed only
    # if a handler other than the standard ones listens to one.
    source = "events" if TRANSFER_EVENT_NAMES & wanted else "event_rows"
    routes = {
        (info.address, route.spec.name): route
        for info in contracts.by_address.values()
        for route in info.routes.values()
    }
    names = {info.address: info.name for info in contracts.by_address.values()}
    c = Ctx()
    n = 0
    cursor = conn.cursor(
        "SELECT block_number, log_index, block_hash, tx_hash, contract, event, args"
        f" FROM {source} WHERE chain_id = $1 AND event = ANY($2::text[])"
        " ORDER BY block_number, log_index",
        chain_id,
        sorted(wanted),
        prefetch=REPLAY_CHUNK,
    )
    batch = Batch(chain_id)
    async for r in cursor:
        route = routes.get((r["contract"], r["event"]))
        if route is None:
            continue  # a contract no longer in the manifest
        c.block_number, c.log_index = r["block_number"], r["log_index"]
        c.block_hash, c.tx_hash = r["block_hash"], r["tx_hash"]
        c.contract, c.contract_name = r["contract"], names[r["contract"]]
        c.set_text(chain_id)
        values = route.from_json(r["args"])
        for h in route.handlers:
            h(batch, c, values)
        n += 1
        if n % REPLAY_CHUNK == 0:
            await _write_rows(conn, batch, tables)
            batch = Batch(chain_id)
    await _write_rows(conn, batch, tables)
    return n


async def sync_projections(conn: asyncpg.Connection, contracts_by_chain: dict) -> list[str]:
    """Create the declared tables that are missing and rebuild those whose declaration changed
    (``Table.fingerprint``) from the stored event log, each chain's events decoded with its
    contracts in ``contracts_by_chain`` ({chain_id: ChainContracts}); returns their names.

    One transaction under the migration lock: a crash leaves the former tables in place."""
    load()
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        built = {
            r[0]: r[1] for r in await conn.fetch("SELECT name, fingerprint FROM projection_tables")
        }
        stale = [t for t in TABLES.values() if built.get(t.name) != t.fingerprint]
        if not stale:
            return []
        async with conn.transaction():
            for t in stale:
                await conn.execute(f"DROP TABLE IF EXISTS {t.name} CASCADE")
                for stmt in t.ddl():
                    await conn.execute(stmt)
                await conn.execute(
                    "INSERT INTO projection_tables (name, fingerprint) VALUES ($1, $2)"
                    " ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint,"
                    " built_at = now()",
                    t.name,
                    t.fingerprint,
                )
            for (chain_id,) in await conn.fetch("SELECT chain_id FROM chains ORDER BY chain_id"):
                contracts = contracts_by_chain.get(chain_id)
                if contracts is None:
                    log.warning(
                        "chain not in the manifest: its rows of rebuilt tables stay empty",
                        extra={"chain": chain_id, "tables": [t.name for t in stale]},
                    )
                    continue
                n = await replay(conn, chain_id, contracts, stale)
                log.info(
                    "projection tables rebuilt from the event log",
                    extra={"chain": chain_id, "tables": [t.name for t in stale], "events": n},
                )
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    return [t.name for t in stale]
