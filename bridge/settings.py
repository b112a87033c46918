"""Settings of the bridge services from the environment (pydantic-settings).

The relayer reads ``BRIDGE_RELAYER_*``, each validator ``BRIDGE_VALIDATOR_*`` (one process per
validator, each with its own environment); both take the database and the manifest from the plain
``DATABASE_URL`` and ``ESG_MANIFEST`` the other services use. Per-chain maps are JSON, e.g.
``BRIDGE_VALIDATOR_RPC_URLS='{"2025": ["http://node-a:8545"]}'``.

The signing key comes from a keystore file (the encrypted JSON that ``ape accounts generate`` /
``ape accounts import`` write under ``~/.ape/accounts/``), named by ``KEY_FILE`` or by an ape
account ``ACCOUNT_ALIAS``, with its passphrase in ``PASSPHRASE`` or in ``PASSPHRASE_FILE``.
``DEV_ACCOUNT=N`` instead derives account N of the public anvil mnemonic: DEVELOPMENT ONLY,
every such key is public.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PositiveInt, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from esg.chain.finality import Finality
from esg.settings import MetricsPort, Seconds


class _Common(BaseSettings):
    """Knobs both bridge services share (each subclass sets its own prefix)."""

    # Unset: the embedded PostgreSQL, as every service.
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    # Unset: deployments/local.json.
    manifest: Path | None = Field(None, validation_alias="ESG_MANIFEST")
    # RPC URLs per chain id, tried in order with failover (default: the manifest's rpc_urls).
    rpc_urls: dict[int, list[str]] = {}
    # Finality per chain id: "instant", "tag" or "depth:N" (default: by the chain's network).
    finality: dict[int, str] = {}
    # Seconds between rounds.
    poll_interval: Seconds = 1.0
    # Most blocks per eth_getLogs call.
    block_range: PositiveInt = 2000
    rpc_timeout: Seconds = 30.0
    metrics_host: str = "127.0.0.1"
    log_level: str = "INFO"
    # The signing key (see the module notes).
    key_file: Path | None = None
    account_alias: str | None = None
    passphrase: SecretStr | None = None
    passphrase_file: Path | None = None
    dev_account: int | None = None

    @field_validator("finality")
    @classmethod
    def _finality_rules(cls, value: dict[int, str]) -> dict[int, str]:
        for spec in value.values():
            Finality.parse(spec)
        return value


class RelayerSettings(_Common):
    """The relayer: follows every chain, collects signatures, submits and pays gas."""

    model_config = SettingsConfigDict(
        env_prefix="BRIDGE_RELAYER_", extra="ignore", populate_by_name=True
    )

    metrics_port: MetricsPort = 9465
    # Failed submissions of one message before it is marked failed.
    max_attempts: PositiveInt = 8
    # Backoff after the n-th failed attempt: min(backoff_max, backoff_base * 2**(n - 1)) seconds.
    backoff_base: Seconds = 2.0
    backoff_max: Seconds = 600.0
    # Seconds to wait for a submitted transaction's receipt.
    receipt_timeout: Seconds = 120.0


class ValidatorSettings(_Common):
    """One validator: follows the source chains itself and signs final messages."""

    model_config = SettingsConfigDict(
        env_prefix="BRIDGE_VALIDATOR_", extra="ignore", populate_by_name=True
    )

    metrics_port: MetricsPort = 9466
