"""Projections of the events fixed by standards: ERC-20, ERC-721, ERC-1155, roles, pause."""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on, register_latest

LOC = ("block_number", "block_hash", "tx_hash", "log_index")

register_latest(
    "role_members",
    ("chain_id", "contract", "role", "account", "granted", "sender", *LOC),
    key=("chain_id", "contract", "role", "account"),
    events=("RoleGranted", "RoleRevoked"),
)
register_latest(
    "pauses",
    ("chain_id", "contract", "paused", "account", *LOC),
    key=("chain_id", "contract"),
    events=("Paused", "Unpaused"),
)


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


def _role(b: Batch, c: Ctx, v: tuple, granted: bool) -> None:
    role = bytes.fromhex(v[0][2:])
    account = b.addr(v[1])
    key = (b.chain_id, c.contract, role, account)
    b.latest["role_members"][key] = (*key, granted, b.addr(v[2]), *c.loc())


@on("RoleGranted")
def role_granted(b: Batch, c: Ctx, v: tuple) -> None:
    _role(b, c, v, True)


@on("RoleRevoked")
def role_revoked(b: Batch, c: Ctx, v: tuple) -> None:
    _role(b, c, v, False)


@on("Paused")
def paused(b: Batch, c: Ctx, v: tuple) -> None:
    b.latest["pauses"][(b.chain_id, c.contract)] = (
        b.chain_id,
        c.contract,
        True,
        b.addr(v[0]),
        *c.loc(),
    )


@on("Unpaused")
def unpaused(b: Batch, c: Ctx, v: tuple) -> None:
    b.latest["pauses"][(b.chain_id, c.contract)] = (
        b.chain_id,
        c.contract,
        False,
        b.addr(v[0]),
        *c.loc(),
    )
