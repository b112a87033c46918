"""SQL of /accounts/{address}/...: an address's transfers and the lists of its profile."""

from api.sql import by_key, newest_first
from indexer.projections.ai_ethics import ai_audits
from indexer.projections.carbon import certificates, retirements
from indexer.projections.rewards import gem_claims, stakes

# Transfers from or to one address, newest first, keyset on (block, chain, log, batch index).
# Two index scans (by from, by to) merged; a self-transfer appears once. Rows above the chain's
# indexed block at read time are left out so pages stay stable while the indexer writes.
TRANSFERS = """
WITH lim(chain_id, upto) AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]))
SELECT * FROM (
    SELECT t.chain_id, t.block_number, t.log_index, t.batch_index, t.tx_hash, t.token,
           t.token_id::text AS token_id, t.operator, t.from_addr, t.to_addr,
           t.amount::text AS amount
    FROM transfers t JOIN lim ON lim.chain_id = t.chain_id
    WHERE t.from_addr = $1 AND t.block_number <= lim.upto
      AND t.block_number BETWEEN $4 AND $5
      AND ($6::bytea[] IS NULL OR t.token = ANY($6::bytea[]))
      AND (t.block_number, t.chain_id, t.log_index, t.batch_index)
          < ($7::bigint, $8::bigint, $9::bigint, $10::bigint)
    UNION ALL
    SELECT t.chain_id, t.block_number, t.log_index, t.batch_index, t.tx_hash, t.token,
           t.token_id::text, t.operator, t.from_addr, t.to_addr, t.amount::text
    FROM transfers t JOIN lim ON lim.chain_id = t.chain_id
    WHERE t.to_addr = $1 AND t.from_addr <> $1 AND t.block_number <= lim.upto
      AND t.block_number BETWEEN $4 AND $5
      AND ($6::bytea[] IS NULL OR t.token = ANY($6::bytea[]))
      AND (t.block_number, t.chain_id, t.log_index, t.batch_index)
          < ($7::bigint, $8::bigint, $9::bigint, $10::bigint)
) x
ORDER BY block_number DESC, chain_id DESC, log_index DESC, batch_index DESC
LIMIT $11
"""

# The lists of /accounts/{address}/...: $1 chain ids, $2 their indexed blocks, $3 the address,
# then keyset and limit.
RETIREMENTS = newest_first(retirements, "r.account = $3 OR r.beneficiary = $3", 1)
GEM_CLAIMS = newest_first(gem_claims, "r.account = $3", 1)
AI_AUDITS = newest_first(ai_audits, "r.recipient = $3", 1)
STAKES = by_key(stakes, "position_id", "r.owner = $3", 1)
# Certificates the address owns now: its ERC-721 balance rows.
CERTIFICATES = by_key(
    certificates,
    "token_id",
    "o.holder = $3 AND o.amount > 0",
    1,
    select=", o.holder AS owner",
    source="balances o JOIN certificates r ON r.chain_id = o.chain_id AND r.contract = o.token"
    " AND r.token_id = o.token_id",
)
