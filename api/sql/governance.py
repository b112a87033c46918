"""SQL of /governance (Governor proposals and votes)."""

_COLS = """
    p.chain_id, p.contract, p.proposal_id::text AS proposal_id, p.proposer, p.targets,
    (SELECT array_agg(v::text) FROM unnest(p.call_values) v) AS call_values, p.calldatas,
    p.description, p.vote_start::text AS vote_start, p.vote_end::text AS vote_end, p.status,
    p.eta::text AS eta, p.for_votes::text AS for_votes,
    p.against_votes::text AS against_votes, p.abstain_votes::text AS abstain_votes,
    coalesce(p.created_block, p.block_number) AS created_block, p.block_number, p.tx_hash
"""

# Newest first; $1 chain ids, $2 status filter, keyset ($3 created block, $4 chain,
# $5 proposal id), $6 limit.
PROPOSALS = f"""
SELECT {_COLS}
FROM proposals p
WHERE p.chain_id = ANY($1) AND ($2::text IS NULL OR p.status = $2)
  AND (coalesce(p.created_block, p.block_number), p.chain_id, p.proposal_id)
      < ($3::bigint, $4::bigint, $5::numeric)
ORDER BY coalesce(p.created_block, p.block_number) DESC, p.chain_id DESC, p.proposal_id DESC
LIMIT $6
"""

# $1 chain ids, $2 proposal id.
PROPOSAL = f"""
SELECT {_COLS}
FROM proposals p
WHERE p.chain_id = ANY($1) AND p.proposal_id = $2::numeric
ORDER BY p.chain_id
"""

# Votes of one proposal in cast order; $1 chain, $2 governor, $3 proposal id, $4 limit.
VOTES = """
SELECT v.voter, v.support, v.weight::text AS weight, v.block_number, v.log_index, v.tx_hash
FROM votes v
WHERE v.chain_id = $1 AND v.contract = $2 AND v.proposal_id = $3::numeric
ORDER BY v.block_number, v.log_index
LIMIT $4
"""
