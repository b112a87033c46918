"""Sending tokens across the bridge from Python and waiting for their arrival.

Used by ``ape run bridge`` and by the demo; the bridge contract is an ape contract instance on the
source chain, the destination is read over ``esg.chain`` with the ABI the manifest records.
"""

from __future__ import annotations

import asyncio
import time

from bridge.message import Transfer
from esg.chain.abi import Contract as RPCContract
from esg.chain.abi import ContractABI, hex_bytes
from esg.chain.rpc import RPC

ERC20_STANDARD, ERC1155_STANDARD = 20, 1155


def sent_transfer(receipt, bridge_address: str, abi: ContractABI) -> Transfer:
    """The transfer announced by the `MessageSent` log of a bridge transaction (an ape
    receipt), decoded with the bridge ABI the manifest records."""
    event = abi.event("MessageSent")
    for log in receipt.logs:
        topics = ["0x" + bytes(t).hex() for t in log["topics"]]
        if log["address"].lower() == bridge_address.lower() and topics[:1] == [event.topic0]:
            args = event.decode(topics, bytes(log["data"]))
            tx_hash = hex_bytes(receipt.txn_hash)
            return Transfer.from_event(args["src_chain_id"], tx_hash, log["logIndex"], args)
    raise ValueError(f"transaction {receipt.txn_hash} sent nothing over the bridge")


def send_tokens(
    bridge, token, token_id: int, amount: int, recipient: str, dest_chain_id: int, sender
):
    """Approve the bridge if needed and send ``token`` (an ape contract instance); returns the
    receipt."""
    standard, _child = bridge.token_config(token)
    if standard == ERC20_STANDARD:
        if token.allowance(sender, bridge) < amount:
            token.approve(bridge, amount, sender=sender)
        return bridge.send_erc20(token, amount, recipient, dest_chain_id, sender=sender)
    if standard == ERC1155_STANDARD:
        if not token.isApprovedForAll(sender, bridge):
            token.setApprovalForAll(bridge, True, sender=sender)
        return bridge.send_erc1155(token, token_id, amount, recipient, dest_chain_id, sender=sender)
    raise ValueError(f"token {token.address} is not configured on the bridge")


def wait_for_arrival(
    rpc_urls: list[str], dest_bridge: str, abi: ContractABI, sent: Transfer, timeout: float
) -> float:
    """Poll the destination bridge until it has processed `sent`; returns the seconds waited."""
    return asyncio.run(_wait(rpc_urls, dest_bridge, abi, sent, timeout))


async def _wait(
    rpc_urls: list[str], dest_bridge: str, abi: ContractABI, sent: Transfer, timeout: float
) -> float:
    started = time.monotonic()
    async with RPC(sent.dest_chain_id, rpc_urls, retry_budget=timeout) as rpc:
        bridge = RPCContract(rpc, dest_bridge, abi)
        while True:
            if await bridge.call("is_processed", *sent.key):
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(
                    f"transfer {sent.label()} not processed on chain {sent.dest_chain_id} after"
                    f" {timeout:.0f}s (are the relayer and validators running?)"
                )
            await asyncio.sleep(0.5)
