"""/carbon: tokenized credit batches and their retirements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.deps import PoolDep
from api.errors import bad_request, not_found
from api.models import Envelope, PageEnvelope
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
from api.sql import carbon as sql

router = APIRouter(prefix="/carbon", tags=["carbon"])

BIG = 2**62
U256 = 2**256


class Batch(BaseModel):
    chain_id: int
    contract: str
    batch_id: str
    recipient: str
    issuer: str
    registry: str
    project_id: str
    vintage: int
    methodology: str
    serial_start: str
    serial_end: str
    amount: str
    supply: str
    retired: str
    invalidated: str
    block_number: int
    tx_hash: str
    final: bool


class BatchesOut(PageEnvelope):
    items: list[Batch]


class BatchOut(Envelope):
    batch: Batch


class Retirement(BaseModel):
    chain_id: int
    contract: str
    batch_id: str
    amount: str
    account: str
    beneficiary: str
    certificate_id: str
    message: str
    block_number: int
    log_index: int
    tx_hash: str
    final: bool


class RetirementsOut(PageEnvelope):
    items: list[Retirement]


def batch_row(r, heads) -> dict:
    return {
        "chain_id": r["chain_id"],
        "contract": checksum(r["contract"]),
        "batch_id": r["batch_id"],
        "recipient": checksum(r["recipient"]),
        "issuer": checksum(r["issuer"]),
        "registry": r["registry"],
        "project_id": r["project_id"],
        "vintage": r["vintage"],
        "methodology": r["methodology"],
        "serial_start": r["serial_start"],
        "serial_end": r["serial_end"],
        "amount": r["amount"],
        "supply": r["supply"],
        "retired": r["retired"],
        "invalidated": r["invalidated"],
        "block_number": r["block_number"],
        "tx_hash": hex0x(r["tx_hash"]),
        "final": heads.is_final(r["chain_id"], r["block_number"]),
    }


def _upto(heads, chains: list[int]) -> int:
    return min((heads.by_chain[c].indexed_block for c in chains), default=-1)


@router.get("/batches", response_model=BatchesOut, summary="Carbon credit batches (CCR)")
async def batches(
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    project_id: Annotated[str | None, Query(max_length=200)] = None,
    recipient: Annotated[str | None, Query(max_length=100, description="0x address")] = None,
) -> dict:
    chains = chain_ids(heads, chain)
    who = parse_address(recipient, "recipient") if recipient is not None else None
    cur = [-1, "-1"]
    if page.cursor:
        cur = decode_cursor(page.cursor, (int, str))
        if not cur[1].isdigit() or len(cur[1]) > 78:
            raise bad_request("invalid cursor: not a cursor this API returned")
    # One upper block for all chains keeps the statement simple; batches are few.
    upto = max((heads.by_chain[c].indexed_block for c in chains), default=-1)
    rows = await pool.fetch(
        sql.BATCHES, chains, upto, project_id, who, cur[0], cur[1], page.limit + 1
    )
    rows, nxt = next_page(rows, page.limit, lambda r: [r["chain_id"], r["batch_id"]])
    items = [batch_row(r, heads) for r in rows]
    return {
        "read_at": heads.read_at(chains),
        "final": all(i["final"] for i in items),
        "items": items,
        "next_cursor": nxt,
    }


@router.get("/batches/{batch_id}", response_model=BatchOut, summary="One carbon credit batch")
async def batch(
    batch_id: Annotated[int, Path(ge=0, lt=U256)],
    pool: PoolDep,
    heads: HeadsDep,
    chain: ChainDep,
) -> dict:
    chains = chain_ids(heads, chain)
    upto = max((heads.by_chain[c].indexed_block for c in chains), default=-1)
    rows = await pool.fetch(sql.BATCH, chains, upto, str(batch_id))
    if not rows:
        raise not_found(f"no carbon batch {batch_id}" + (f" on chain {chain}" if chain else ""))
    if len(rows) > 1:
        raise bad_request(
            f"batch {batch_id} exists on chains {[r['chain_id'] for r in rows]}: pass chain=<id>"
        )
    return {
        "read_at": heads.read_at([rows[0]["chain_id"]]),
        "batch": batch_row(rows[0], heads),
        "final": heads.is_final(rows[0]["chain_id"], rows[0]["block_number"]),
    }


@router.get(
    "/retirements",
    response_model=RetirementsOut,
    summary="Retirements of carbon credits, newest first",
)
async def retirements(
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    beneficiary: Annotated[str | None, Query(max_length=100, description="0x address")] = None,
    account: Annotated[str | None, Query(max_length=100, description="0x address")] = None,
    batch_id: Annotated[int | None, Query(ge=0, lt=U256)] = None,
) -> dict:
    chains = chain_ids(heads, chain)
    ben = parse_address(beneficiary, "beneficiary") if beneficiary is not None else None
    acc = parse_address(account, "account") if account is not None else None
    cur = [BIG, BIG, BIG]
    if page.cursor:
        cur = decode_cursor(page.cursor, (int, int, int))
    upto = [heads.by_chain[c].indexed_block for c in chains]
    rows = await pool.fetch(
        sql.RETIREMENTS,
        chains,
        upto,
        ben,
        acc,
        None if batch_id is None else str(batch_id),
        *cur,
        page.limit + 1,
    )
    rows, nxt = next_page(
        rows, page.limit, lambda r: [r["block_number"], r["chain_id"], r["log_index"]]
    )
    items = [
        {
            "chain_id": r["chain_id"],
            "contract": checksum(r["contract"]),
            "batch_id": r["batch_id"],
            "amount": r["amount"],
            "account": checksum(r["account"]),
            "beneficiary": checksum(r["beneficiary"]),
            "certificate_id": r["certificate_id"],
            "message": r["message"],
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
