"""SQL of /scores and /metrics (the ECS registry)."""

# Newest first; $1 account, $2 chain ids, $3 upper blocks, keyset ($4 block, $5 chain,
# $6 log index), $7 limit.
HISTORY = """
WITH lim(chain_id, upto) AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]))
SELECT h.chain_id, h.contract, h.block_number, h.log_index, h.tx_hash, h.old_score,
       h.new_score, h.environmental, h.social, h.governance, h.methodology_version,
       h.evidence_hash, bl.timestamp
FROM score_history h JOIN lim ON lim.chain_id = h.chain_id
LEFT JOIN blocks bl ON bl.chain_id = h.chain_id AND bl.number = h.block_number
WHERE h.account = $1 AND h.block_number <= lim.upto
  AND (h.block_number, h.chain_id, h.log_index) < ($4::bigint, $5::bigint, $6::bigint)
ORDER BY h.block_number DESC, h.chain_id DESC, h.log_index DESC
LIMIT $7
"""

# The seed's esg_metrics of one account; $1 account, $2 chain ids, $3 verified filter,
# keyset ($4 chain, $5 metric id), $6 limit.
METRICS = """
SELECT m.chain_id, m.contract, m.metric_id::text AS metric_id, m.metric_type,
       m.value::text AS value, m.unit, m.evidence_hash, m.recorded_block, m.verified,
       m.verifier, m.verified_block, m.block_number, m.tx_hash
FROM esg_metrics m
WHERE m.account = $1 AND m.chain_id = ANY($2)
  AND ($3::boolean IS NULL OR m.verified = $3)
  AND (m.chain_id, m.metric_id) > ($4::bigint, $5::numeric)
ORDER BY m.chain_id, m.metric_id
LIMIT $6
"""
