"""Sending tokens across the bridge from Python and waiting for their arrival.

Used by ``ape run bridge`` and by the demo; the bridge contract is an ape contract instance on the
source chain, the destination is reached over plain JSON-RPC.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from ape import Contract
from web3 import Web3

from bridge.abi import BRIDGE_ABI

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
    raise ValueError(f"token {token} is not configured on the bridge")


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
