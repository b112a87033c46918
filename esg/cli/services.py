"""The long-running services as ``esg`` commands: each takes its settings as options (see
esg.cli.settings) and starts the service's own entry point."""

from __future__ import annotations

import click

from api.settings import Settings as ApiSettings
from esg.cli.settings import apply, settings_options
from esg.web import WebSettings
from indexer.settings import Settings as IndexerSettings
from oracle.settings import Settings as OracleSettings


def _exit(code: int | None) -> None:
    click.get_current_context().exit(code or 0)


@click.command()
@settings_options(IndexerSettings)
def index(**values) -> None:
    """Index every chain of the deployment manifest into PostgreSQL (``python -m indexer``).

    Exits 3 when another indexer already writes one of the chains to the same database."""
    apply(IndexerSettings, values)
    from indexer.__main__ import main

    _exit(main())


@click.command()
@settings_options(ApiSettings)
def api(**values) -> None:
    """Serve the read-only API with uvicorn (``python -m api``); HTTPS with TLS 1.3 as the
    minimum when --tls-cert and --tls-key are given."""
    apply(ApiSettings, values)
    from api.__main__ import main

    _exit(main())


@click.command()
@settings_options(OracleSettings)
def oracle(**values) -> None:
    """Serve the ESG oracle (``python -m oracle``). Its keys come from the environment or
    files (ORACLE_SIGNER_KEY_FILE, ...; docs/oracle.md), never from the command line."""
    apply(OracleSettings, values)
    from oracle.__main__ import main

    _exit(main())


@click.command()
@settings_options(WebSettings)
def web(**values) -> None:
    """Serve the built web dApp and its config.js (``python -m esg.web``)."""
    apply(WebSettings, values)
    from esg.web import main

    _exit(main())
