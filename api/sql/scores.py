"""SQL of /scores and /metrics (the ECS registry)."""

from api.sql import by_key, newest_first
from indexer.projections.scores import esg_metrics, score_history

# Newest first; $3 account. Each change with its block's timestamp.
HISTORY = newest_first(
    score_history,
    "r.account = $3",
    1,
    select=", bl.timestamp",
    join=" LEFT JOIN blocks bl ON bl.chain_id = r.chain_id AND bl.number = r.block_number",
)

# The seed's esg_metrics of one account; $3 account, $4 verified filter (optional).
METRICS = by_key(
    esg_metrics, "metric_id", "r.account = $3 AND ($4::boolean IS NULL OR r.verified = $4)", 2
)
