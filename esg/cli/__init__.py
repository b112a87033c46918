"""``esg``: one command line for the local chains, the deployment and every service.

=============  ===============================================  ====================================
command        what it runs                                     also as
=============  ===============================================  ====================================
nodes          start, stop or list the local chains             ``python -m esg.nodes``
deploy         deploy the ecosystem to one chain (ape)          ``ape run deploy``
demo           the whole system on the local chains             ``python -m esg.demo``
index          the indexer                                      ``python -m indexer``
api            the read-only API                                ``python -m api``
relay          the bridge relayer (run, status, retry)          ``python -m bridge``
validator      one bridge validator                             ``python -m bridge.validator``
oracle         the ESG oracle                                   ``python -m oracle``
web            the web dApp's server                            ``python -m esg.web``
besu-layout    keys, genesis and configs of a Besu QBFT network ``python -m besu.qbft_network``
=============  ===============================================  ====================================

A command's module is imported only when it runs, so ``esg --help`` and ``esg index`` never load
ape or the API.
"""

from __future__ import annotations

import importlib

import click

# name -> (module:attribute of the click command, one line of help)
COMMANDS: dict[str, tuple[str, str]] = {
    "nodes": ("esg.nodes:cli", "Start, stop or list the local chains (anvil)."),
    "deploy": ("esg.cli.deploy:deploy", "Deploy all eight tokens and governance to one chain."),
    "demo": ("esg.demo:cli", "Bring the whole system up on the local chains."),
    "index": ("esg.cli.services:index", "Index every chain of the manifest into PostgreSQL."),
    "api": ("esg.cli.services:api", "Serve the read-only API."),
    "relay": ("bridge.relayer:cli", "Run the bridge relayer, or show or retry its messages."),
    "validator": ("bridge.validator:cli", "Run one bridge validator."),
    "oracle": ("esg.cli.services:oracle", "Serve the ESG oracle."),
    "web": ("esg.cli.services:web", "Serve the built web dApp."),
    "besu-layout": ("besu.qbft_network:cli", "Lay out a Besu QBFT network."),
}


class LazyGroup(click.Group):
    """Subcommands imported on use; the overview takes their help from ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="esg-token-ecosystem", prog_name="esg")
def main() -> None:
    """The ESG Token Ecosystem: local chains, deployment and services."""


def run(command: click.Command, argv: list[str] | None, prog_name: str) -> int:
    """Run a click command as a ``main(argv) -> exit status`` function (``python -m ...``)."""
    try:
        command.main(argv, prog_name=prog_name)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0
