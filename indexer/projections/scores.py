"""ECS: current scores, their history, and attested ESG metrics (the seed's esg_metrics)."""

from __future__ import annotations

from indexer.projections import Batch, Ctx, on
from indexer.projections.schema import (
    ACCOUNT,
    METRIC,
    Address,
    BigInt,
    Bool,
    Bytes,
    Int,
    Text,
    Uint,
    append_table,
    latest_table,
)

scores = latest_table(
    "scores",
    "ECS ScoreUpdated: the current score per account (0-10000 bp) and its components.",
    key=("account",),
    indexes=(("chain_id", "score"),),
    account=Address(entity=ACCOUNT),
    score=Int(),
    old_score=Int(),
    environmental=Int(),
    social=Int(),
    governance=Int(),
    methodology_version=Int(),
    evidence_hash=Bytes(),
)
score_history = append_table(
    "score_history",
    "ECS ScoreUpdated: every score change.",
    account=Address(entity=ACCOUNT),
    old_score=Int(),
    new_score=Int(),
    environmental=Int(),
    social=Int(),
    governance=Int(),
    methodology_version=Int(),
    evidence_hash=Bytes(),
)
esg_metrics = latest_table(
    "esg_metrics",
    "ECS metrics: MetricRecorded creates the row, MetricVerified sets the verification.",
    key=("metric_id",),
    metric_id=Uint(entity=METRIC),
    account=Address(entity=ACCOUNT, nullable=True),
    metric_type=Bytes(nullable=True),
    value=Uint(nullable=True, doc="signed"),
    unit=Text(nullable=True),
    evidence_hash=Bytes(nullable=True),
    recorded_block=BigInt(nullable=True),
    verified=Bool(),
    verifier=Address(nullable=True),
    verified_block=BigInt(nullable=True),
)


@on("ScoreUpdated", contract="ECS")
def ecs_score_updated(b: Batch, c: Ctx, ev) -> None:
    scores.put(b, c, ev, score=ev.new_score)
    score_history.put(b, c, ev)


@on("MetricRecorded", contract="ECS")
def ecs_metric_recorded(b: Batch, c: Ctx, ev) -> None:
    esg_metrics.put(b, c, ev, recorded_block=c.block_number, verified=False)


@on("MetricVerified", contract="ECS")
def ecs_metric_verified(b: Batch, c: Ctx, ev) -> None:
    esg_metrics.put(b, c, ev, verified=True, verified_block=c.block_number)
