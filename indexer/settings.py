"""Indexer settings from the environment (prefix ``INDEXER_``; a few documented plain names)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, NonNegativeInt, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

from esg.chain.finality import Finality
from esg.settings import MetricsPort, Seconds


class Settings(BaseSettings):
    """Every knob of the indexer; JSON for the per-chain maps, e.g.
    ``INDEXER_RPC_URLS='{"2025": ["http://a:8545", "http://b:8545"]}'``."""

    model_config = SettingsConfigDict(env_prefix="INDEXER_", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        None, validation_alias=AliasChoices("INDEXER_DATABASE_URL", "DATABASE_URL")
    )
    manifest: Path | None = Field(
        None, validation_alias=AliasChoices("INDEXER_MANIFEST", "ESG_MANIFEST")
    )
    # Chain ids to index (default: every chain of the manifest).
    chains: list[int] | None = None
    # RPC URLs per chain id, tried in order with failover (default: the manifest's rpc_urls).
    rpc_urls: dict[int, list[str]] = {}
    # Finality per chain id: "instant", "tag" (the node's `finalized` block) or "depth:N".
    finality: dict[int, str] = {}
    # Seconds between head polls once synced; with a head subscription, the longest wait.
    poll_interval: Seconds = 0.15
    # WebSocket URL per chain id for `eth_subscribe ["newHeads"]` (wake-ups of the poll loop);
    # "" disables it for that chain.
    ws_urls: dict[int, str] = {}
    # Without a configured URL: try ws://host:port of a plain-HTTP localhost RPC URL, kept only
    # if its first connection attempt succeeds.
    ws_derive: bool = True
    # Longest wait between reconnection attempts of a lost subscription.
    ws_max_backoff: Seconds = 30.0
    # Recent blocks whose hashes are kept and checked; a deeper reorg is a fatal error.
    reorg_window: PositiveInt = 128
    # Target number of logs per eth_getLogs call (the block range adapts to it).
    logs_per_request: PositiveInt = 2500
    # Most logs committed in one transaction during a backfill: decoded ranges waiting for the
    # writer are committed together up to this many (and up to half as many wait for it).
    commit_logs: PositiveInt = 20000
    initial_block_span: PositiveInt = 1
    max_block_span: PositiveInt = 100_000
    # Decoded ranges that may wait for the writer during backfill, however many logs they hold
    # (more may wait while they hold fewer than commit_logs / 2 logs together).
    prefetch: PositiveInt = 1
    # Bulk mode: drop the secondary indexes of `transfers` and `event_rows` while a backfill
    # expects at least this many more events (and half the rows already stored) before the head;
    # built again before the head is committed. 0 disables.
    bulk_min_events: NonNegativeInt = 100_000
    # Blocks per partition of `transfers` and `event_rows` (indexer/partitions.py), created
    # `partitions_ahead` partitions beyond the head; 0 leaves every row in the DEFAULT partition.
    partition_blocks: NonNegativeInt = 1_000_000
    partitions_ahead: NonNegativeInt = 2
    # Seconds between the keeper's checks of the heads (each commit covers its own blocks too).
    partition_check_interval: Seconds = 0.25
    rpc_timeout: Seconds = 30.0
    rpc_max_backoff: Seconds = 10.0
    # A chain that is behind and makes no progress for this long is reported as stalled.
    stall_seconds: Seconds = 60.0
    metrics_port: MetricsPort = 9464
    metrics_host: str = "127.0.0.1"
    log_level: str = "INFO"
    # "auto": a progress bar when stdout is a terminal; "on" / "off" force it.
    progress: str = "auto"
    # Stop once every chain has reached this block or its head (tests and benchmarks).
    exit_when_synced: bool = False

    def finality_for(self, chain_id: int, network: str) -> str:
        return str(Finality.for_network(network, self.finality.get(chain_id)))
