"""SQL of /tokens."""

# Supply (summed over ids) and holder count (balances above zero) per (chain, token contract).
SUMMARY = """
SELECT t.chain_id, t.token,
       COALESCE((SELECT sum(s.supply) FROM supplies s
                 WHERE s.chain_id = t.chain_id AND s.token = t.token), 0)::text AS supply,
       COALESCE((SELECT sum(s.minted) FROM supplies s
                 WHERE s.chain_id = t.chain_id AND s.token = t.token), 0)::text AS minted,
       COALESCE((SELECT sum(s.burned) FROM supplies s
                 WHERE s.chain_id = t.chain_id AND s.token = t.token), 0)::text AS burned,
       (SELECT count(*) FROM supplies s
        WHERE s.chain_id = t.chain_id AND s.token = t.token) AS ids,
       (SELECT count(DISTINCT b.holder) FROM balances b
        WHERE b.chain_id = t.chain_id AND b.token = t.token AND b.amount > 0) AS holders
FROM unnest($1::bigint[], $2::bytea[]) AS t(chain_id, token)
"""

# Holders of a token in (chain, holder, id) order (the primary key's order within each chain:
# keyset pages read straight from the index); $1 chain ids, $2 the token's contract on each,
# $3 id filter (optional), keyset ($4 chain, $5 holder, $6 id), $7 limit.
HOLDERS = """
SELECT b.chain_id, b.holder, b.token_id::text AS token_id, b.amount::text AS amount
FROM balances b JOIN unnest($1::bigint[], $2::bytea[]) AS t(chain_id, token)
    ON b.chain_id = t.chain_id AND b.token = t.token
WHERE b.amount > 0 AND ($3::numeric IS NULL OR b.token_id = $3::numeric)
  AND (b.chain_id, b.holder, b.token_id) > ($4::bigint, $5::bytea, $6::numeric)
ORDER BY b.chain_id, b.holder, b.token_id
LIMIT $7
"""
