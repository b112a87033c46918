"""/accounts/{address}/transfers: an account's token movements on every chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.deps import PoolDep, SettingsDep
from api.models import PageEnvelope
from api.params import (
    AddressDep,
    ChainDep,
    HeadsDep,
    PageDep,
    block_range,
    chain_ids,
    checksum,
    decode_cursor,
    hex0x,
    next_page,
    token_addresses,
)
from api.sql import accounts as sql

router = APIRouter(prefix="/accounts", tags=["accounts"])

BIG = 2**62


class Transfer(BaseModel):
    chain_id: int
    block_number: int
    log_index: int
    batch_index: int
    tx_hash: str
    token: str | None
    contract: str
    token_id: str
    operator: str | None
    from_addr: str
    to_addr: str
    amount: str
    final: bool


class TransfersOut(PageEnvelope):
    address: str
    items: list[Transfer]


@router.get(
    "/{address}/transfers",
    response_model=TransfersOut,
    summary="Transfers from or to an address, newest first",
)
async def transfers(
    address: AddressDep,
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    response: Response,
    settings: SettingsDep,
    token: Annotated[str | None, Query(max_length=40, description="token symbol")] = None,
    from_block: Annotated[int | None, Query(ge=0, le=BIG)] = None,
    to_block: Annotated[int | None, Query(ge=0, le=BIG)] = None,
) -> dict:
    lo, hi = block_range(from_block, to_block)
    chains = chain_ids(heads, chain)
    tokens = list(token_addresses(heads, token, chain).values()) if token else None
    cur = [BIG, BIG, BIG, BIG]
    if page.cursor:
        cur = decode_cursor(page.cursor, (int, int, int, int))
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(
        sql.TRANSFERS, address, chains, upto, lo, hi, tokens, *cur, page.limit + 1
    )
    rows, nxt = next_page(
        rows,
        page.limit,
        lambda r: [r["block_number"], r["chain_id"], r["log_index"], r["batch_index"]],
    )
    items = [
        {
            "chain_id": r["chain_id"],
            "block_number": r["block_number"],
            "log_index": r["log_index"],
            "batch_index": r["batch_index"],
            "tx_hash": hex0x(r["tx_hash"]),
            "token": heads.names.get((r["chain_id"], r["token"])),
            "contract": checksum(r["token"]),
            "token_id": r["token_id"],
            "operator": checksum(r["operator"]),
            "from_addr": checksum(r["from_addr"]),
            "to_addr": checksum(r["to_addr"]),
            "amount": r["amount"],
            "final": heads.is_final(r["chain_id"], r["block_number"]),
        }
        for r in rows
    ]
    # A closed range below every chain's finalized block never changes.
    final_range = to_block is not None and all(
        to_block <= heads.by_chain[c].finalized_block for c in chains
    )
    if final_range:
        response.headers["Cache-Control"] = f"public, max-age={settings.final_max_age}"
    return {
        "read_at": heads.read_at(chains),
        "final": all(i["final"] for i in items),
        "address": checksum(address),
        "items": items,
        "next_cursor": nxt,
    }
