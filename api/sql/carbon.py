"""SQL of /carbon and /certificates."""

from api.sql import LIM, by_key, columns, newest_first
from indexer.projections.carbon import carbon_batches, certificates, retirements

# Each batch with its supply, and what was retired and invalidated up to the read block.
_AMOUNTS = """,
    (SELECT coalesce(sum(x.amount), 0)::text FROM retirements x
     WHERE x.chain_id = r.chain_id AND x.contract = r.contract AND x.batch_id = r.batch_id
       AND x.block_number <= lim.upto) AS retired,
    (SELECT coalesce(sum(x.amount), 0)::text FROM invalidations x
     WHERE x.chain_id = r.chain_id AND x.contract = r.contract AND x.batch_id = r.batch_id
       AND x.block_number <= lim.upto) AS invalidated,
    (SELECT coalesce(sum(s.supply), 0)::text FROM supplies s
     WHERE s.chain_id = r.chain_id AND s.token = r.contract AND s.token_id = r.batch_id)
       AS supply"""

# $3 project filter, $4 recipient filter (each optional).
BATCHES = by_key(
    carbon_batches,
    "batch_id",
    "($3::text IS NULL OR r.project_id = $3) AND ($4::bytea IS NULL OR r.recipient = $4)",
    2,
    select=_AMOUNTS,
)

# $1 [chain], $2 [its indexed block], $3 batch id.
BATCH = f"""{LIM}
SELECT {columns(carbon_batches, "r")}{_AMOUNTS}
FROM carbon_batches r JOIN lim ON lim.chain_id = r.chain_id
WHERE r.block_number <= lim.upto AND r.batch_id = $3::numeric
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
