"""API settings from the environment (prefix ``API_``; ``DATABASE_URL`` and ``REDIS_URL`` plain)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, NonNegativeInt, PositiveInt, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from esg.settings import Port, Seconds


class Settings(BaseSettings):
    """Every knob of the API server."""

    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        None, validation_alias=AliasChoices("API_DATABASE_URL", "DATABASE_URL")
    )
    # A replica to read from (e.g. an Aurora reader endpoint); the API never writes, so every
    # query goes there when it is set.
    database_read_url: str | None = Field(
        None, validation_alias=AliasChoices("API_DATABASE_READ_URL", "DATABASE_READ_URL")
    )
    redis_url: str | None = Field(None, validation_alias=AliasChoices("API_REDIS_URL", "REDIS_URL"))
    # Deployment manifest whose RPC URLs the health check asks (skipped when absent).
    manifest: Path | None = Field(
        None, validation_alias=AliasChoices("API_MANIFEST", "ESG_MANIFEST")
    )
    # Prepended to every Redis key (several deployments sharing one Redis).
    cache_prefix: str = ""
    host: str = "127.0.0.1"
    port: Port = 8000
    # HTTPS (TLS 1.3 minimum) when both are given.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    workers: PositiveInt = 1
    pool_min: PositiveInt = 2
    pool_max: PositiveInt = 8
    # Milliseconds a single query may run before PostgreSQL cancels it.
    statement_timeout_ms: PositiveInt = 2000
    # Requests per minute per client IP; 0 disables the limit.
    rate_limit: NonNegativeInt = 1000
    # Addresses or networks of the proxies in front of the API (comma-separated, e.g.
    # "10.0.0.0/8,127.0.0.1"). Only a connection from one of them may name the client in
    # X-Forwarded-For (the rightmost address not itself a trusted proxy); empty trusts nobody.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # Seconds between reads of the indexed heads (the cache and ETag key); also the longest a
    # kept answer outlives a change of its entity should a notification be lost.
    head_poll_interval: Seconds = 0.25
    # LISTEN for the indexer's change notifications (off behind a pooler that cannot pass them,
    # such as PgBouncer in transaction mode: changes then arrive with the head poll only).
    listen_changes: bool = True
    # Seed TTLs (seconds) of the shared cache entries.
    score_ttl: PositiveInt = 1800
    balance_ttl: PositiveInt = 300
    profile_ttl: PositiveInt = 300
    # Bodies kept per worker in the in-process response cache.
    response_cache_entries: NonNegativeInt = 10_000
    # Cache-Control max-age for answers that still depend on non-final blocks.
    max_age: NonNegativeInt = 1
    # Cache-Control max-age for answers that only hold final rows of a closed block range.
    final_max_age: NonNegativeInt = 86_400
    access_log: bool = True
    log_level: str = "INFO"
    # Seconds a node may take to answer the health check's eth_blockNumber.
    node_timeout: Seconds = 1.0

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> list[str]:
        items = value.split(",") if isinstance(value, str) else list(value)
        out = []
        for item in (str(i).strip() for i in items):
            if not item:
                continue
            try:
                out.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(
                    f"API_TRUSTED_PROXIES: {item!r} is not an IP address or network"
                ) from None
        return out

    # Browser origins allowed to read the API (CORS): comma-separated or a JSON list; empty:
    # same origin only.
    cors_origins: Annotated[list[str], NoDecode] = []

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = json.loads(value) if value.lstrip().startswith("[") else value.split(",")
        if isinstance(value, list):
            return [str(o).strip().rstrip("/") for o in value if str(o).strip()]
        return value
