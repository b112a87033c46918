"""/chains: each chain's node head, indexed and finalized block and lag."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import HeadsDep
from api.models import Envelope

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


@router.get("", summary="Indexed chains and their checkpoints")
async def list_chains(heads: HeadsDep) -> ChainsOut:
    items = [
        ChainOut(**c.__dict__, lag=max(0, c.head_block - c.indexed_block)) for c in heads.chains
    ]
    return ChainsOut(read_at=heads.read_at(), final=False, items=items)
