"""/ai-ethics/audits: AI model ethics audits recorded on AET."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import PoolDep
from api.errors import bad_request
from api.models import PageEnvelope
from api.params import (
    ChainDep,
    HeadsDep,
    PageDep,
    chain_ids,
    checksum,
    decode_cursor,
    hex0x,
    next_page,
    parse_address,
)
from api.sql import ai_ethics as sql

router = APIRouter(prefix="/ai-ethics", tags=["ai-ethics"])

BIG = 2**62
_HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")


class AuditOut(BaseModel):
    chain_id: int
    contract: str
    audit_id: str | None
    model_id: str
    recipient: str
    auditor: str
    transparency: int
    bias: int
    human_alignment: int
    environmental_impact: int
    energy_kwh: str
    kg_co2e: str
    nonce: str
    reward: str
    block_number: int
    log_index: int
    tx_hash: str
    final: bool


class AuditsOut(PageEnvelope):
    items: list[AuditOut]


@router.get("/audits", response_model=AuditsOut, summary="AI ethics audits, newest first")
async def audits(
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    recipient: Annotated[str | None, Query(max_length=100, description="0x address")] = None,
    auditor: Annotated[str | None, Query(max_length=100, description="0x address")] = None,
    model_id: Annotated[str | None, Query(max_length=100, description="0x + 64 hex")] = None,
) -> dict:
    chains = chain_ids(heads, chain)
    rec = parse_address(recipient, "recipient") if recipient is not None else None
    aud = parse_address(auditor, "auditor") if auditor is not None else None
    model = None
    if model_id is not None:
        if not _HEX32.match(model_id):
            raise bad_request(
                f"malformed model_id {model_id[:70]!r}: expected 0x and 64 hex digits"
            )
        model = bytes.fromhex(model_id[2:])
    cur = decode_cursor(page.cursor, (int, int, int)) if page.cursor else [BIG, BIG, BIG]
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(sql.AUDITS, chains, upto, rec, aud, model, *cur, page.limit + 1)
    rows, nxt = next_page(
        rows, page.limit, lambda r: [r["block_number"], r["chain_id"], r["log_index"]]
    )
    items = [
        {
            "chain_id": r["chain_id"],
            "contract": checksum(r["contract"]),
            "audit_id": r["audit_id"],
            "model_id": hex0x(r["model_id"]),
            "recipient": checksum(r["recipient"]),
            "auditor": checksum(r["auditor"]),
            "transparency": r["transparency"],
            "bias": r["bias"],
            "human_alignment": r["human_alignment"],
            "environmental_impact": r["environmental_impact"],
            "energy_kwh": r["energy_kwh"],
            "kg_co2e": r["kg_co2e"],
            "nonce": r["nonce"],
            "reward": r["reward"],
            "block_number": r["block_number"],
            "log_index": r["log_index"],
            "tx_hash": hex0x(r["tx_hash"]),
            "final": heads.is_final(r["chain_id"], r["block_number"]),
        }
        for r in rows
    ]
    return {
        "read_at": heads.read_at(chains),
        "final": all(i["final"] for i in items),
        "items": items,
        "next_cursor": nxt,
    }
