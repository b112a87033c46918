"""/certificates/{chain}/{token_id}: one ECR retirement certificate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import PoolDep
from api.errors import not_found
from api.models import Envelope
from api.params import HeadsDep, checksum, hex0x
from api.sql import carbon as sql

router = APIRouter(prefix="/certificates", tags=["carbon"])


class CertificateOut(Envelope):
    chain_id: int
    contract: str
    token_id: str
    recipient: str
    owner: str | None
    batch_id: str
    tonnes: str
    content_hash: str
    soulbound: bool
    message: str
    block_number: int
    tx_hash: str
    retired_by: str | None
    beneficiary: str | None
    retired_amount: str | None
    ccr_contract: str | None


@router.get(
    "/{chain}/{token_id}",
    response_model=CertificateOut,
    summary="A retirement certificate (ECR) with the retirement that issued it",
)
async def certificate(
    chain: Annotated[int, Path(ge=0, lt=2**63)],
    token_id: Annotated[int, Path(ge=0, lt=2**256)],
    pool: PoolDep,
    heads: HeadsDep,
) -> dict:
    if chain not in heads.by_chain:
        raise not_found(f"unknown chain {chain}: indexed chains are {sorted(heads.by_chain)}")
    r = await pool.fetchrow(sql.CERTIFICATE, chain, str(token_id))
    if r is None:
        raise not_found(f"no certificate {token_id} on chain {chain}")
    final = heads.is_final(chain, r["block_number"])
    return {
        "read_at": heads.read_at([chain]),
        "final": final,
        "chain_id": chain,
        "contract": checksum(r["contract"]),
        "token_id": r["token_id"],
        "recipient": checksum(r["recipient"]),
        "owner": checksum(r["owner"]),
        "batch_id": r["batch_id"],
        "tonnes": r["tonnes"],
        "content_hash": hex0x(r["content_hash"]),
        "soulbound": r["soulbound"],
        "message": r["message"],
        "block_number": r["block_number"],
        "tx_hash": hex0x(r["tx_hash"]),
        "retired_by": checksum(r["retired_by"]),
        "beneficiary": checksum(r["beneficiary"]),
        "retired_amount": r["retired_amount"],
        "ccr_contract": checksum(r["ccr_contract"]),
    }
