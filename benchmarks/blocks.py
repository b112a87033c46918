"""Blocks of transfers written through the indexer's own store (``ChainStore.write``, the code
path and transaction of the indexer), without a node: the API benchmark's live chain and the
API's invalidation tests use them."""

from __future__ import annotations

import hashlib

from indexer.projections import Batch, Ctx
from indexer.store import ChainStore, Header

ZERO = "0x" + "00" * 20
# transfers.log_kind of an ERC-20 Transfer (indexer.projections.TRANSFER_KINDS)
ERC20_TRANSFER = 1


def block_hash(chain_id: int, number: int, fork: int = 0) -> bytes:
    """A block hash of its own for each (chain, number, fork)."""
    return hashlib.sha256(f"{chain_id}:{number}:{fork}".encode()).digest()


def transfer_block(
    chain_id: int, number: int, token: bytes, moves: list[tuple[str, str, int]], fork: int = 0
) -> tuple[Batch, Header]:
    """Block ``number`` with one ERC-20 Transfer of ``token`` per (from, to, amount) in
    ``moves`` (0x addresses; ``ZERO`` mints), as the decoder would batch it."""
    b = Batch(chain_id)
    c = Ctx()
    c.block_number = number
    c.block_hash = block_hash(chain_id, number, fork)
    c.contract = token
    c.kind = ERC20_TRANSFER
    for i, (frm, to, amount) in enumerate(moves):
        c.log_index = i
        c.tx_hash = hashlib.sha256(c.block_hash + i.to_bytes(4, "big")).digest()
        c.set_text(chain_id)
        b.transfer(c, 0, 0, None, frm.lower(), to.lower(), amount)
    b.blocks[number] = c.block_hash
    b.logs = len(moves)
    parent = block_hash(chain_id, number - 1, fork)
    return b, Header(number, c.block_hash, parent, 1_700_000_000 + number)


async def write_block(
    store: ChainStore, number: int, token: bytes, moves, *, finality_lag: int, fork: int = 0
) -> None:
    """Commit block ``number`` (the checkpoint must be ``number - 1``) as the indexer does,
    with the chain final up to ``number - finality_lag``."""
    batch, header = transfer_block(store.chain_id, number, token, moves, fork)
    await store.write(batch, number - 1, number, [header], {number}, number - finality_lag, number)
