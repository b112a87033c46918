"""/governance/proposals: Governor proposals, their state, tallies and votes."""

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
)
from api.sql import governance as sql

router = APIRouter(prefix="/governance", tags=["governance"])

BIG = 2**62
U256 = 2**256
# Votes listed with one proposal; tallies always cover every vote.
MAX_VOTES = 1000
SUPPORT = {0: "against", 1: "for", 2: "abstain"}


class Proposal(BaseModel):
    chain_id: int
    contract: str
    proposal_id: str
    proposer: str | None
    targets: list[str]
    values: list[str]
    calldatas: list[str]
    description: str | None
    vote_start: str | None
    vote_end: str | None
    status: str | None
    eta: str | None
    for_votes: str
    against_votes: str
    abstain_votes: str
    created_block: int
    block_number: int
    final: bool


class Vote(BaseModel):
    voter: str
    support: int
    support_name: str
    weight: str
    block_number: int
    log_index: int
    tx_hash: str
    final: bool


class ProposalsOut(PageEnvelope):
    items: list[Proposal]


class ProposalOut(Envelope):
    proposal: Proposal
    votes: list[Vote]
    votes_truncated: bool


def proposal_row(r, heads) -> dict:
    return {
        "chain_id": r["chain_id"],
        "contract": checksum(r["contract"]),
        "proposal_id": r["proposal_id"],
        "proposer": checksum(r["proposer"]),
        "targets": [checksum(t) for t in r["targets"] or []],
        "values": list(r["call_values"] or []),
        "calldatas": [hex0x(c) for c in r["calldatas"] or []],
        "description": r["description"],
        "vote_start": r["vote_start"],
        "vote_end": r["vote_end"],
        "status": r["status"],
        "eta": r["eta"],
        "for_votes": r["for_votes"],
        "against_votes": r["against_votes"],
        "abstain_votes": r["abstain_votes"],
        "created_block": r["created_block"],
        "block_number": r["block_number"],
        "final": heads.is_final(r["chain_id"], r["block_number"]),
    }


@router.get("/proposals", response_model=ProposalsOut, summary="Proposals, newest first")
async def proposals(
    pool: PoolDep,
    heads: HeadsDep,
    page: PageDep,
    chain: ChainDep,
    status: Annotated[
        str | None, Query(max_length=20, description="created, queued, executed, canceled")
    ] = None,
) -> dict:
    chains = chain_ids(heads, chain)
    cur = [BIG, BIG, str(U256)]
    if page.cursor:
        cur = decode_cursor(page.cursor, (int, int, str))
        if not cur[2].isdigit() or len(cur[2]) > 78:
            raise bad_request("invalid cursor: not a cursor this API returned")
    rows = await pool.fetch(sql.PROPOSALS, chains, status, *cur, page.limit + 1)
    rows, nxt = next_page(
        rows, page.limit, lambda r: [r["created_block"], r["chain_id"], r["proposal_id"]]
    )
    items = [proposal_row(r, heads) for r in rows]
    return {
        "read_at": heads.read_at(chains),
        "final": all(i["final"] for i in items),
        "items": items,
        "next_cursor": nxt,
    }


@router.get(
    "/proposals/{proposal_id}", response_model=ProposalOut, summary="One proposal with its votes"
)
async def proposal(
    proposal_id: Annotated[int, Path(ge=0, lt=U256)],
    pool: PoolDep,
    heads: HeadsDep,
    chain: ChainDep,
) -> dict:
    chains = chain_ids(heads, chain)
    rows = await pool.fetch(sql.PROPOSAL, chains, str(proposal_id))
    if not rows:
        raise not_found(f"no proposal {proposal_id}" + (f" on chain {chain}" if chain else ""))
    if len(rows) > 1:
        raise bad_request(
            f"proposal {proposal_id} exists on chains "
            f"{[r['chain_id'] for r in rows]}: pass chain=<id>"
        )
    p = rows[0]
    votes = await pool.fetch(
        sql.VOTES, p["chain_id"], p["contract"], str(proposal_id), MAX_VOTES + 1
    )
    cid = p["chain_id"]
    out_votes = [
        {
            "voter": checksum(v["voter"]),
            "support": v["support"],
            "support_name": SUPPORT.get(v["support"], "unknown"),
            "weight": v["weight"],
            "block_number": v["block_number"],
            "log_index": v["log_index"],
            "tx_hash": hex0x(v["tx_hash"]),
            "final": heads.is_final(cid, v["block_number"]),
        }
        for v in votes[:MAX_VOTES]
    ]
    item = proposal_row(p, heads)
    return {
        "read_at": heads.read_at([cid]),
        "final": item["final"] and all(v["final"] for v in out_votes),
        "proposal": item,
        "votes": out_votes,
        "votes_truncated": len(votes) > MAX_VOTES,
    }
