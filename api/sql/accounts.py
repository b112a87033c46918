"""SQL of /accounts/{address}/...: an address's transfers and the lists of its profile."""

from api.sql import LIM, by_key, newest_first
from indexer.projections.ai_ethics import ai_audits
from indexer.projections.carbon import certificates, retirements
from indexer.projections.rewards import gem_claims, stakes

# Transfers from or to one address ($3), newest first, keyset on (block, chain, log, batch index);
# $4..$5 the block range, $6 the token contracts (optional). Two index scans (by from, by to)
# merged; a self-transfer appears once. Rows above the chain's indexed block at read time are left
# out so pages stay stable while the indexer writes.
_TRANSFER = """
    SELECT t.chain_id, t.block_number, t.log_index, t.batch_index, t.tx_hash, t.token,
           t.token_id::text AS token_id, t.operator, t.from_addr, t.to_addr,
           t.amount::text AS amount
    FROM transfers t JOIN lim ON lim.chain_id = t.chain_id
    WHERE t.{side} = $3 AND t.block_number <= lim.upto AND t.block_number BETWEEN $4 AND $5
      AND ($6::bytea[] IS NULL OR t.token = ANY($6::bytea[]))
      AND (t.block_number, t.chain_id, t.log_index, t.batch_index)
          < ($7::bigint, $8::bigint, $9::bigint, $10::bigint)"""
TRANSFERS = f"""{LIM}
SELECT x.chain_id, x.block_number, x.log_index, x.batch_index, x.tx_hash, x.token AS contract,
       ct.name AS token, x.token_id, x.operator, x.from_addr, x.to_addr, x.amount
FROM (
{_TRANSFER.format(side="from_addr")}
    UNION ALL
{_TRANSFER.format(side="to_addr")} AND t.from_addr <> $3
) x
LEFT JOIN contracts ct ON ct.chain_id = x.chain_id AND ct.address = x.token
ORDER BY x.block_number DESC, x.chain_id DESC, x.log_index DESC, x.batch_index DESC
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
