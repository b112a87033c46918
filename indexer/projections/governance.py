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
    key="proposal_id",
    columns="""
        proposal_id    uint       entity=proposal
        proposer       address    null keep entity=account
        targets        address[]  null keep
        call_values    uint[]     null keep
        calldatas      bytes[]    null keep
        description    text       null keep
        vote_start     uint       null keep
        vote_end       uint       null keep
        status         text       null
        eta            uint       null
        for_votes      uint       counter
        against_votes  uint       counter
        abstain_votes  uint       counter
        created_block  bigint     null keep
    """,
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
        proposal_id  uint      entity=proposal
        voter        address   entity=account
        support      smallint
        weight       uint
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
    key="",
    columns="""
        voting_delay        uint
        voting_period       uint
        proposal_threshold  uint
        quorum_bp           uint
    """,
)
feed(governor_params, "Governor.ParamsSet")
