"""Settings of local runs from the environment (prefix ``ESG_``; ``DATABASE_URL`` plain).

Where a run keeps its state (``ESG_HOME``), where deployment manifests live
(``ESG_DEPLOYMENTS``) and which one the services read (``ESG_MANIFEST``), the embedded
PostgreSQL's database name (``ESG_DATABASE``), the local chain profiles' ports and external URLs
(``ESG_<PROFILE>_PORT``, ``ESG_<PROFILE>_URL``; esg.nodes) and the anvil executable
(``ESG_ANVIL``). Read afresh on every call, so a changed environment (a test, the demo's child
processes) takes effect at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# Constrained values the services' settings share: a refused value names its variable.
Port = Annotated[int, Field(ge=1, le=65535)]
# A metrics port: 0 serves no metrics.
MetricsPort = Annotated[int, Field(ge=0, le=65535)]
# A duration or interval; pydantic's PositiveInt and NonNegativeInt serve for counts.
Seconds = Annotated[float, Field(gt=0)]


class SettingsError(ValueError):
    """A variable of the environment holds a value its setting refuses."""


class LocalSettings(BaseSettings):
    """Every knob of local runs."""

    model_config = SettingsConfigDict(env_prefix="ESG_", extra="ignore", env_ignore_empty=True)

    home: Path = PROJECT_ROOT / ".run"
    deployments: Path = PROJECT_ROOT / "deployments"
    # The manifest the services read (default: <deployments>/local.json).
    manifest: Path | None = None
    # A server of the user's; unset: the embedded PostgreSQL and its database ``database``.
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    database: str = "esg"
    anvil: str | None = None
    # Ports of the local profiles (default: the profile's own) and URLs of nodes run elsewhere.
    besu_port: Port | None = None
    ethereum_port: Port | None = None
    polygon_port: Port | None = None
    besu_url: str | None = None
    ethereum_url: str | None = None
    polygon_url: str | None = None


def local_settings() -> LocalSettings:
    """The settings as the environment has them now; a refused value is a SettingsError naming
    the variable."""
    try:
        return LocalSettings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        var = name if name.isupper() else "ESG_" + name.upper()
        raise SettingsError(f"{var}={error['input']!r}: {error['msg']}") from None
