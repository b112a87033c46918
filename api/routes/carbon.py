"""/carbon: tokenized credit batches and their retirements; /certificates: one certificate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import (
    ChainId,
    ChainsDep,
    HeadsDep,
    Paging,
    PoolDep,
    address_query,
    known_chain,
    paged,
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


_BATCHES = by_chain_and("batch_id")


@router.get("/carbon/batches", summary="Carbon credit batches (CCR)")
async def batches(
    pool: PoolDep,
    heads: HeadsDep,
    chains: ChainsDep,
    page: Annotated[Paging, paged(_BATCHES)],
    recipient: Annotated[bytes | None, address_query("recipient")],
    project_id: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[CarbonBatch]:
    # One upper block for all chains keeps the statement simple; batches are few.
    upto = max((heads.by_chain[c].indexed_block for c in chains), default=-1)
    rows = await pool.fetch(
        sql.BATCHES, chains, upto, project_id, recipient, *page.after, page.limit + 1
    )
    rows, cursor = _BATCHES.split(rows, page.limit)
    return Page[CarbonBatch].of_items(heads, chains, rows_of(CarbonBatch, heads, rows), cursor)


@router.get("/carbon/batches/{chain}/{batch_id}", summary="One carbon credit batch")
async def batch(chain: ChainId, batch_id: Uint256, pool: PoolDep, heads: HeadsDep) -> BatchOut:
    known_chain(heads, chain)
    rows = await pool.fetch(sql.BATCH, chain, heads.by_chain[chain].indexed_block, str(batch_id))
    if not rows:
        raise not_found(f"no carbon batch {batch_id} on chain {chain}")
    (item,) = rows_of(CarbonBatch, heads, rows)
    return BatchOut.of(heads, [chain], [item], batch=item)


@router.get("/carbon/retirements", summary="Retirements of carbon credits, newest first")
async def retirements(
    pool: PoolDep,
    heads: HeadsDep,
    chains: ChainsDep,
    page: Annotated[Paging, paged(NEWEST)],
    beneficiary: Annotated[bytes | None, address_query("beneficiary")],
    account: Annotated[bytes | None, address_query("account")],
    batch_id: Annotated[int | None, Query(ge=0, lt=U256)] = None,
) -> Page[Retirement]:
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(
        sql.RETIREMENTS,
        chains,
        upto,
        beneficiary,
        account,
        None if batch_id is None else str(batch_id),
        *page.after,
        page.limit + 1,
    )
    rows, cursor = NEWEST.split(rows, page.limit)
    return Page[Retirement].of_items(heads, chains, rows_of(Retirement, heads, rows), cursor)


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
