"""The oracle's PostgreSQL schema (``oracle``), migrated from ``oracle/migrations/*.sql``.

Each migration runs once, in order, inside one transaction with its bookkeeping row, under an
advisory lock so two oracle processes starting together do not race.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import orjson

from esg.database import apply_migrations

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_ID = 0x0AC1E  # advisory lock key of the oracle's migrations


async def _init(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: orjson.dumps(v).decode(),
        decoder=orjson.loads,
        schema="pg_catalog",
    )


async def create_pool(url: str, **kw) -> asyncpg.Pool:
    """A pool whose connections read and write jsonb as Python objects."""
    return await asyncpg.create_pool(url, init=_init, **{"min_size": 1, "max_size": 8, **kw})


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply the migrations not applied yet; returns their names."""
    return await apply_migrations(conn, MIGRATIONS, table="oracle.migrations", lock=LOCK_ID)
