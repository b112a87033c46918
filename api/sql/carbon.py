"""SQL of /carbon and /certificates."""

from api.sql import columns, newest_first
from indexer.projections.carbon import carbon_batches, certificates, retirements

_BATCH = f"""
SELECT {columns(carbon_batches, "b")},
    (SELECT coalesce(sum(r.amount), 0)::text FROM retirements r
     WHERE r.chain_id = b.chain_id AND r.contract = b.contract AND r.batch_id = b.batch_id
       AND r.block_number <= $2) AS retired,
    (SELECT coalesce(sum(i.amount), 0)::text FROM invalidations i
     WHERE i.chain_id = b.chain_id AND i.contract = b.contract AND i.batch_id = b.batch_id
       AND i.block_number <= $2) AS invalidated,
    (SELECT coalesce(sum(s.supply), 0)::text FROM supplies s
     WHERE s.chain_id = b.chain_id AND s.token = b.contract AND s.token_id = b.batch_id)
       AS supply
FROM carbon_batches b
"""

# $1 chain ids, $2 max block (the highest indexed block read), $3 project filter,
# $4 recipient filter, keyset ($5 chain, $6 batch id), $7 limit.
BATCHES = f"""{_BATCH}
WHERE b.chain_id = ANY($1) AND b.block_number <= $2
  AND ($3::text IS NULL OR b.project_id = $3) AND ($4::bytea IS NULL OR b.recipient = $4)
  AND (b.chain_id, b.batch_id) > ($5::bigint, $6::numeric)
ORDER BY b.chain_id, b.batch_id
LIMIT $7
"""

# $1 chain, $2 its indexed block, $3 batch id.
BATCH = f"""{_BATCH}
WHERE b.chain_id = $1 AND b.block_number <= $2 AND b.batch_id = $3::numeric
"""

# $3 beneficiary, $4 account, $5 batch id (each optional).
RETIREMENTS = newest_first(
    retirements,
    "($3::bytea IS NULL OR r.beneficiary = $3) AND ($4::bytea IS NULL OR r.account = $4)"
    " AND ($5::numeric IS NULL OR r.batch_id = $5::numeric)",
    3,
)

# The certificate's owner is its ERC-721 balance row (NULL once burned); $1 chain, $2 token id.
CERTIFICATE = f"""
SELECT {columns(certificates, "c")}, o.holder AS owner,
       r.account AS retired_by, r.beneficiary, r.amount::text AS retired_amount,
       r.contract AS ccr_contract
FROM certificates c
LEFT JOIN balances o ON o.chain_id = c.chain_id AND o.token = c.contract
    AND o.token_id = c.token_id AND o.amount > 0
LEFT JOIN LATERAL (
    SELECT * FROM retirements x
    WHERE x.chain_id = c.chain_id AND x.certificate_id = c.token_id
      AND x.batch_id = c.batch_id
    ORDER BY x.block_number LIMIT 1
) r ON true
WHERE c.chain_id = $1 AND c.token_id = $2::numeric
"""
