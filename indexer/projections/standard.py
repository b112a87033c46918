"""Projections of the events fixed by standards: ERC-20, ERC-721, ERC-1155, roles, pause.

The transfer handlers read their events by position: the standards fix the order of the
arguments, not their names (``owner``/``sender``, ``_from``/``from``...). Roles and pause follow
snekmate's (and OpenZeppelin's) argument names.
"""

from __future__ import annotations

from indexer.projections import Batch, Ctx, feed, on
from indexer.projections.schema import latest_table

role_members = latest_table(
    "role_members",
    "Current role membership per (contract, role, account): the latest RoleGranted/RoleRevoked.",
    columns="""
        role     bytes                    # keccak of the role name
        account  address  entity=account  # the member
        granted  bool                     # false once revoked
        sender   address                  # who granted or revoked
    """,
    key="role account",
)
feed(role_members, "RoleGranted", granted=True)
feed(role_members, "RoleRevoked", granted=False)

pauses = latest_table(
    "pauses",
    "Current pause state per contract: the latest Paused/Unpaused.",
    columns="""
        paused   bool     # the contract is paused
        account  address  # who paused or unpaused
    """,
    key="",
)
feed(pauses, "Paused", paused=True)
feed(pauses, "Unpaused", paused=False)


@on("Transfer", n_topics=3)
def erc20_transfer(b: Batch, c: Ctx, v: tuple) -> None:
    # The hottest handler: Batch.transfer inlined.
    frm, to, amount = v
    b.transfers.append(
        f"{c.row_head}{c.log_index}\t0\t{c.row_loc}\t0\t\\N\t\\\\x{frm[2:]}\t\\\\x{to[2:]}\t"
        f"{amount}\t{c.kind}\n"
    )
    b.book(c.block_number, c.contract, 0, frm, to, amount)


@on("Transfer", n_topics=4)
def erc721_transfer(b: Batch, c: Ctx, v: tuple) -> None:
    b.transfer(c, 0, v[2], None, v[0], v[1], 1)


@on("TransferSingle")
def erc1155_single(b: Batch, c: Ctx, v: tuple) -> None:
    b.transfer(c, 0, v[3], v[0], v[1], v[2], v[4])


@on("TransferBatch")
def erc1155_batch(b: Batch, c: Ctx, v: tuple) -> None:
    op, frm, to = v[0], v[1], v[2]
    for i, (token_id, amount) in enumerate(zip(v[3], v[4], strict=True)):
        b.transfer(c, i, token_id, op, frm, to, amount)


# transfers.log_kind -> the handler writing that kind's rows.
STANDARD_TRANSFER_HANDLERS = {
    1: erc20_transfer,
    2: erc721_transfer,
    3: erc1155_single,
    4: erc1155_batch,
}
