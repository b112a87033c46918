"""SQL of /esg/unified-profile: one statement, one round trip, the whole document as JSON text.

$1 address (bytea), $2 chain ids (bigint[]), $3 rows per list section, $4 each chain's finalized
block (bigint[], aligned with $2). Every section is built by PostgreSQL, with each row's ``final``
flag, token symbols from the ``contracts`` table, the ECS balance row of a scored account, the
gems derived from EGM balances, and the document's overall ``final``; the rows of declared tables
have their read models' columns (``json_object``). The result is JSON text with addresses in
lower-case hex (the API turns the address fields into their EIP-55 form and adds ``read_at`` and
``address``), amounts and ids as decimal text. The second column holds [chain id, block] of
each balance and score row not final yet (NULL when all are final; empty when a row of another
section is not final): the answer's ``final`` flags change once its chain finalizes one of
those blocks (the response cache keeps it until then; an empty list keeps it until a finalized
block moves). Every index used leads with the address (or
(chain_id, holder)) so one address is read across all chains without scanning.
"""

from api.sql import json_object
from indexer.projections.ai_ethics import ai_audits
from indexer.projections.carbon import certificates, retirements
from indexer.projections.rewards import gem_claims, stakes
from indexer.projections.scores import scores

# The finalized block of row ``x``'s chain ($4 is aligned with $2).
_FINAL = "({t}.block_number <= ($4::bigint[])[array_position($2::bigint[], {t}.chain_id)])"


def _section(name: str, table, alias: str, source: str, order: str, **extra: str) -> str:
    """A list section: the rows of ``source`` (already limited) as a JSON array, and whether
    all of them are final."""
    final = _FINAL.format(t=alias)
    obj = json_object(table, alias, **extra, final=final)
    return f"""{name}_j AS (
  SELECT coalesce(json_agg({obj} ORDER BY {order}), '[]') AS j,
    coalesce(bool_and({final}), true) AS f
  FROM ({source}) {alias}
)"""


# The certificates section reads the certificates the address owns from its ECR balance rows,
# already read for ``bal``.
PROFILE = f"""
WITH bal AS (
  SELECT b.chain_id, b.token, b.token_id, b.amount, ct.name AS symbol, a.last_block,
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
    coalesce(bool_and(u.final), true) AS f,
    array_agg(ARRAY[u.chain_id, u.block]) FILTER (WHERE NOT u.final) AS p
  FROM (
    SELECT 0 AS grp, chain_id, token, token_id, amount, symbol, last_block AS block, final
    FROM bal
    -- ECS is soulbound and emits no Transfer: its balance is 1 once the account is scored.
    UNION ALL
    SELECT 1, chain_id, contract, 0, 1, 'ECS', block_number, final FROM sc
  ) u
),
scores_j AS (
  SELECT coalesce(json_agg({json_object(scores, "s", updated_at="s.updated_at", final="s.final")}
      ORDER BY s.chain_id), '[]') AS j
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
{
    _section(
        "stakes",
        stakes,
        "k",
        "SELECT * FROM stakes WHERE owner = $1 AND chain_id = ANY($2)"
        " ORDER BY chain_id, position_id LIMIT $3",
        "k.chain_id, k.position_id",
    )
},
{
    _section(
        "gem_claims",
        gem_claims,
        "g",
        "SELECT * FROM gem_claims WHERE account = $1 AND chain_id = ANY($2)"
        " ORDER BY block_number DESC, chain_id DESC, log_index DESC LIMIT $3",
        "g.block_number DESC, g.chain_id DESC, g.log_index DESC",
    )
},
{
    _section(
        "certificates",
        certificates,
        "c",
        "SELECT c.*, $1 AS owner FROM bal o JOIN certificates c"
        " ON c.chain_id = o.chain_id AND c.contract = o.token AND c.token_id = o.token_id"
        " WHERE o.symbol = 'ECR' ORDER BY c.chain_id, c.token_id LIMIT $3",
        "c.chain_id, c.token_id",
        owner="'0x' || encode(c.owner, 'hex')",
    )
},
{
    _section(
        "retirements",
        retirements,
        "r",
        "SELECT * FROM retirements WHERE (account = $1 OR beneficiary = $1)"
        " AND chain_id = ANY($2) ORDER BY block_number DESC, chain_id DESC, log_index DESC"
        " LIMIT $3",
        "r.block_number DESC, r.chain_id DESC, r.log_index DESC",
    )
},
{
    _section(
        "ai_audits",
        ai_audits,
        "x",
        "SELECT * FROM ai_audits WHERE recipient = $1 AND chain_id = ANY($2)"
        " ORDER BY block_number DESC, chain_id DESC, log_index DESC LIMIT $3",
        "x.block_number DESC, x.chain_id DESC, x.log_index DESC",
    )
}
SELECT json_build_object(
  'final', ba.f AND st.f AND gc.f AND ce.f AND re.f AND ai.f,
  'balances', ba.j, 'scores', sj.j, 'gems', ge.j, 'stakes', st.j, 'gem_claims', gc.j,
  'certificates', ce.j, 'retirements', re.j, 'ai_audits', ai.j)::text,
  CASE WHEN st.f AND gc.f AND ce.f AND re.f AND ai.f THEN ba.p ELSE '{{}}' END
FROM balances_j ba, scores_j sj, gems_j ge, stakes_j st, gem_claims_j gc, certificates_j ce,
     retirements_j re, ai_audits_j ai
"""
