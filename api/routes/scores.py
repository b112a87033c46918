"""/scores/{address}/history: every ECS score change of an address."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import PoolDep
from api.models import PageEnvelope
from api.params import (
    AddressDep,
    ChainDep,
    HeadsDep,
    PageDep,
    chain_ids,
    checksum,
    decode_cursor,
    hex0x,
    next_page,
)
from api.sql import scores as sql

router = APIRouter(prefix="/scores", tags=["scores"])

BIG = 2**62


class ScoreChange(BaseModel):
    chain_id: int
    contract: str
    block_number: int
    log_index: int
    tx_hash: str
    timestamp: int | None
    previous_score: int
    score: int
    environmental: int
    social: int
    governance: int
    methodology_version: int
    evidence_hash: str
    final: bool


class HistoryOut(PageEnvelope):
    address: str
    items: list[ScoreChange]


@router.get(
    "/{address}/history",
    response_model=HistoryOut,
    summary="ECS score changes of an address, newest first",
)
async def history(
    address: AddressDep, pool: PoolDep, heads: HeadsDep, page: PageDep, chain: ChainDep
) -> dict:
    chains = chain_ids(heads, chain)
    cur = decode_cursor(page.cursor, (int, int, int)) if page.cursor else [BIG, BIG, BIG]
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(sql.HISTORY, address, chains, upto, *cur, page.limit + 1)
    rows, nxt = next_page(
        rows, page.limit, lambda r: [r["block_number"], r["chain_id"], r["log_index"]]
    )
    items = [
        {
            "chain_id": r["chain_id"],
            "contract": checksum(r["contract"]),
            "block_number": r["block_number"],
            "log_index": r["log_index"],
            "tx_hash": hex0x(r["tx_hash"]),
            "timestamp": r["timestamp"],
            "previous_score": r["old_score"],
            "score": r["new_score"],
            "environmental": r["environmental"],
            "social": r["social"],
            "governance": r["governance"],
            "methodology_version": r["methodology_version"],
            "evidence_hash": hex0x(r["evidence_hash"]),
            "final": heads.is_final(r["chain_id"], r["block_number"]),
        }
        for r in rows
    ]
    return {
        "read_at": heads.read_at(chains),
        "final": all(i["final"] for i in items),
        "address": checksum(address),
        "items": items,
        "next_cursor": nxt,
    }
