"""Following a chain's contract logs behind its finality rule.

``LogFollower`` hands out the logs of final blocks only, range by range from a cursor the caller
keeps (and commits together with what it did with them). ``reread_final`` checks one such log
again at the moment it is acted upon: its block is final by the chain's rule, the block at its
height is still the block it came from, and the transaction's receipt and ``eth_getLogs`` by that
canonical block hash both hold the same log. The bridge validators sign nothing without it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from esg.chain.finality import Finality
from esg.chain.rpc import RPC, Log, RangeTooLarge, RPCError


async def read_heads(
    rpc: RPC, finality: Finality, extra: list[tuple[str, list]] | None = None
) -> tuple[int, int, list]:
    """(head, last final block, answers to ``extra``) from one batched request: the latest
    block, the node's ``finalized`` block where the rule uses it, and the ``extra`` calls (an
    answer is None where the node answered with an error)."""
    calls: list[tuple[str, list]] = [("eth_getBlockByNumber", ["latest", False])]
    if finality.uses_tag:
        calls.append(("eth_getBlockByNumber", ["finalized", False]))
    calls += extra or []
    # A node without the `finalized` tag answers that item with an error (None here).
    res = await rpc.batch(calls, allow_errors=True)
    if res[0] is None:
        raise RPCError(0, "latest block unavailable")
    head = int(res[0]["number"], 16)
    tagged = res[1] if finality.uses_tag else None
    skip = 2 if finality.uses_tag else 1
    return head, min(head, finality.finalized(head, tagged)), res[skip:]


@dataclass
class LogFollower:
    """Final logs of ``addresses`` (optionally filtered by ``topics``) on one chain."""

    rpc: RPC
    finality: Finality
    addresses: list[str]
    topics: list | None = None
    block_range: int = 2000

    async def heads(self) -> tuple[int, int]:
        """(head, last final block) of the chain right now."""
        head, final, _ = await read_heads(self.rpc, self.finality)
        return head, final

    async def ranges(self, after: int, finalized: int) -> AsyncIterator[tuple[int, list[Log]]]:
        """(last block of the range, its logs in chain order) for the blocks after ``after`` up
        to ``finalized``; the span shrinks where the node refuses it."""
        start = after + 1
        while start <= finalized:
            end = min(finalized, start + self.block_range - 1)
            try:
                logs = await self.rpc.get_logs(self.addresses, start, end, self.topics)
            except RangeTooLarge:
                if end == start:
                    raise
                self.block_range = max(1, (end - start + 1) // 2)
                continue
            yield end, [lg for lg in logs if not lg.removed]
            start = end + 1


def _same(entry: dict, log: Log) -> bool:
    return (
        int(entry["logIndex"], 16) == int(log.logIndex, 16)
        and entry["address"].lower() == log.address.lower()
        and [t.lower() for t in entry["topics"]] == [t.lower() for t in log.topics]
        and entry["data"].lower() == log.data.lower()
    )


async def reread_final(rpc: RPC, finality: Finality, log: Log) -> dict | None:
    """The receipt of ``log``'s transaction, read again now, if the log is final and canonical
    (see the module notes); None otherwise."""
    calls: list[tuple[str, list]] = [
        ("eth_getBlockByNumber", ["latest", False]),
        ("eth_getBlockByNumber", [log.blockNumber, False]),
        ("eth_getTransactionReceipt", [log.transactionHash]),
    ]
    if finality.uses_tag:
        calls.append(("eth_getBlockByNumber", ["finalized", False]))
    res = await rpc.batch(calls, allow_errors=True)
    latest, block, receipt = res[:3]
    if latest is None or block is None or receipt is None:
        return None
    head = int(latest["number"], 16)
    final = finality.finalized(head, res[3] if finality.uses_tag else None)
    block_hash = log.blockHash.lower()
    if int(log.blockNumber, 16) > final or block["hash"].lower() != block_hash:
        return None
    if receipt["blockHash"].lower() != block_hash or int(receipt["status"], 16) != 1:
        return None
    if not any(_same(entry, log) for entry in receipt["logs"]):
        return None
    by_hash = await rpc.call("eth_getLogs", [{"blockHash": log.blockHash, "address": log.address}])
    if not any(_same(entry, log) for entry in by_hash or []):
        return None
    return receipt
