"""/governance/proposals: Governor proposals, their state at the read block, tallies and votes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import ChainId, HeadsDep, Listing, PoolDep, known_chain, listing
from api.errors import not_found
from api.models import Envelope, Page, rows_of
from api.paging import BIG, DIGITS, INT, Keyset
from api.rows import Proposal, ProposalState, Vote
from api.sql import governance as sql

router = APIRouter(prefix="/governance", tags=["governance"])

# Votes listed with one proposal; tallies always cover every vote.
MAX_VOTES = 1000
SUPPORT = {0: "against", 1: "for", 2: "abstain"}


class ProposalOut(Envelope):
    proposal: Proposal
    votes: list[Vote]
    votes_truncated: bool


_PROPOSALS = Keyset(
    ("created", "chain_id", "proposal_id"), (INT, INT, DIGITS), (BIG, BIG, str(2**256))
)


@router.get("/proposals", summary="Proposals, newest first, with their state at the read block")
async def proposals(
    lst: Annotated[Listing, listing(_PROPOSALS)],
    state: Annotated[
        ProposalState | None, Query(description="only proposals in this state")
    ] = None,
) -> Page[Proposal]:
    return await lst.page(Page[Proposal], sql.PROPOSALS, state)


@router.get("/proposals/{chain}/{proposal_id}", summary="One proposal with its votes")
async def proposal(
    chain: ChainId,
    proposal_id: Annotated[int, Path(ge=0, lt=2**256)],
    pool: PoolDep,
    heads: HeadsDep,
) -> ProposalOut:
    known_chain(heads, chain)
    upto = heads.by_chain[chain].indexed_block
    row = await pool.fetchrow(sql.PROPOSAL, [chain], [upto], str(proposal_id))
    if row is None:
        raise not_found(f"no proposal {proposal_id} on chain {chain}")
    (item,) = rows_of(Proposal, heads, [row])
    votes = await pool.fetch(
        sql.VOTES, chain, row["contract"], str(proposal_id), upto, MAX_VOTES + 1
    )
    out = rows_of(
        Vote, heads, ({**v, "support_name": SUPPORT.get(v["support"], "unknown")} for v in votes)
    )
    return ProposalOut.of(
        heads,
        [chain],
        [item, *out],
        proposal=item,
        votes=out[:MAX_VOTES],
        votes_truncated=len(out) > MAX_VOTES,
    )
