"""/chains: each chain's node head, indexed and finalized block and lag."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from api.models import Envelope
from api.params import HeadsDep

router = APIRouter(prefix="/chains", tags=["chains"])


class ChainOut(BaseModel):
    chain_id: int
    network: str
    head_block: int
    indexed_block: int
    finalized_block: int
    lag: int
    updated_at: datetime


class ChainsOut(Envelope):
    items: list[ChainOut]


@router.get("", response_model=ChainsOut, summary="Indexed chains and their checkpoints")
async def list_chains(heads: HeadsDep) -> dict:
    items = [
        {
            "chain_id": c.chain_id,
            "network": c.network,
            "head_block": c.head_block,
            "indexed_block": c.indexed_block,
            "finalized_block": c.finalized_block,
            "lag": max(0, c.head_block - c.indexed_block),
            "updated_at": c.updated_at,
        }
        for c in heads.chains
    ]
    return {"read_at": heads.read_at(), "final": False, "items": items}
