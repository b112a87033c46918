"""Send GST, ECT or CCR across the bridge and wait for them on the other chain.

    ape run bridge --network besu:local:node --token GST --amount 10 --dest-chain 80002
    ape run bridge --network polygon:local:foundry --token CCR --id 7 --amount 3 --dest-chain 2025
    ape run bridge --network ... --tx 0x... --dest-chain 80002   # only wait for an earlier send

Addresses come from the deployment manifest (ESG_MANIFEST or --manifest): the `Bridge` and the
token on the connected chain, the destination chain's RPC URL and `Bridge`. A relayer
(`python -m bridge`) must be running for the transfer to arrive.
"""

from __future__ import annotations

import click
from ape import project
from ape.cli import ConnectedProviderCommand, account_option

from bridge.transfer import send_tokens, sent_transfer, wait_for_arrival
from esg.manifest import Manifest, load_manifest


def _address(manifest: Manifest, chain_id: int, name_or_address: str) -> str:
    if name_or_address.startswith("0x"):
        return name_or_address
    try:
        return manifest.chains[chain_id].contracts[name_or_address].address
    except KeyError as exc:
        raise click.ClickException(
            f"{name_or_address} on chain {chain_id} is not in {manifest.path}"
        ) from exc


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
    no_wait,
):
    """Send tokens across the bridge and wait until they arrive."""
    manifest = load_manifest(manifest_file)
    src_chain_id = provider.chain_id
    if dest_chain_id not in manifest.chains:
        raise click.ClickException(f"chain {dest_chain_id} is not in {manifest.path}")
    bridge = project.Bridge.at(_address(manifest, src_chain_id, "Bridge"))
    if tx_hash:
        receipt = provider.get_receipt(tx_hash)
    else:
        if not amount:
            raise click.ClickException("--amount is required to send")
        try:
            receipt = send_tokens(
                bridge,
                _address(manifest, src_chain_id, token),
                token_id,
                amount,
                recipient or account.address,
                dest_chain_id,
                account,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    sent = sent_transfer(receipt, bridge)
    click.echo(
        f"sent {sent.amount} (id {sent.id}) to {sent.recipient} on chain {sent.dest_chain_id}: "
        f"message {sent.src_chain_id}/{sent.tx_hash}/{sent.log_index}"
    )
    if no_wait:
        return
    dest = manifest.chains[dest_chain_id]
    waited = wait_for_arrival(
        dest.rpc_urls[0], _address(manifest, dest_chain_id, "Bridge"), sent, timeout
    )
    click.echo(f"arrived on chain {dest_chain_id} after {waited:.1f}s (token {sent.dest_token})")
