"""/metrics/{address}: attested ESG metrics of an address (the seed's esg_metrics)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import PoolDep
from api.errors import bad_request
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

router = APIRouter(prefix="/metrics", tags=["scores"])


class Metric(BaseModel):
    chain_id: int
    contract: str
    metric_id: str
    metric_type: str | None
    value: str | None
    unit: str | None
    evidence_hash: str | None
    recorded_block: int | None
    verified: bool
    verifier: str | None
    verified_block: int | None
    tx_hash: str
    final: bool


class MetricsOut(PageEnvelope):
    address: str
    items: list[Metric]


@router.get(
    "/{address}",
    response_model=MetricsOut,
    summary="ESG metrics recorded for an address, with their verification",
)
async def metrics_of(
    address: AddressDep,
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    verified: Annotated[bool | None, Query()] = None,
) -> dict:
    chains = chain_ids(heads, chain)
    cur = [-1, "-1"]
    if page.cursor:
        cur = decode_cursor(page.cursor, (int, str))
        if not cur[1].isdigit() or len(cur[1]) > 78:
            raise bad_request("invalid cursor: not a cursor this API returned")
    rows = await pool.fetch(sql.METRICS, address, chains, verified, cur[0], cur[1], page.limit + 1)
    rows, nxt = next_page(rows, page.limit, lambda r: [r["chain_id"], r["metric_id"]])
    items = [
        {
            "chain_id": r["chain_id"],
            "contract": checksum(r["contract"]),
            "metric_id": r["metric_id"],
            "metric_type": hex0x(r["metric_type"]),
            "value": r["value"],
            "unit": r["unit"],
            "evidence_hash": hex0x(r["evidence_hash"]),
            "recorded_block": r["recorded_block"],
            "verified": r["verified"],
            "verifier": checksum(r["verifier"]),
            "verified_block": r["verified_block"],
            "tx_hash": hex0x(r["tx_hash"]),
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
