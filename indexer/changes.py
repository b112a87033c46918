"""Entity-level change records: which entities each committed batch (or rollback) changed.

Each write records, in the transaction of its rows, the entities its rows are about (the
``entity=`` columns of the projection declarations: accounts, carbon batches, proposals,
certificates, ...; the holders and tokens of its transfers) in ``entity_versions`` with one number
from ``entity_change_seq``, stores that number as the chain's ``change_seq`` and announces it with
``NOTIFY esg_entity_changes, '<chain_id>:<seq>'`` (delivered at commit, dropped on rollback). A
reorg rollback gives every entity recorded above the fork block a new number.

A batch that changes more than ``WIDE_BATCH`` entities (a backfill far behind the head) records
one change of the whole chain instead, ``('chain', '*')``: readers drop everything they hold of the
chain, and the indexer's bulk throughput does not pay for a row per holder.

Keys: an address is its lower-case hex without 0x; an id (scoped to its chain) its decimal text;
a token its contract's hex.
"""

from __future__ import annotations

from indexer.projections import Batch
from indexer.projections.schema import TABLES, Table

CHANNEL = "esg_entity_changes"
WIDE_BATCH = 5_000
WHOLE_CHAIN = ("chain", "*")

# One round trip: the number, the versions, the chain's change_seq and the notification.
_RECORD = f"""
WITH s AS (SELECT nextval('entity_change_seq') AS seq),
v AS (
  INSERT INTO entity_versions (kind, key, chain_id, seq, block_number)
  SELECT e.kind, e.key, $1, s.seq, $2 FROM s, unnest($3::text[], $4::text[]) AS e(kind, key)
  ON CONFLICT (kind, key, chain_id) DO UPDATE
  SET seq = excluded.seq, block_number = excluded.block_number
),
c AS (UPDATE chains SET change_seq = s.seq FROM s WHERE chain_id = $1)
SELECT pg_notify('{CHANNEL}', $1::text || ':' || s.seq::text) FROM s
"""

_ROLLBACK = f"""
WITH s AS (SELECT nextval('entity_change_seq') AS seq),
v AS (
  UPDATE entity_versions e SET seq = s.seq, block_number = $2 FROM s
  WHERE e.chain_id = $1 AND e.block_number > $2
),
c AS (UPDATE chains SET change_seq = s.seq FROM s WHERE chain_id = $1)
SELECT pg_notify('{CHANNEL}', $1::text || ':' || s.seq::text) FROM s
"""


def _key(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _entity_columns(table: Table) -> tuple[tuple[int, str], ...]:
    cached = _COLUMNS.get(table.name)
    if cached is None:
        cached = _COLUMNS[table.name] = tuple(
            (i, c.entity.name)
            for i, c in enumerate(table.columns)
            if c.entity is not None and not c.type.endswith("[]")
        )
    return cached


_COLUMNS: dict[str, tuple[tuple[int, str], ...]] = {}


class _Wide(Exception):
    """More than ``WIDE_BATCH`` entities: the batch records its whole chain."""


def batch_entities(batch: Batch) -> tuple[set[tuple[str, str]], list[tuple[Table, str, str]]]:
    """The (kind, key) entities ``batch`` changes, and the (table, column, kind) of latest-state
    rows whose entity column the batch leaves unset (a ``keep`` column: the stored row holds
    it; ``record`` reads it from the table). ``{WHOLE_CHAIN}`` as soon as there are more than
    ``WIDE_BATCH`` (a bulk batch stops counting there: its cost stays off the indexer's CPU)."""
    try:
        return _entities(batch)
    except _Wide:
        return {WHOLE_CHAIN}, []


def _entities(batch: Batch) -> tuple[set[tuple[str, str]], list[tuple[Table, str, str]]]:
    out: set[tuple[str, str]] = set()
    holders: set[str] = set()
    tokens: set[bytes] = set()
    for token, _token_id, holder in batch.balances:
        if holder not in holders:
            holders.add(holder)
            if len(holders) > WIDE_BATCH:
                raise _Wide
        tokens.add(token)
    tokens.update(token for token, _token_id in batch.supplies)
    out.update(("account", h[2:].lower()) for h in holders)
    out.update(("token", t.hex()) for t in tokens)
    unset: list[tuple[Table, str, str]] = []
    for name, rows in batch.latest.items():
        if not rows:
            continue
        table = TABLES[name]
        for i, kind in _entity_columns(table):
            missing = False
            for row in rows.values():
                k = _key(row[i])
                if k is None:
                    missing = True
                else:
                    out.add((kind, k))
            if missing:
                unset.append((table, table.columns[i].name, kind))
        if len(out) > WIDE_BATCH:
            raise _Wide
    for name, rows in batch.appends.items():
        cols = _entity_columns(TABLES[name])
        for row in rows:
            for i, kind in cols:
                k = _key(row[i])
                if k is not None:
                    out.add((kind, k))
        if len(out) > WIDE_BATCH:
            raise _Wide
    return out, unset


async def record(conn, chain_id: int, batch: Batch, previous: int, block: int) -> None:
    """Record the entities ``batch`` (blocks ``previous`` + 1 .. ``block``) changed; in the
    caller's transaction, after the batch's rows are written."""
    entities, unset = batch_entities(batch)
    if not entities and not unset:
        return
    if entities == {WHOLE_CHAIN}:
        unset = []
    for table, column, kind in unset:
        rows = await conn.fetch(
            f"SELECT DISTINCT {column} FROM {table.name}"
            f" WHERE chain_id = $1 AND block_number > $2 AND {column} IS NOT NULL",
            chain_id,
            previous,
        )
        entities.update((kind, _key(r[0])) for r in rows)
    if len(entities) > WIDE_BATCH:
        entities = {WHOLE_CHAIN}
    kinds = [e[0] for e in entities]
    keys = [e[1] for e in entities]
    await conn.execute(_RECORD, chain_id, block, kinds, keys)


async def record_rollback(conn, chain_id: int, fork: int) -> None:
    """Give every entity of chain ``chain_id`` changed above block ``fork`` a new number; in
    the rollback's transaction, before its checkpoint moves."""
    await conn.execute(_ROLLBACK, chain_id, fork)
