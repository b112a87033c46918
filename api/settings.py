"""API settings from the environment (prefix ``API_``; ``DATABASE_URL`` and ``REDIS_URL`` plain)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the API server."""

    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        None, validation_alias=AliasChoices("API_DATABASE_URL", "DATABASE_URL")
    )
    redis_url: str | None = Field(None, validation_alias=AliasChoices("API_REDIS_URL", "REDIS_URL"))
    # Deployment manifest whose RPC URLs the health check asks (skipped when absent).
    manifest: Path | None = Field(
        None, validation_alias=AliasChoices("API_MANIFEST", "ESG_MANIFEST")
    )
    # Prepended to every Redis key (several deployments sharing one Redis).
    cache_prefix: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    pool_min: int = 2
    pool_max: int = 8
    # Milliseconds a single query may run before PostgreSQL cancels it.
    statement_timeout_ms: int = 2000
    # Requests per minute per client IP; 0 disables the limit.
    rate_limit: int = 1000
    # Seconds between reads of the indexed heads (the cache and ETag key).
    head_poll_interval: float = 0.25
    # Seed TTLs (seconds) of the shared cache entries.
    score_ttl: int = 1800
    balance_ttl: int = 300
    profile_ttl: int = 300
    # Bodies kept per worker in the in-process response cache.
    response_cache_entries: int = 10_000
    # Cache-Control max-age for answers that still depend on non-final blocks.
    max_age: int = 1
    # Cache-Control max-age for answers that only hold final rows of a closed block range.
    final_max_age: int = 86_400
    access_log: bool = True
    log_level: str = "INFO"
    # Seconds a node may take to answer the health check's eth_blockNumber.
    node_timeout: float = 1.0
