"""ECS: current scores, their history, and attested ESG metrics (the seed's esg_metrics)."""

from __future__ import annotations

from indexer.projections import BLOCK, F, feed
from indexer.projections.schema import append_table, latest_table

_SCORE = """
        environmental        int    # environmental component, 0 to 10000 bp
        social               int    # social component, 0 to 10000 bp
        governance           int    # governance component, 0 to 10000 bp
        methodology_version  int    # version of the scoring methodology
        evidence_hash        bytes  # hash of the evidence behind the score
"""

scores = latest_table(
    "scores",
    "ECS ScoreUpdated: the current score per account (0-10000 bp) and its components.",
    columns="""
        account    address  entity=account  # the scored account
        score      int                      # current score, 0 to 10000 bp
        old_score  int                      # the score before the last update
    """
    + _SCORE,
    key="account",
    indexes=(("chain_id", "score"),),
)
feed(scores, "ECS.ScoreUpdated", score=F.new_score)

score_history = append_table(
    "score_history",
    "ECS ScoreUpdated: every score change.",
    columns="""
        account    address  entity=account  # the scored account
        old_score  int                      # score before the change
        new_score  int                      # score after the change
    """
    + _SCORE,
)
feed(score_history, "ECS.ScoreUpdated")

esg_metrics = latest_table(
    "esg_metrics",
    "ECS metrics: MetricRecorded creates the row, MetricVerified sets the verification.",
    columns="""
        metric_id       uint     entity=metric        # the registry's metric id
        account         address  null entity=account  # the account measured
        metric_type     bytes    null                 # keccak of the metric name
        value           uint     null                 # signed
        unit            text     null                 # unit of the value
        evidence_hash   bytes    null                 # hash of the evidence
        recorded_block  bigint   null                 # block of MetricRecorded
        verified        bool                          # a verifier confirmed it
        verifier        address  null                 # who verified it
        verified_block  bigint   null                 # block of MetricVerified
    """,
    key="metric_id",
)
feed(esg_metrics, "ECS.MetricRecorded", recorded_block=BLOCK, verified=False)
feed(esg_metrics, "ECS.MetricVerified", verified=True, verified_block=BLOCK)
