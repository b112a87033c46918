"""ECS: current scores, their history, and attested ESG metrics (the seed's esg_metrics)."""

from __future__ import annotations

from indexer.projections import BLOCK, F, feed
from indexer.projections.schema import append_table, latest_table

_SCORE = """
        environmental        int
        social               int
        governance           int
        methodology_version  int
        evidence_hash        bytes
"""

scores = latest_table(
    "scores",
    "ECS ScoreUpdated: the current score per account (0-10000 bp) and its components.",
    key="account",
    indexes=(("chain_id", "score"),),
    columns="""
        account    address  entity=account
        score      int
        old_score  int
    """
    + _SCORE,
)
feed(scores, "ECS.ScoreUpdated", score=F.new_score)

score_history = append_table(
    "score_history",
    "ECS ScoreUpdated: every score change.",
    columns="""
        account    address  entity=account
        old_score  int
        new_score  int
    """
    + _SCORE,
)
feed(score_history, "ECS.ScoreUpdated")

esg_metrics = latest_table(
    "esg_metrics",
    "ECS metrics: MetricRecorded creates the row, MetricVerified sets the verification.",
    key="metric_id",
    columns="""
        metric_id       uint     entity=metric
        account         address  null entity=account
        metric_type     bytes    null
        value           uint     null  # signed
        unit            text     null
        evidence_hash   bytes    null
        recorded_block  bigint   null
        verified        bool
        verifier        address  null
        verified_block  bigint   null
    """,
)
feed(esg_metrics, "ECS.MetricRecorded", recorded_block=BLOCK, verified=False)
feed(esg_metrics, "ECS.MetricVerified", verified=True, verified_block=BLOCK)
