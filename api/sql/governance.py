"""SQL of /governance: Governor proposals with the state ``Governor.state`` would report at the
block each chain was read at, and their votes.

The state follows the contract's rules (block-number clock): Executed and Canceled as recorded;
Pending up to the snapshot block (vote_start), Active up to the deadline (vote_end); then Defeated
unless for + abstain reach the quorum and for exceeds against, else Succeeded until queued, then
Queued. The quorum is quorum_bp (the latest ParamsSet, which also applies to open proposals) of
the GST supply at the end of the snapshot block: mints minus burns of the chain's GST up to it.
"""

from api.sql import LIM, columns
from indexer.projections.governance import proposals, votes

_ZERO = "'\\x0000000000000000000000000000000000000000'::bytea"

_FROM = f"""
FROM proposals p
JOIN lim ON lim.chain_id = p.chain_id
LEFT JOIN governor_params g ON g.chain_id = p.chain_id AND g.contract = p.contract
LEFT JOIN contracts gst ON gst.chain_id = p.chain_id AND gst.name = 'GST'
CROSS JOIN LATERAL (
    SELECT div((
        coalesce((SELECT sum(t.amount) FROM transfers t WHERE t.chain_id = p.chain_id
                  AND t.from_addr = {_ZERO} AND t.token = gst.address
                  AND t.block_number <= p.vote_start), 0)
      - coalesce((SELECT sum(t.amount) FROM transfers t WHERE t.chain_id = p.chain_id
                  AND t.to_addr = {_ZERO} AND t.token = gst.address
                  AND t.block_number <= p.vote_start), 0)
    ) * g.quorum_bp, 10000) AS quorum
) q
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN p.status = 'executed' THEN 'Executed'
        WHEN p.status = 'canceled' THEN 'Canceled'
        WHEN lim.upto <= p.vote_start THEN 'Pending'
        WHEN lim.upto <= p.vote_end THEN 'Active'
        WHEN p.for_votes + p.abstain_votes < q.quorum
             OR p.for_votes <= p.against_votes THEN 'Defeated'
        WHEN p.eta IS NULL THEN 'Succeeded'
        ELSE 'Queued'
    END AS state
) s
"""
_COLS = f"{columns(proposals, 'p')}, q.quorum::text AS quorum, s.state"
_CREATED = "coalesce(p.created_block, p.block_number)"

# Newest first; $1 chain ids, $2 their indexed blocks, $3 state filter, keyset ($4 created
# block, $5 chain, $6 proposal id), $7 limit.
PROPOSALS = f"""{LIM}
SELECT {_COLS}, {_CREATED} AS created
{_FROM}
WHERE ($3::text IS NULL OR s.state = $3)
  AND ({_CREATED}, p.chain_id, p.proposal_id) < ($4::bigint, $5::bigint, $6::numeric)
ORDER BY {_CREATED} DESC, p.chain_id DESC, p.proposal_id DESC
LIMIT $7
"""

# $1 [chain], $2 [its indexed block], $3 proposal id.
PROPOSAL = f"""{LIM}
SELECT {_COLS}
{_FROM}
WHERE p.proposal_id = $3::numeric
"""

# Votes of one proposal in cast order, up to the read block; $1 chain, $2 governor,
# $3 proposal id, $4 indexed block, $5 limit.
VOTES = f"""
SELECT {columns(votes, "v")}
FROM votes v
WHERE v.chain_id = $1 AND v.contract = $2 AND v.proposal_id = $3::numeric
  AND v.block_number <= $4
ORDER BY v.block_number, v.log_index
LIMIT $5
"""
