"""Sending transactions from one local key over ``esg.chain.rpc``.

The key signs locally (eth-account) and the node only receives the raw transaction, so a node
never sees a key. Gas is estimated first: a call the contract would refuse raises ``Reverted``
with its reason and costs nothing.
"""

from __future__ import annotations

import asyncio
import time

from eth_account.signers.local import LocalAccount

from esg.chain.abi import Reverted, is_revert, revert_reason
from esg.chain.rpc import RPC, RPCError

# Added to the estimate: the state may change between the estimate and inclusion.
GAS_MARGIN = 1.25
# Priority fee when the node does not suggest one (EIP-1559 chains).
DEFAULT_PRIORITY_FEE = 10**9


class TxSender:
    """Builds, signs and submits transactions of ``account`` on one chain."""

    def __init__(self, rpc: RPC, account: LocalAccount, chain_id: int) -> None:
        self.rpc = rpc
        self.account = account
        self.chain_id = chain_id

    @property
    def address(self) -> str:
        return self.account.address

    async def balance(self) -> int:
        """The account's balance in wei."""
        return int(await self.rpc.call("eth_getBalance", [self.address, "latest"]), 16)

    async def estimate(self, to: str, data: bytes) -> int:
        """Gas for calling ``to`` with ``data`` on the latest block (not on pending transactions,
        which may never be mined); Reverted if the contract refuses it."""
        try:
            gas = await self.rpc.call(
                "eth_estimateGas",
                [{"from": self.address, "to": to, "data": "0x" + data.hex()}, "latest"],
            )
        except RPCError as exc:
            if is_revert(exc):
                raise Reverted(revert_reason(exc)) from None
            raise
        return int(gas, 16)

    async def prepare(self, to: str, data: bytes) -> tuple[str, bytes]:
        """A signed transaction calling ``to`` with ``data``: (its hash, the raw bytes).

        Estimating first raises Reverted for a call that would fail."""
        gas = int(await self.estimate(to, data) * GAS_MARGIN)
        nonce, block = await self.rpc.batch(
            [
                ("eth_getTransactionCount", [self.address, "pending"]),
                ("eth_getBlockByNumber", ["latest", False]),
            ]
        )
        tx: dict = {
            "chainId": self.chain_id,
            "nonce": int(nonce, 16),
            "to": to,
            "data": data,
            "gas": gas,
            "value": 0,
        }
        base = block.get("baseFeePerGas")
        if base is not None:
            try:
                tip = int(await self.rpc.call("eth_maxPriorityFeePerGas", []), 16)
            except RPCError:
                tip = DEFAULT_PRIORITY_FEE
            tx["maxPriorityFeePerGas"] = tip
            tx["maxFeePerGas"] = 2 * int(base, 16) + tip
        else:
            tx["gasPrice"] = int(await self.rpc.call("eth_gasPrice", []), 16)
        signed = self.account.sign_transaction(tx)
        return "0x" + bytes(signed.hash).hex(), bytes(signed.raw_transaction)

    async def submit(self, raw: bytes) -> None:
        """Hand a signed transaction to the node."""
        await self.rpc.call("eth_sendRawTransaction", ["0x" + raw.hex()])

    async def known(self, tx_hash: str) -> bool:
        """Whether the node knows the transaction (pending or mined)."""
        return await self.rpc.call("eth_getTransactionByHash", [tx_hash]) is not None

    async def receipt(self, tx_hash: str, timeout: float, poll: float = 0.2) -> dict | None:
        """The transaction's receipt once mined, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            receipt = await self.rpc.call("eth_getTransactionReceipt", [tx_hash])
            if receipt is not None:
                return receipt
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(poll)


def succeeded(receipt: dict) -> bool:
    """Whether a mined transaction succeeded."""
    return int(receipt["status"], 16) == 1
