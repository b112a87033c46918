"""Read-only HTTP API over the indexer's PostgreSQL tables (FastAPI, asyncpg, GET only)."""
