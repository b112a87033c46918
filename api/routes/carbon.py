"""/carbon: tokenized credit batches and their retirements; /certificates: one certificate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import (
    ChainId,
    HeadsDep,
    Listing,
    PoolDep,
    address_query,
    known_chain,
    listing,
)
from api.errors import not_found
from api.models import Envelope, Page, rows_of
from api.paging import NEWEST, by_chain_and
from api.rows import CarbonBatch, CertificateDetail, Retirement
from api.sql import carbon as sql

router = APIRouter(tags=["carbon"])

U256 = 2**256
Uint256 = Annotated[int, Path(ge=0, lt=U256)]


class BatchOut(Envelope):
    batch: CarbonBatch


class CertificateOut(Envelope, CertificateDetail):
    pass


@router.get("/carbon/batches", summary="Carbon credit batches (CCR)")
async def batches(
    lst: Annotated[Listing, listing(by_chain_and("batch_id"))],
    recipient: Annotated[bytes | None, address_query("recipient")],
    project_id: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[CarbonBatch]:
    return await lst.page(Page[CarbonBatch], sql.BATCHES, project_id, recipient)


@router.get("/carbon/batches/{chain}/{batch_id}", summary="One carbon credit batch")
async def batch(chain: ChainId, batch_id: Uint256, pool: PoolDep, heads: HeadsDep) -> BatchOut:
    known_chain(heads, chain)
    upto = heads.by_chain[chain].indexed_block
    rows = await pool.fetch(sql.BATCH, [chain], [upto], str(batch_id))
    if not rows:
        raise not_found(f"no carbon batch {batch_id} on chain {chain}")
    (item,) = rows_of(CarbonBatch, heads, rows)
    return BatchOut.of(heads, [chain], [item], batch=item)


@router.get("/carbon/retirements", summary="Retirements of carbon credits, newest first")
async def retirements(
    lst: Annotated[Listing, listing(NEWEST)],
    beneficiary: Annotated[bytes | None, address_query("beneficiary")],
    account: Annotated[bytes | None, address_query("account")],
    batch_id: Annotated[int | None, Query(ge=0, lt=U256)] = None,
) -> Page[Retirement]:
    batch = None if batch_id is None else str(batch_id)
    return await lst.page(Page[Retirement], sql.RETIREMENTS, beneficiary, account, batch)


@router.get(
    "/certificates/{chain}/{token_id}",
    summary="A retirement certificate (ECR) with its owner and the retirement that issued it",
)
async def certificate(
    chain: ChainId, token_id: Uint256, pool: PoolDep, heads: HeadsDep
) -> CertificateOut:
    known_chain(heads, chain)
    r = await pool.fetchrow(sql.CERTIFICATE, chain, str(token_id))
    if r is None:
        raise not_found(f"no certificate {token_id} on chain {chain}")
    (item,) = rows_of(CertificateDetail, heads, [r])
    return CertificateOut.of(heads, [chain], [item], **item.model_dump(exclude={"final"}))
