"""SQL of /scores and /metrics (the ECS registry)."""

from api.sql import columns, newest_first
from indexer.projections.scores import esg_metrics, score_history

# Newest first; $3 account. Each change with its block's timestamp.
HISTORY = newest_first(
    score_history,
    "r.account = $3",
    1,
    select=", bl.timestamp",
    join=" LEFT JOIN blocks bl ON bl.chain_id = r.chain_id AND bl.number = r.block_number",
)

# The seed's esg_metrics of one account; $1 account, $2 chain ids, $3 verified filter,
# keyset ($4 chain, $5 metric id), $6 limit.
METRICS = f"""
SELECT {columns(esg_metrics, "m")}
FROM esg_metrics m
WHERE m.account = $1 AND m.chain_id = ANY($2)
  AND ($3::boolean IS NULL OR m.verified = $3)
  AND (m.chain_id, m.metric_id) > ($4::bigint, $5::numeric)
ORDER BY m.chain_id, m.metric_id
LIMIT $6
"""
