"""Governor: proposals with their vote totals, votes, and the governance parameters.

A proposal's state (Pending, Active, Defeated, Succeeded, Queued, Executed, Canceled) depends on
the block it is read at and on the quorum at its snapshot: the API derives it from these rows
(``api/sql/governance.py``), the way ``Governor.state`` does.
"""

from __future__ import annotations

from indexer.projections import BLOCK, Batch, Ctx, F, feed, on
from indexer.projections.schema import append_table, latest_table

proposals = latest_table(
    "proposals",
    "Governor proposals: ProposalCreated opens the row (status 'created'); ProposalQueued"
    " ('queued', eta), ProposalExecuted ('executed') and ProposalCanceled ('canceled') update"
    " it; VoteCast adds to the totals. vote_start is the snapshot block, vote_end the deadline.",
    columns="""
        proposal_id    uint       entity=proposal           # hash of calls and description
        proposer       address    null keep entity=account  # who proposed
        targets        address[]  null keep                 # contracts called
        call_values    uint[]     null keep                 # wei sent with each call
        calldatas      bytes[]    null keep                 # the calls
        description    text       null keep                 # what it is for
        vote_start     uint       null keep                 # snapshot block
        vote_end       uint       null keep                 # last block of the vote
        status         text       null                      # created, queued, executed or canceled
        eta            uint       null                      # unix time it can execute once queued
        for_votes      uint       counter                   # weight for
        against_votes  uint       counter                   # weight against
        abstain_votes  uint       counter                   # weight abstaining
        created_block  bigint     null keep                 # block of ProposalCreated
    """,
    key="proposal_id",
)
feed(
    proposals,
    "Governor.ProposalCreated",
    call_values=F.values,
    status="created",
    created_block=BLOCK,
)
feed(proposals, "Governor.ProposalQueued", status="queued")
feed(proposals, "Governor.ProposalExecuted", status="executed")
feed(proposals, "Governor.ProposalCanceled", status="canceled")

votes = append_table(
    "votes",
    "Governor VoteCast: one row per vote (support 0 against, 1 for, 2 abstain).",
    columns="""
        proposal_id  uint      entity=proposal  # the proposal
        voter        address   entity=account   # who voted
        support      smallint                   # 0 against, 1 for, 2 abstain
        weight       uint                       # voting weight at the snapshot
    """,
)


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


governor_params = latest_table(
    "governor_params",
    "Governor ParamsSet: the current voting delay and period (blocks), proposal threshold and"
    " quorum (basis points of the GST supply at a proposal's snapshot).",
    columns="""
        voting_delay        uint  # blocks from proposal to vote
        voting_period       uint  # blocks the vote lasts
        proposal_threshold  uint  # votes needed to propose
        quorum_bp           uint  # quorum in bp of GST supply
    """,
    key="",
)
feed(governor_params, "Governor.ParamsSet")
