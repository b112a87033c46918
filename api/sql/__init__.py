"""SQL of each resource, one module per resource; parameterized only.

The columns of declared projection tables come from their declarations (``columns``,
``json_object``), so a column added to a declaration is read without editing any statement.
"""

from __future__ import annotations

from indexer.projections import load
from indexer.projections.schema import Table

load()

_HEX = "'0x' || encode({v}, 'hex')"
# Column expressions by the API's kind of value, for JSON built by PostgreSQL.
_JSON = {
    "address": _HEX,
    "hex": _HEX,
    "decimal": "{v}::text",
    "address[]": f"(SELECT json_agg({_HEX.format(v='x')}) FROM unnest({{v}}) x)",
    "hex[]": f"(SELECT json_agg({_HEX.format(v='x')}) FROM unnest({{v}}) x)",
    "decimal[]": "{v}::text[]",
}


def columns(table: Table, alias: str) -> str:
    """The select list of ``table``'s read model (numeric values as text)."""
    return ", ".join(
        f"{alias}.{c.name}::text{'[]' if c.api.endswith('[]') else ''} AS {c.name}"
        if c.api.startswith("decimal")
        else f"{alias}.{c.name}"
        for c in table.columns
    )


def json_object(table: Table, alias: str, **extra: str) -> str:
    """``json_build_object`` of a row of ``table`` (addresses and hashes as lower-case 0x hex,
    numeric values as text) plus ``extra`` name=expression pairs."""
    pairs = [
        f"'{c.name}', " + _JSON.get(c.api, "{v}").format(v=f"{alias}.{c.name}")
        for c in table.columns
    ]
    pairs += [f"'{k}', {v}" for k, v in extra.items()]
    return "json_build_object(" + ", ".join(pairs) + ")"


# Lists read every chain up to its indexed block: $1 chain ids, $2 their indexed blocks.
LIM = "WITH lim(chain_id, upto) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]))"


def newest_first(
    table: Table, where: str, n_params: int, *, select: str = "", join: str = ""
) -> str:
    """Rows of append table ``table`` (alias ``r``) newest first: $1, $2 as ``LIM``, $3.. the
    ``n_params`` parameters of ``where``, then the keyset (block, chain, log index), the limit."""
    k = 3 + n_params
    return f"""{LIM}
SELECT {columns(table, "r")}{select}
FROM {table.name} r JOIN lim ON lim.chain_id = r.chain_id{join}
WHERE r.block_number <= lim.upto AND ({where})
  AND (r.block_number, r.chain_id, r.log_index) < (${k}::bigint, ${k + 1}::bigint, ${k + 2}::bigint)
ORDER BY r.block_number DESC, r.chain_id DESC, r.log_index DESC
LIMIT ${k + 3}
"""


def by_key(
    table: Table, key: str, where: str, n_params: int, *, select: str = "", source: str = ""
) -> str:
    """Rows of latest-state table ``table`` (alias ``r``) in (chain, ``key``) order: $1, $2 as
    ``LIM``, $3.. the parameters of ``where``, then the keyset (chain, key) and the limit.
    ``source`` replaces the FROM item (it must provide ``r``)."""
    k = 3 + n_params
    return f"""{LIM}
SELECT {columns(table, "r")}{select}
FROM {source or table.name + " r"} JOIN lim ON lim.chain_id = r.chain_id
WHERE r.block_number <= lim.upto AND ({where})
  AND (r.chain_id, r.{key}) > (${k}::bigint, ${k + 1}::numeric)
ORDER BY r.chain_id, r.{key}
LIMIT ${k + 2}
"""
