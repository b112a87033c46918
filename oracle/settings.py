"""Oracle settings from the environment (prefix ``ORACLE_``; ``DATABASE_URL`` and ``ESG_MANIFEST`` plain).

Private keys (``ORACLE_SIGNER_KEY``, ``ORACLE_AUDITOR_KEY``) and the evidence keys
(``ORACLE_EVIDENCE_KEYS``) may instead be read from files (``*_FILE``); none of them is ever
logged or returned by a route.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, PositiveFloat, PositiveInt, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from esg.paths import deployments_dir, runtime_dir
from esg.settings import Port, Seconds


def _home() -> Path:
    return runtime_dir() / "oracle"


class Settings(BaseSettings):
    """Every knob of the oracle service."""

    model_config = SettingsConfigDict(env_prefix="ORACLE_", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        None, validation_alias=AliasChoices("ORACLE_DATABASE_URL", "DATABASE_URL")
    )
    host: str = "127.0.0.1"
    port: Port = 8100
    # HTTPS (TLS 1.3 minimum) when both are given.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # SIWE: the domain and URI sign-in messages must name (default: host:port).
    siwe_domain: str | None = None
    siwe_ttl: PositiveInt = 300
    jwt_ttl: PositiveInt = 900
    jwt_issuer: str = "esg-oracle"
    jwt_key_dir: Path = Field(default_factory=lambda: _home() / "jwt")
    # Evidence keys "id:base64,id:base64" (first one active), else the key file (created if absent).
    evidence_keys: SecretStr | None = None
    evidence_key_file: Path = Field(default_factory=lambda: _home() / "evidence.keys")
    manifest: Path = Field(
        default_factory=lambda: deployments_dir() / "local.json",
        validation_alias=AliasChoices("ORACLE_MANIFEST", "ESG_MANIFEST"),
    )
    # Chain the oracle attests on (default: the manifest's only or first chain).
    chain_id: int | None = None
    rpc_url: str | None = None
    signer_key: SecretStr | None = None
    signer_key_file: Path | None = None
    auditor_key: SecretStr | None = None
    auditor_key_file: Path | None = None
    # Addresses allowed to approve held cases (never the signer's or the submitter's own).
    reviewers: list[str] = []
    # A change of the overall score above this (bp) waits for a reviewer.
    review_threshold_bp: int = 1_000
    # ECT minted per tonne of CO2e a verified action avoided (whole tokens).
    ect_per_tonne: int = 20
    # Who receives the AET reward of the oracle's own model audits (default: the signer).
    aet_recipient: str | None = None
    methodology_version: int = 2
    model_dir: Path = Field(default_factory=lambda: _home() / "models")
    train_rows: PositiveInt = 6000
    max_report_bytes: PositiveInt = 5_000_000
    max_metrics_bytes: PositiveInt = 1_000_000
    max_image_bytes: PositiveInt = 8_000_000
    max_case_files: PositiveInt = 20
    # Seconds between passes of the submitter (new attestations, receipts, rebroadcasts).
    submit_interval: Seconds = 0.5
    # Seconds to wait before rebroadcasting a signed transaction that is not yet mined.
    rebroadcast_after: Seconds = 5.0
    # Power of one busy core (W) for the energy estimate where RAPL counters are not readable
    # (oracle/energy.py): an AMD EPYC 7763's 280 W TDP over its 64 cores.
    watts_per_core: PositiveFloat = 4.4
    log_level: str = "INFO"
