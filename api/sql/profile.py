"""SQL of /esg/unified-profile: one statement, one round trip, every section as a JSON array.

$1 address (bytea), $2 chain ids (bigint[]), $3 rows per list section. Addresses and hashes come
out as 0x hex, amounts and ids as decimal text; every index used leads with the address (or
(chain_id, holder)) so one address is read across all chains without scanning.
"""

PROFILE = """
SELECT
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', b.chain_id, 'contract', '0x' || encode(b.token, 'hex'),
      'token_id', b.token_id::text, 'amount', b.amount::text, 'block_number', a.last_block)
      ORDER BY b.chain_id, b.token, b.token_id), '[]')
  FROM balances b
  JOIN accounts a ON a.chain_id = b.chain_id AND a.address = b.holder
  WHERE b.chain_id = ANY($2) AND b.holder = $1 AND b.amount > 0) AS balances,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', s.chain_id, 'contract', '0x' || encode(s.contract, 'hex'),
      'score', s.score, 'environmental', s.environmental, 'social', s.social,
      'governance', s.governance, 'methodology_version', s.methodology_version,
      'evidence_hash', '0x' || encode(s.evidence_hash, 'hex'), 'previous_score', s.old_score,
      'block_number', s.block_number, 'tx_hash', '0x' || encode(s.tx_hash, 'hex'),
      'updated_at', bl.timestamp) ORDER BY s.chain_id), '[]')
  FROM scores s
  LEFT JOIN blocks bl ON bl.chain_id = s.chain_id AND bl.number = s.block_number
  WHERE s.account = $1 AND s.chain_id = ANY($2)) AS scores,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', k.chain_id, 'contract', '0x' || encode(k.contract, 'hex'),
      'position_id', k.position_id::text, 'amount', k.amount::text, 'lock_days', k.lock_days,
      'apr_bp', k.apr_bp::text, 'unlock_time', k.unlock_time::text, 'status', k.status,
      'rewards_claimed', k.rewards_claimed::text, 'block_number', k.block_number)
      ORDER BY k.chain_id, k.position_id), '[]')
  FROM (SELECT * FROM stakes WHERE owner = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, position_id LIMIT $3) k) AS stakes,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', g.chain_id, 'gem_id', g.gem_id::text, 'score', g.score,
      'block_number', g.block_number, 'tx_hash', '0x' || encode(g.tx_hash, 'hex'))
      ORDER BY g.chain_id, g.block_number, g.log_index), '[]')
  FROM (SELECT * FROM gem_claims WHERE account = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) g) AS gem_claims,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', c.chain_id, 'contract', '0x' || encode(c.contract, 'hex'),
      'token_id', c.token_id::text, 'batch_id', c.batch_id::text, 'tonnes', c.tonnes::text,
      'content_hash', '0x' || encode(c.content_hash, 'hex'), 'soulbound', c.soulbound,
      'message', c.message, 'recipient', '0x' || encode(c.recipient, 'hex'),
      'owner', '0x' || encode(c.owner, 'hex'), 'block_number', c.block_number,
      'tx_hash', '0x' || encode(c.tx_hash, 'hex')) ORDER BY c.chain_id, c.token_id), '[]')
  FROM (SELECT * FROM certificates_current WHERE recipient = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) c) AS certificates,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', r.chain_id, 'contract', '0x' || encode(r.contract, 'hex'),
      'batch_id', r.batch_id::text, 'amount', r.amount::text,
      'account', '0x' || encode(r.account, 'hex'),
      'beneficiary', '0x' || encode(r.beneficiary, 'hex'),
      'certificate_id', r.certificate_id::text, 'message', r.message,
      'block_number', r.block_number, 'log_index', r.log_index,
      'tx_hash', '0x' || encode(r.tx_hash, 'hex'))
      ORDER BY r.chain_id, r.block_number, r.log_index), '[]')
  FROM (SELECT * FROM retirements WHERE (account = $1 OR beneficiary = $1)
        AND chain_id = ANY($2) ORDER BY block_number DESC LIMIT $3) r) AS retirements,
 (SELECT coalesce(json_agg(json_build_object(
      'chain_id', x.chain_id, 'contract', '0x' || encode(x.contract, 'hex'),
      'audit_id', x.audit_id::text, 'model_id', '0x' || encode(x.model_id, 'hex'),
      'auditor', '0x' || encode(x.auditor, 'hex'), 'transparency', x.transparency,
      'bias', x.bias, 'human_alignment', x.human_alignment,
      'environmental_impact', x.environmental_impact, 'energy_kwh', x.energy_kwh::text,
      'kg_co2e', x.kg_co2e::text, 'reward', x.reward::text, 'block_number', x.block_number,
      'tx_hash', '0x' || encode(x.tx_hash, 'hex'))
      ORDER BY x.chain_id, x.block_number, x.log_index), '[]')
  FROM (SELECT * FROM ai_audits WHERE recipient = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) x) AS ai_audits
"""
