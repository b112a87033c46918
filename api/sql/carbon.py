"""SQL of /carbon and /certificates."""

_BATCH_COLS = """
    b.chain_id, b.contract, b.batch_id::text AS batch_id, b.recipient, b.issuer, b.registry,
    b.project_id, b.vintage, b.methodology, b.serial_start::text AS serial_start,
    b.serial_end::text AS serial_end, b.amount::text AS amount, b.block_number, b.tx_hash,
    (SELECT coalesce(sum(r.amount), 0)::text FROM retirements r
     WHERE r.chain_id = b.chain_id AND r.contract = b.contract AND r.batch_id = b.batch_id
       AND r.block_number <= $2) AS retired,
    (SELECT coalesce(sum(i.amount), 0)::text FROM invalidations i
     WHERE i.chain_id = b.chain_id AND i.contract = b.contract AND i.batch_id = b.batch_id
       AND i.block_number <= $2) AS invalidated,
    (SELECT coalesce(sum(s.supply), 0)::text FROM supplies s
     WHERE s.chain_id = b.chain_id AND s.token = b.contract AND s.token_id = b.batch_id)
       AS supply
"""

# $1 chain ids, $2 max block (the smallest indexed block read), $3 project filter,
# $4 recipient filter, keyset ($5 chain, $6 batch id), $7 limit.
BATCHES = f"""
SELECT {_BATCH_COLS}
FROM carbon_batches b
WHERE b.chain_id = ANY($1) AND b.block_number <= $2
  AND ($3::text IS NULL OR b.project_id = $3) AND ($4::bytea IS NULL OR b.recipient = $4)
  AND (b.chain_id, b.batch_id) > ($5::bigint, $6::numeric)
ORDER BY b.chain_id, b.batch_id
LIMIT $7
"""

# $1 chain ids, $2 max block, $3 batch id.
BATCH = f"""
SELECT {_BATCH_COLS}
FROM carbon_batches b
WHERE b.chain_id = ANY($1) AND b.block_number <= $2 AND b.batch_id = $3::numeric
ORDER BY b.chain_id
"""

# Newest first; $1 chain ids, $2 upper blocks per chain, $3 beneficiary, $4 account,
# $5 batch id, keyset ($6 block, $7 chain, $8 log index), $9 limit.
RETIREMENTS = """
WITH lim(chain_id, upto) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
SELECT r.chain_id, r.contract, r.batch_id::text AS batch_id, r.amount::text AS amount,
       r.account, r.beneficiary, r.certificate_id::text AS certificate_id, r.message,
       r.block_number, r.log_index, r.tx_hash
FROM retirements r JOIN lim ON lim.chain_id = r.chain_id
WHERE r.block_number <= lim.upto
  AND ($3::bytea IS NULL OR r.beneficiary = $3) AND ($4::bytea IS NULL OR r.account = $4)
  AND ($5::numeric IS NULL OR r.batch_id = $5::numeric)
  AND (r.block_number, r.chain_id, r.log_index) < ($6::bigint, $7::bigint, $8::bigint)
ORDER BY r.block_number DESC, r.chain_id DESC, r.log_index DESC
LIMIT $9
"""

# $1 chain, $2 token id.
CERTIFICATE = """
SELECT c.chain_id, c.contract, c.token_id::text AS token_id, c.recipient, c.owner,
       c.batch_id::text AS batch_id, c.tonnes::text AS tonnes, c.content_hash, c.soulbound,
       c.message, c.block_number, c.tx_hash,
       r.account AS retired_by, r.beneficiary, r.amount::text AS retired_amount,
       r.contract AS ccr_contract
FROM certificates_current c
LEFT JOIN LATERAL (
    SELECT * FROM retirements x
    WHERE x.chain_id = c.chain_id AND x.certificate_id = c.token_id
      AND x.batch_id = c.batch_id
    ORDER BY x.block_number LIMIT 1
) r ON true
WHERE c.chain_id = $1 AND c.token_id = $2::numeric
"""
