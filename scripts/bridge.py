"""Send GST, ECT or CCR across the bridge and wait for them on the other chain.

    ape run bridge --network besu:local:node --token GST --amount 10 --dest-chain 80002
    ape run bridge --network polygon:local:foundry --token CCR --id 7 --amount 3 --dest-chain 2025
    ape run bridge --network ... --tx 0x... --dest-chain 80002   # only wait for an earlier send

Addresses come from the deployment manifest (ESG_MANIFEST or --manifest): the `Bridge` and the
token on the connected chain, the destination chain's `Bridge` and, unless --dest-rpc (or
ESG_DEST_RPC_URL) names one, its RPC URL. The validators (`python -m bridge.validator`) and the
relayer (`python -m bridge`) must be running for the transfer to arrive.
"""

from __future__ import annotations

import click
from ape import project
from ape.cli import ConnectedProviderCommand, account_option

from bridge.transfer import send_tokens, sent_transfer, wait_for_arrival
from esg.chain.abi import ContractABI
from esg.manifest import Manifest, load_manifest


def _contract(manifest: Manifest, chain_id: int, name_or_address: str):
    """The ape instance of a manifest contract given by name or address."""
    contracts = manifest.chains[chain_id].contracts
    for name, entry in contracts.items():
        if (
            name_or_address in (name, entry.address)
            or name_or_address.lower() == entry.address.lower()
        ):
            return getattr(project, name).at(entry.address)
    raise click.ClickException(f"{name_or_address} on chain {chain_id} is not in {manifest.path}")


@click.command(cls=ConnectedProviderCommand)
@account_option()
@click.option("--token", default="GST", show_default=True, help="manifest name or address")
@click.option("--id", "token_id", default=0, type=int, help="ERC-1155 id (CCR batch)")
@click.option("--amount", type=int, help="amount in base units")
@click.option("--to", "recipient", help="recipient on the destination chain (default: sender)")
@click.option("--dest-chain", "dest_chain_id", required=True, type=int)
@click.option("--manifest", "manifest_file", help="deployment manifest (default: ESG_MANIFEST)")
@click.option("--tx", "tx_hash", help="wait for this earlier send instead of sending")
@click.option("--timeout", default=300.0, show_default=True, help="seconds to wait")
@click.option(
    "--dest-rpc",
    envvar="ESG_DEST_RPC_URL",
    help="destination chain RPC URL (default: the manifest's)",
)
@click.option("--no-wait", is_flag=True, help="send and return")
def cli(
    provider,
    account,
    token,
    token_id,
    amount,
    recipient,
    dest_chain_id,
    manifest_file,
    tx_hash,
    timeout,
    dest_rpc,
    no_wait,
):
    """Send tokens across the bridge and wait until they arrive."""
    manifest = load_manifest(manifest_file)
    src_chain_id = provider.chain_id
    for chain_id in (src_chain_id, dest_chain_id):
        if chain_id not in manifest.chains:
            raise click.ClickException(f"chain {chain_id} is not in {manifest.path}")
    bridge = _contract(manifest, src_chain_id, "Bridge")
    if tx_hash:
        receipt = provider.get_receipt(tx_hash)
    else:
        if not amount:
            raise click.ClickException("--amount is required to send")
        try:
            receipt = send_tokens(
                bridge,
                _contract(manifest, src_chain_id, token),
                token_id,
                amount,
                recipient or account.address,
                dest_chain_id,
                account,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    sent = sent_transfer(
        receipt, str(bridge.address), ContractABI.from_manifest(manifest, src_chain_id, "Bridge")
    )
    click.echo(
        f"sent {sent.amount} (id {sent.id}) to {sent.recipient} on chain {sent.dest_chain_id}: "
        f"message {sent.label()}"
    )
    if no_wait:
        return
    dest = manifest.chains[dest_chain_id]
    urls = [dest_rpc] if dest_rpc else dest.rpc_urls
    if not urls:
        raise click.ClickException(
            f"no RPC URL for chain {dest_chain_id} in {manifest.path}: pass --dest-rpc"
        )
    waited = wait_for_arrival(
        urls,
        dest.contracts["Bridge"].address,
        ContractABI.from_manifest(manifest, dest_chain_id, "Bridge"),
        sent,
        timeout,
    )
    click.echo(f"arrived on chain {dest_chain_id} after {waited:.1f}s (token {sent.token})")
