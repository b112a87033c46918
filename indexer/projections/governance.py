"""Governor: proposals with their vote totals, votes, and the governance parameters.

A proposal's state (Pending, Active, Defeated, Succeeded, Queued, Executed, Canceled) depends on
the block it is read at and on the quorum at its snapshot: the API derives it from these rows
(``api/sql/governance.py``), the way ``Governor.state`` does.
"""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    COUNTER,
    KEEP,
    PROPOSAL,
    Address,
    Addresses,
    BigInt,
    BytesList,
    SmallInt,
    Text,
    Uint,
    Uints,
    append_table,
    latest_table,
)

proposals = latest_table(
    "proposals",
    "Governor proposals: ProposalCreated opens the row (status 'created'); ProposalQueued"
    " ('queued', eta), ProposalExecuted ('executed') and ProposalCanceled ('canceled') update"
    " it; VoteCast adds to the totals. vote_start is the snapshot block, vote_end the deadline.",
    key=("proposal_id",),
    proposal_id=Uint(entity=PROPOSAL),
    proposer=Address(entity=ACCOUNT, nullable=True, merge=KEEP),
    targets=Addresses(nullable=True, merge=KEEP),
    call_values=Uints(nullable=True, merge=KEEP),
    calldatas=BytesList(nullable=True, merge=KEEP),
    description=Text(nullable=True, merge=KEEP),
    vote_start=Uint(nullable=True, merge=KEEP),
    vote_end=Uint(nullable=True, merge=KEEP),
    status=Text(nullable=True),
    eta=Uint(nullable=True),
    for_votes=Uint(merge=COUNTER),
    against_votes=Uint(merge=COUNTER),
    abstain_votes=Uint(merge=COUNTER),
    created_block=BigInt(nullable=True, merge=KEEP),
)
votes = append_table(
    "votes",
    "Governor VoteCast: one row per vote (support 0 against, 1 for, 2 abstain).",
    proposal_id=Uint(entity=PROPOSAL),
    voter=Address(entity=ACCOUNT),
    support=SmallInt(),
    weight=Uint(),
)
governor_params = latest_table(
    "governor_params",
    "Governor ParamsSet: the current voting delay and period (blocks), proposal threshold and"
    " quorum (basis points of the GST supply at a proposal's snapshot).",
    key=(),
    voting_delay=Uint(),
    voting_period=Uint(),
    proposal_threshold=Uint(),
    quorum_bp=Uint(),
)


@on("ProposalCreated", contract="Governor")
def gov_proposal_created(b: Batch, c: Ctx, ev) -> None:
    proposals.put(b, c, ev, call_values=ev.values, status="created", created_block=c.block_number)


@on("VoteCast", contract="Governor")
def gov_vote_cast(b: Batch, c: Ctx, ev) -> None:
    votes.put(b, c, ev)
    weight, support = ev.weight, ev.support
    proposals.put(
        b,
        c,
        proposal_id=ev.proposal_id,
        for_votes=weight if support == 1 else 0,
        against_votes=weight if support == 0 else 0,
        abstain_votes=weight if support == 2 else 0,
    )


@on("ProposalQueued", contract="Governor")
def gov_proposal_queued(b: Batch, c: Ctx, ev) -> None:
    proposals.put(b, c, ev, status="queued")


@on("ProposalExecuted", contract="Governor")
def gov_proposal_executed(b: Batch, c: Ctx, ev) -> None:
    proposals.put(b, c, ev, status="executed")


@on("ProposalCanceled", contract="Governor")
def gov_proposal_canceled(b: Batch, c: Ctx, ev) -> None:
    proposals.put(b, c, ev, status="canceled")


@on("ParamsSet", contract="Governor")
def gov_params_set(b: Batch, c: Ctx, ev) -> None:
    governor_params.put(b, c, ev)
