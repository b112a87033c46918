"""Send GST, ECT or CCR across the bridge and wait for them on the other chain.

    ape run bridge --network besu:local:node --token GST --amount 10 --dest-chain 80002
    ape run bridge --network polygon:local:foundry --token CCR --id 7 --amount 3 --dest-chain 2025
    ape run bridge --network ... --tx 0x... --dest-chain 80002   # only wait for an earlier send

Addresses come from the deployment manifest (ESG_MANIFEST or --manifest): the `Bridge` and the
token on the connected chain, the destination chain's RPC URL and `Bridge`. A relayer
(`python -m bridge`) must be running for the transfer to arrive.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import click
from ape import Contract, project
from ape.cli import ConnectedProviderCommand, account_option
from web3 import Web3

from bridge.abi import BRIDGE_ABI
from esg.manifest import Manifest, load_manifest

ERC20_STANDARD, ERC1155_STANDARD = 20, 1155

TOKEN_ABI = [
    {
        "type": "function",
        "name": "allowance",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "isApprovedForAll",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "operator", "type": "address"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "setApprovalForAll",
        "stateMutability": "nonpayable",
        "inputs": [
            {"name": "operator", "type": "address"},
            {"name": "approved", "type": "bool"},
        ],
        "outputs": [],
    },
]


class SentTransfer(NamedTuple):
    """The identity of a sent transfer: what the destination bridge records as processed."""

    src_chain_id: int
    tx_hash: str
    log_index: int
    dest_chain_id: int
    dest_token: str
    id: int
    amount: int
    recipient: str


def sent_transfer(receipt, bridge) -> SentTransfer:
    """The transfer announced by the `MessageSent` log of a bridge transaction."""
    (event,) = receipt.decode_logs(bridge.MessageSent)
    return SentTransfer(
        src_chain_id=event.src_chain_id,
        tx_hash=receipt.txn_hash,
        log_index=event.log_index,
        dest_chain_id=event.dest_chain_id,
        dest_token=event.dest_token,
        id=event.id,
        amount=event.amount,
        recipient=event.recipient,
    )


def send_tokens(
    bridge, token: str, token_id: int, amount: int, recipient: str, dest_chain_id: int, sender
):
    """Approve the bridge if needed and send; returns the receipt."""
    standard, _child = bridge.token_config(token)
    erc = Contract(token, abi=TOKEN_ABI)
    if standard == ERC20_STANDARD:
        if erc.allowance(sender, bridge) < amount:
            erc.approve(bridge, amount, sender=sender)
        return bridge.send_erc20(token, amount, recipient, dest_chain_id, sender=sender)
    if standard == ERC1155_STANDARD:
        if not erc.isApprovedForAll(sender, bridge):
            erc.setApprovalForAll(bridge, True, sender=sender)
        return bridge.send_erc1155(token, token_id, amount, recipient, dest_chain_id, sender=sender)
    raise click.ClickException(f"token {token} is not configured on the bridge")


def wait_for_arrival(rpc_url: str, dest_bridge: str, sent: SentTransfer, timeout: float) -> float:
    """Poll the destination bridge until it has processed `sent`; returns the seconds waited."""
    w3 = Web3(Web3.HTTPProvider(rpc_url))
    bridge = w3.eth.contract(address=Web3.to_checksum_address(dest_bridge), abi=BRIDGE_ABI)
    tx_hash = bytes.fromhex(sent.tx_hash.removeprefix("0x"))
    started = time.monotonic()
    while True:
        if bridge.functions.is_processed(sent.src_chain_id, tx_hash, sent.log_index).call():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(
                f"transfer {sent.tx_hash}:{sent.log_index} not processed on chain "
                f"{sent.dest_chain_id} after {timeout:.0f}s (is the relayer running?)"
            )
        time.sleep(1.0)


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
        receipt = send_tokens(
            bridge,
            _address(manifest, src_chain_id, token),
            token_id,
            amount,
            recipient or account.address,
            dest_chain_id,
            account,
        )
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
