"""Play the demo scenario on a deployed ecosystem (local networks; uses ape's test accounts).

ape run deploy --network besu:local:node --account TEST::0
ape run demo --network besu:local:node
"""

import click
from ape import accounts, project
from ape.cli import ConnectedProviderCommand

from esg.deploy import attach
from esg.manifest import load_manifest, manifest_path
from esg.personas import Personas
from esg.scenario import play


@click.command(cls=ConnectedProviderCommand, short_help="Play the demo scenario")
@click.option("--manifest", "manifest_name", default="local", show_default=True)
def cli(network, provider, manifest_name):
    if not network.is_local:
        raise click.ClickException(
            "the demo signs with public test keys: run it on a local network only"
        )
    manifest = load_manifest(manifest_path(manifest_name))
    chain = manifest.chains.get(provider.chain_id)
    if chain is None:
        raise click.ClickException(
            f"no deployment for chain {provider.chain_id} in {manifest.path}; run `ape run deploy` first"
        )
    who = Personas.from_accounts(accounts.test_accounts)
    play(attach(project, chain), who, provider, say=click.echo)
