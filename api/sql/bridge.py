"""SQL of /bridge: the bridge services' messages and signatures (schema ``bridge``)."""

_MESSAGE_COLS = """
    m.seq, m.src_chain_id, m.src_tx_hash, m.src_log_index, m.kind, m.dest_chain_id,
    m.src_block_number, m.sender, m.src_token, m.token, m.token_id::text AS token_id,
    m.amount::text AS amount, m.recipient, m.target, m.status, m.attempts, m.last_error,
    m.dest_tx_hash, m.eta, m.seen_at, m.delivered_at,
    (SELECT count(*) FROM bridge.signatures s WHERE s.src_chain_id = m.src_chain_id
       AND s.src_tx_hash = m.src_tx_hash AND s.src_log_index = m.src_log_index) AS signatures
"""

# Newest first; $1 status, $2 source chain, $3 destination chain (NULL: any), $4 keyset seq,
# $5 limit.
MESSAGES = f"""
SELECT {_MESSAGE_COLS}
FROM bridge.messages m
WHERE ($1::text IS NULL OR m.status = $1) AND ($2::bigint IS NULL OR m.src_chain_id = $2)
  AND ($3::bigint IS NULL OR m.dest_chain_id = $3) AND m.seq < $4
ORDER BY m.seq DESC
LIMIT $5
"""

# $1 source chain, $2 source tx hash, $3 log index.
MESSAGE = f"""
SELECT {_MESSAGE_COLS}
FROM bridge.messages m
WHERE m.src_chain_id = $1 AND m.src_tx_hash = $2 AND m.src_log_index = $3
"""

# $1 source chain, $2 source tx hash, $3 log index.
SIGNERS = """
SELECT validator, signed_at FROM bridge.signatures
WHERE src_chain_id = $1 AND src_tx_hash = $2 AND src_log_index = $3
ORDER BY validator
"""
