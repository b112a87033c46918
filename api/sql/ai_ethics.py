"""SQL of /ai-ethics (AET audits)."""

# Newest first; $1 chain ids, $2 upper blocks, $3 recipient, $4 auditor, $5 model id,
# keyset ($6 block, $7 chain, $8 log index), $9 limit.
AUDITS = """
WITH lim(chain_id, upto) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
SELECT a.chain_id, a.contract, a.audit_id::text AS audit_id, a.model_id, a.recipient,
       a.auditor, a.transparency, a.bias, a.human_alignment, a.environmental_impact,
       a.energy_kwh::text AS energy_kwh, a.kg_co2e::text AS kg_co2e, a.nonce::text AS nonce,
       a.reward::text AS reward, a.block_number, a.log_index, a.tx_hash
FROM ai_audits a JOIN lim ON lim.chain_id = a.chain_id
WHERE a.block_number <= lim.upto
  AND ($3::bytea IS NULL OR a.recipient = $3) AND ($4::bytea IS NULL OR a.auditor = $4)
  AND ($5::bytea IS NULL OR a.model_id = $5)
  AND (a.block_number, a.chain_id, a.log_index) < ($6::bigint, $7::bigint, $8::bigint)
ORDER BY a.block_number DESC, a.chain_id DESC, a.log_index DESC
LIMIT $9
"""
