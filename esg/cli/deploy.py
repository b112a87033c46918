"""``esg deploy``: deploy the ESG Token Ecosystem to the network given with ``--network``.

    esg deploy --network ethereum:local:foundry --account TEST::0
    esg deploy --network besu:local:node --account deployer --manifest local
    esg deploy --network polygon:amoy:node --account deployer --manifest amoy

``ape run deploy`` (scripts/deploy.py) is the same command. It runs from the project folder,
whose contracts ape compiles and deploys.

With ``--bridge root|child --validator 0x.. [--validator ..]`` the bridge is deployed and its tokens
configured too; a child deployment (``--bridge child --governance-chain <root chain id>``) gets child
copies of GST, ECT and CCR (no minting: units only by bridge deposit), governed from the root chain.
Pairing with the other chain's bridge (``map_token``) is an admin call, so deploy with
``--keep-admin``, pair both sides, then hand admin over (see docs/bridge.md).

The deployment is recorded in ``deployments/<manifest>.json`` (one entry per chain id, with every
contract's address, deploy block and ABI path). A chain that already has a deployment in that
manifest is left alone unless ``--fresh`` is given. Live networks ask for confirmation first.
"""

import click
from ape import project
from ape.cli import ConnectedProviderCommand, account_option

from esg.deploy import Operators, Params, deploy_bridge, deploy_ecosystem, record, transfer_admin
from esg.manifest import load_manifest, manifest_path


def _operator_option(role: str):
    flag = "--" + role.removesuffix("_ROLE").lower()
    return click.option(
        flag, role, default=None, help=f"Address that receives {role} (default: the deployer)"
    )


@click.command(
    name="deploy",
    cls=ConnectedProviderCommand,
    short_help="Deploy all eight tokens and governance",
)
@account_option()
@click.option(
    "--manifest",
    "manifest_name",
    default="local",
    show_default=True,
    help="Manifest name under deployments/",
)
@click.option(
    "--fresh", is_flag=True, help="Deploy again even if this chain already has a deployment"
)
@click.option(
    "--keep-admin",
    is_flag=True,
    help="Keep the deployer as admin instead of handing it to the timelock",
)
@click.option("--yes", is_flag=True, help="Skip the confirmation on live networks")
@click.option(
    "--bridge",
    type=click.Choice(["none", "root", "child"]),
    default="none",
    show_default=True,
    help="Also deploy the bridge: 'root' locks originals (besu/ethereum), 'child' mints on Polygon",
)
@click.option(
    "--validator", "validators", multiple=True, help="Bridge validator address (repeat for each)"
)
@click.option(
    "--threshold", type=int, default=None, help="Bridge signatures required (default: a majority)"
)
@click.option(
    "--governance-chain",
    type=int,
    default=0,
    help="With --bridge child: the root chain id whose governance administers this chain's bridge",
)
@_operator_option("ORACLE_ROLE")
@_operator_option("VERIFIER_ROLE")
@_operator_option("AUDITOR_ROLE")
@_operator_option("ISSUER_ROLE")
@_operator_option("MINTER_ROLE")
@_operator_option("PAUSER_ROLE")
def deploy(
    ecosystem,
    network,
    provider,
    account,
    manifest_name,
    fresh,
    keep_admin,
    yes,
    bridge,
    validators,
    threshold,
    governance_chain,
    **roles,
):
    """Deploy all eight tokens and governance to the --network chain, optionally with the
    bridge, and record them in deployments/<manifest>.json (``ape run deploy`` is the same)."""
    chain_id = provider.chain_id
    manifest = load_manifest(manifest_path(manifest_name))
    if chain_id in manifest.chains and not fresh:
        existing = manifest.chains[chain_id]
        raise click.ClickException(
            f"chain {chain_id} already has a deployment in {manifest.path} "
            f"(GST at {existing.contracts['GST'].address}, {existing.deployed_at}); "
            "pass --fresh to deploy a new one"
        )
    live = not network.is_local
    if live and not yes:
        click.confirm(
            f"Deploy the ESG ecosystem to {ecosystem.name}:{network.name} (chain {chain_id}) from {account.address}?",
            abort=True,
        )
    operators = Operators({role: addr for role, addr in roles.items() if addr})
    params = Params.live() if live else Params()
    if bridge != "none" and not validators:
        raise click.BadParameter(
            "the bridge needs at least one --validator address", param_hint="--validator"
        )
    child = bridge == "child"
    if child and not governance_chain:
        raise click.BadParameter(
            "a child deployment is governed from its root chain: give its chain id",
            param_hint="--governance-chain",
        )
    if governance_chain and not child:
        raise click.BadParameter("only with --bridge child", param_hint="--governance-chain")
    out = deploy_ecosystem(
        project, account, params=params, operators=operators, hand_over_admin=False, child=child
    )
    if bridge != "none":
        m = threshold or len(validators) // 2 + 1
        deploy_bridge(
            project,
            account,
            out,
            validators=validators,
            threshold=m,
            governance_chain_id=governance_chain,
            params=params,
            operators=operators,
        )
    if not keep_admin:
        transfer_admin(out, account, out["Timelock"])
    # Recorded only if it cannot carry an API key (a local node); see esg.deploy.record.
    rpc_url = getattr(provider, "http_uri", None) or provider.uri
    record(
        manifest,
        out,
        chain_id=chain_id,
        network=f"{ecosystem.name}:{network.name}:{provider.name}",
        rpc_url=rpc_url,
    )
    for name, instance in out.contracts.items():
        click.echo(f"{name:9} {instance.address}  block {out.receipts[name].block_number}")
    click.echo(f"manifest: {manifest.path}")
