"""SQL of /esg/unified-profile: one statement, one round trip, the whole document as JSON text.

$1 address (bytea), $2 chain ids (bigint[]), $3 rows per list section, $4 each chain's finalized
block (bigint[], aligned with $2). Every section is built by PostgreSQL, with each row's ``final``
flag, token symbols from the ``contracts`` table, the ECS balance row of a scored account, the
gems derived from EGM balances, and the document's overall ``final``. The result is JSON text
with addresses in lower-case hex (the API turns the address fields into their EIP-55 form and adds
``read_at`` and ``address``), amounts and ids as decimal text. Every index used leads with the
address (or (chain_id, holder)) so one address is read across all chains without scanning.
"""

# The finalized block of row ``x``'s chain ($4 is aligned with $2).
_FINAL = "({t}.block_number <= ($4::bigint[])[array_position($2::bigint[], {t}.chain_id)])"

PROFILE = f"""
WITH bal AS (
  SELECT b.chain_id, b.token, b.token_id, b.amount, ct.name AS symbol,
         (a.last_block <= ($4::bigint[])[array_position($2::bigint[], b.chain_id)]) AS final
  FROM balances b
  JOIN accounts a ON a.chain_id = b.chain_id AND a.address = b.holder
  LEFT JOIN contracts ct ON ct.chain_id = b.chain_id AND ct.address = b.token
  WHERE b.chain_id = ANY($2) AND b.holder = $1 AND b.amount > 0
),
sc AS (
  SELECT s.*, bl.timestamp AS updated_at, {_FINAL.format(t="s")} AS final
  FROM scores s
  LEFT JOIN blocks bl ON bl.chain_id = s.chain_id AND bl.number = s.block_number
  WHERE s.account = $1 AND s.chain_id = ANY($2)
),
balances_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', u.chain_id, 'token', u.symbol, 'contract', '0x' || encode(u.token, 'hex'),
      'token_id', u.token_id::text, 'amount', u.amount::text, 'final', u.final)
      ORDER BY u.grp, u.chain_id, u.token, u.token_id), '[]') AS j,
    coalesce(bool_and(u.final), true) AS f
  FROM (
    SELECT 0 AS grp, chain_id, token, token_id, amount, symbol, final FROM bal
    -- ECS is soulbound and emits no Transfer: its balance is 1 once the account is scored.
    UNION ALL
    SELECT 1, chain_id, contract, 0, 1, 'ECS', final FROM sc
  ) u
),
scores_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', s.chain_id, 'contract', '0x' || encode(s.contract, 'hex'),
      'score', s.score, 'environmental', s.environmental, 'social', s.social,
      'governance', s.governance, 'methodology_version', s.methodology_version,
      'evidence_hash', '0x' || encode(s.evidence_hash, 'hex'), 'previous_score', s.old_score,
      'block_number', s.block_number, 'tx_hash', '0x' || encode(s.tx_hash, 'hex'),
      'updated_at', s.updated_at, 'final', s.final) ORDER BY s.chain_id), '[]') AS j
  FROM sc s
),
gems_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', b.chain_id, 'contract', '0x' || encode(b.token, 'hex'),
      'gem_id', b.token_id::text, 'amount', b.amount::text,
      'claimed', EXISTS (SELECT 1 FROM gem_claims g WHERE g.account = $1
                         AND g.chain_id = b.chain_id AND g.gem_id = b.token_id),
      'final', b.final) ORDER BY b.chain_id, b.token, b.token_id), '[]') AS j
  FROM bal b WHERE b.symbol = 'EGM'
),
stakes_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', k.chain_id, 'contract', '0x' || encode(k.contract, 'hex'),
      'position_id', k.position_id::text, 'amount', k.amount::text, 'lock_days', k.lock_days,
      'apr_bp', k.apr_bp::text, 'unlock_time', k.unlock_time::text, 'status', k.status,
      'rewards_claimed', k.rewards_claimed::text, 'block_number', k.block_number,
      'final', {_FINAL.format(t="k")})
      ORDER BY k.chain_id, k.position_id), '[]') AS j,
    coalesce(bool_and({_FINAL.format(t="k")}), true) AS f
  FROM (SELECT * FROM stakes WHERE owner = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, position_id LIMIT $3) k
),
gem_claims_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', g.chain_id, 'gem_id', g.gem_id::text, 'score', g.score,
      'block_number', g.block_number, 'tx_hash', '0x' || encode(g.tx_hash, 'hex'),
      'final', {_FINAL.format(t="g")})
      ORDER BY g.chain_id, g.block_number, g.log_index), '[]') AS j,
    coalesce(bool_and({_FINAL.format(t="g")}), true) AS f
  FROM (SELECT * FROM gem_claims WHERE account = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) g
),
certificates_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', c.chain_id, 'contract', '0x' || encode(c.contract, 'hex'),
      'token_id', c.token_id::text, 'batch_id', c.batch_id::text, 'tonnes', c.tonnes::text,
      'content_hash', '0x' || encode(c.content_hash, 'hex'), 'soulbound', c.soulbound,
      'message', c.message, 'recipient', '0x' || encode(c.recipient, 'hex'),
      'owner', '0x' || encode(c.owner, 'hex'), 'block_number', c.block_number,
      'tx_hash', '0x' || encode(c.tx_hash, 'hex'), 'final', {_FINAL.format(t="c")})
      ORDER BY c.chain_id, c.token_id), '[]') AS j,
    coalesce(bool_and({_FINAL.format(t="c")}), true) AS f
  FROM (SELECT * FROM certificates_current WHERE recipient = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) c
),
retirements_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', r.chain_id, 'contract', '0x' || encode(r.contract, 'hex'),
      'batch_id', r.batch_id::text, 'amount', r.amount::text,
      'account', '0x' || encode(r.account, 'hex'),
      'beneficiary', '0x' || encode(r.beneficiary, 'hex'),
      'certificate_id', r.certificate_id::text, 'message', r.message,
      'block_number', r.block_number, 'log_index', r.log_index,
      'tx_hash', '0x' || encode(r.tx_hash, 'hex'), 'final', {_FINAL.format(t="r")})
      ORDER BY r.chain_id, r.block_number, r.log_index), '[]') AS j,
    coalesce(bool_and({_FINAL.format(t="r")}), true) AS f
  FROM (SELECT * FROM retirements WHERE (account = $1 OR beneficiary = $1)
        AND chain_id = ANY($2) ORDER BY block_number DESC LIMIT $3) r
),
ai_audits_j AS (
  SELECT coalesce(json_agg(json_build_object(
      'chain_id', x.chain_id, 'contract', '0x' || encode(x.contract, 'hex'),
      'audit_id', x.audit_id::text, 'model_id', '0x' || encode(x.model_id, 'hex'),
      'auditor', '0x' || encode(x.auditor, 'hex'), 'transparency', x.transparency,
      'bias', x.bias, 'human_alignment', x.human_alignment,
      'environmental_impact', x.environmental_impact, 'energy_kwh', x.energy_kwh::text,
      'kg_co2e', x.kg_co2e::text, 'reward', x.reward::text, 'block_number', x.block_number,
      'tx_hash', '0x' || encode(x.tx_hash, 'hex'), 'final', {_FINAL.format(t="x")})
      ORDER BY x.chain_id, x.block_number, x.log_index), '[]') AS j,
    coalesce(bool_and({_FINAL.format(t="x")}), true) AS f
  FROM (SELECT * FROM ai_audits WHERE recipient = $1 AND chain_id = ANY($2)
        ORDER BY chain_id, block_number DESC LIMIT $3) x
)
SELECT json_build_object(
  'final', ba.f AND st.f AND gc.f AND ce.f AND re.f AND ai.f,
  'balances', ba.j, 'scores', sj.j, 'gems', ge.j, 'stakes', st.j, 'gem_claims', gc.j,
  'certificates', ce.j, 'retirements', re.j, 'ai_audits', ai.j)::text
FROM balances_j ba, scores_j sj, gems_j ge, stakes_j st, gem_claims_j gc, certificates_j ce,
     retirements_j re, ai_audits_j ai
"""
