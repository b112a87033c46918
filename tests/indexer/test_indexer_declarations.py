"""Every handler reads fields its event has, and writes columns its tables have, with values
PostgreSQL accepts; every declared table and column is written by some handler."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest

from indexer.abi import build_event
from indexer.projections import HANDLERS, Batch, Ctx, load
from indexer.projections.schema import TABLES
from indexer.projections.standard import STANDARD_TRANSFER_HANDLERS
from indexer.store import _write_rows, connect, migrate, sync_projections
from tests.support import indexing

# The contracts of the manifest (deploy names) with ABIs from the project's own sources.
CONTRACTS = ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET", "Governor", "Bridge")


def _value(t: str, i: int):
    """A valid decoded value of ABI type ``t`` (as the decoder gives it), varied by ``i``."""
    if t.endswith("[]"):
        return [_value(t[:-2], i), _value(t[:-2], i + 1)]
    if t == "address":
        return "0x" + f"{i + 1:040x}"
    if t == "bool":
        return i % 2 == 0
    if t.startswith(("uint", "int")):
        return i + 1
    if t.startswith("bytes"):
        n = int(t[5:]) if t != "bytes" else 3
        return "0x" + bytes([i + 1] * n).hex()
    if t == "string":
        return f"text {i}"
    raise AssertionError(f"no sample for ABI type {t}")


def _abis(project) -> dict[str, list[dict]]:
    abis = {
        name: [
            item.model_dump(mode="json", by_alias=True) for item in project[name].contract_type.abi
        ]
        for name in CONTRACTS
    }
    abis["EMIT"] = indexing.EMITTER_ABI
    return abis


def test_handlers_match_their_events_and_tables(project):
    load()
    abis = _abis(project)
    batch = Batch(31337)
    c = Ctx()
    c.block_number, c.log_index = 7, 0
    c.block_hash, c.tx_hash, c.contract = b"\x01" * 32, b"\x02" * 32, b"\x03" * 20
    c.set_text(31337)
    ran = 0
    for h in HANDLERS:
        if h.fn in STANDARD_TRANSFER_HANDLERS.values():
            continue  # positional by standard; their rows are the ledger, not declared tables
        contracts = [h.contract] if h.contract else list(abis)
        specs = [
            build_event(item)
            for name in contracts
            for item in abis[name]
            if item.get("type") == "event" and item["name"] == h.event
        ]
        assert specs, f"{h.fn.__name__}: no event {h.event} in {contracts}"
        for spec in specs:
            ev = spec.record(_value(t, i) for i, t in enumerate(spec.arg_types))
            c.log_index += 1
            # An unknown field raises AttributeError, an unknown column ProjectionError.
            h.fn(batch, c, ev)
            ran += 1
    assert ran >= 25

    written: dict[str, set[str]] = defaultdict(set)
    for name, rows in [*batch.appends.items(), *((n, r.values()) for n, r in batch.latest.items())]:
        t = TABLES[name]
        for row in rows:
            assert len(row) == len(t.columns), name
            written[name] |= {
                col.name for col, v in zip(t.columns, row, strict=True) if v is not None
            }
    for t in TABLES.values():
        # An ordinal is numbered by its table, never written.
        missing = {c.name for c in t.columns if c.type != "ordinal"} - written[t.name]
        assert not missing, f"{t.name}: columns no handler writes: {sorted(missing)}"

    url = indexing.new_database("decl")

    async def store() -> None:
        conn = await connect(url)
        try:
            await migrate(conn)
            await sync_projections(conn, {})
            async with conn.transaction():
                await _write_rows(conn, batch, TABLES.values())
            for t in TABLES.values():
                assert await conn.fetchval(f"SELECT count(*) FROM {t.name}") > 0, t.name
        finally:
            await conn.close()

    try:
        asyncio.run(store())
    finally:
        indexing.drop_database(url)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_index_names_fit_postgresql(table):
    for name, _ in TABLES[table].indexes():
        assert len(name) <= 63, name
