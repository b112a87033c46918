"""Synthetic index for the API benchmark: ≥ 1,000,000 transfers and ≥ 100,000 holders on two
chains, written straight into the indexer's tables (schema from the indexer's migrations and
projection declarations).

Rows are generated inside PostgreSQL (generate_series) rather than sent from Python: loading
takes about a minute. Balances, supplies and accounts are aggregated from the generated transfers
the way the indexer derives them; since synthetic transfers move arbitrary amounts, a balance is
the absolute value of its net sum (a read benchmark only needs the shape and size of the data).
Every holder has an ECS score; some have stakes, certificates, retirements, gem claims and audits,
so every section of the unified profile has rows to read.
"""

from __future__ import annotations

import time

import asyncpg

from indexer.store import migrate, sync_projections

CHAINS = ((31337, "ethereum:local:foundry"), (2025, "besu:local:node"))
TOKENS = ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")
# Only the tokens that emit Transfer events get transfer rows (ECS is soulbound, no Transfer).
MOVING = ("GST", "ECT", "CCR", "EST", "EGM", "AET", "ECR")
ZERO = "'\\x0000000000000000000000000000000000000000'::bytea"
CERTIFICATE_IDS = 10**9


def token_address(chain_id: int, symbol: str) -> bytes:
    return bytes.fromhex(f"{chain_id:08x}") + symbol.encode().ljust(16, b"\0")


async def loaded(conn: asyncpg.Connection) -> tuple[int, int]:
    """(transfers, holders) already in the database (0, 0 if not migrated)."""
    if not await conn.fetchval("SELECT to_regclass('bench_complete') IS NOT NULL"):
        return 0, 0
    t = await conn.fetchval("SELECT count(*) FROM transfers")
    h = await conn.fetchval("SELECT count(DISTINCT holder) FROM balances WHERE amount > 0")
    return t, h


async def load(url: str, transfers: int = 1_000_000, holders: int = 100_000, say=print) -> None:
    conn = await asyncpg.connect(url)
    try:
        await _load(conn, transfers, holders, say)
    finally:
        await conn.close()


async def _load(conn, transfers: int, holders: int, say) -> None:
    t0 = time.time()
    await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    await migrate(conn)
    await sync_projections(conn, {})
    per_block = 20
    last_block = transfers // per_block + 1
    await conn.execute("SET synchronous_commit = off")
    await conn.execute("SET maintenance_work_mem = '256MB'")
    for cid, net in CHAINS:
        await conn.execute(
            "INSERT INTO chains (chain_id, network, start_block, indexed_block, "
            "finalized_block, head_block) VALUES ($1, $2, 0, $3, $4, $3)",
            cid,
            net,
            last_block,
            last_block - 64,
        )
        for sym in (*TOKENS, "Timelock", "Governor"):
            await conn.execute(
                "INSERT INTO contracts VALUES ($1, $2, $3, 0)", cid, token_address(cid, sym), sym
            )

    # Holder i has a 20-byte address derived from i.
    await conn.execute(f"""
        CREATE UNLOGGED TABLE bench_holders AS
        SELECT i, decode(md5('h' || i) || substr(md5('g' || i), 1, 8), 'hex') AS addr
        FROM generate_series(1, {holders}) i""")
    await conn.execute("CREATE UNIQUE INDEX ON bench_holders (i)")
    await conn.execute(
        """
        CREATE UNLOGGED TABLE bench_tokens AS
        SELECT row_number() OVER (ORDER BY c.chain_id, c.name) - 1 AS k, c.chain_id,
               c.address, c.name
        FROM contracts c WHERE c.name = ANY($1)""",
        list(MOVING),
    )
    ntok = await conn.fetchval("SELECT count(*) FROM bench_tokens")
    say(f"bench data: generating {transfers:,} transfers over {holders:,} holders")

    # Transfers: every holder receives at least one (the first `holders` rows mint to holder n),
    # then mints (1 in 5) and holder-to-holder moves spread by two multiplicative hashes.
    await conn.execute(f"""
        INSERT INTO transfers
        SELECT tk.chain_id, n / {per_block} + 1, n % {per_block}, 0,
               decode(md5('b' || (n / {per_block})) || md5('c' || (n / {per_block})), 'hex'),
               decode(md5('t' || n), 'hex') || decode(md5('u' || n), 'hex'),
               tk.address,
               CASE tk.name WHEN 'CCR' THEN 1 + n % 50 WHEN 'EGM' THEN 1 + n % 3
                            WHEN 'ECR' THEN n ELSE 0 END,
               NULL,
               CASE WHEN n <= {holders} OR n % 5 = 0 THEN {ZERO}
                    ELSE (SELECT addr FROM bench_holders
                          WHERE i = 1 + (n::bigint * 7919) % {holders}) END,
               (SELECT addr FROM bench_holders
                WHERE i = CASE WHEN n <= {holders} THEN n
                               ELSE 1 + (n::bigint * 104729 + 13) % {holders} END),
               CASE WHEN tk.name = 'ECR' THEN 1 ELSE 1 + (n::bigint * 31337) % 1000000 END
        FROM generate_series(1, {transfers}) n
        JOIN bench_tokens tk ON tk.k = n % {ntok}""")
    say(f"bench data: transfers written ({time.time() - t0:.0f} s)")

    await conn.execute("""
        INSERT INTO balances (chain_id, token, token_id, holder, amount, transfers)
        SELECT chain_id, token, token_id, holder, abs(sum(delta)), count(*) FROM (
            SELECT chain_id, token, token_id, to_addr AS holder, amount AS delta FROM transfers
            UNION ALL
            SELECT chain_id, token, token_id, from_addr, -amount FROM transfers
            WHERE from_addr <> '\\x0000000000000000000000000000000000000000'::bytea
        ) d GROUP BY chain_id, token, token_id, holder""")
    await conn.execute("""
        INSERT INTO supplies (chain_id, token, token_id, supply, minted, burned, events)
        SELECT chain_id, token, token_id, sum(amount), sum(amount), 0, count(*) FROM transfers
        WHERE from_addr = '\\x0000000000000000000000000000000000000000'::bytea
        GROUP BY chain_id, token, token_id""")
    await conn.execute("""
        INSERT INTO accounts (chain_id, address, first_block, last_block, transfers)
        SELECT chain_id, a, min(block_number), max(block_number), count(*) FROM (
            SELECT chain_id, to_addr AS a, block_number FROM transfers
            UNION ALL SELECT chain_id, from_addr, block_number FROM transfers
        ) x GROUP BY chain_id, a""")
    # As migration 0011 records an index written before it: each account changed at its last
    # transfer.
    await conn.execute("""
        INSERT INTO entity_versions (kind, key, chain_id, seq, block_number)
        SELECT 'account', encode(address, 'hex'), chain_id, 0, last_block FROM accounts""")
    say(f"bench data: balances, supplies, accounts ({time.time() - t0:.0f} s)")

    ecs = token_address(31337, "ECS")
    await conn.execute(
        f"""
        INSERT INTO scores
        SELECT 31337, $1, h.addr, 4000 + (h.i * 37) % 6000, 0, 4000 + (h.i * 13) % 6000,
               4000 + (h.i * 17) % 6000, 4000 + (h.i * 19) % 6000, 1,
               decode(md5('e' || h.i) || md5('f' || h.i), 'hex'),
               1 + h.i % {last_block}, decode(md5('b'), 'hex') || decode(md5('b'), 'hex'),
               decode(md5('s' || h.i) || md5('r' || h.i), 'hex'), h.i
        FROM bench_holders h""",
        ecs,
    )
    await conn.execute("""
        INSERT INTO score_history
        SELECT chain_id, block_number, log_index, block_hash, tx_hash, contract, account, old_score,
               score, environmental, social, governance, methodology_version, evidence_hash
        FROM scores""")
    est = token_address(31337, "EST")
    await conn.execute(
        f"""
        INSERT INTO stakes
        SELECT 31337, $1, h.i, h.addr, 1000000000000000000000, 30 + h.i % 300, 800,
               1800000000 + h.i, 'open', 0, 1 + h.i % {last_block}, NULL, 1 + h.i % {last_block},
               '\\x00'::bytea, decode(md5('k' || h.i) || md5('l' || h.i), 'hex'), 0
        FROM bench_holders h WHERE h.i % 5 = 0""",
        est,
    )
    # Certificates (ids above the transfers' ECR ids) owned by the holder they were issued to.
    ecr, ccr = token_address(31337, "ECR"), token_address(31337, "CCR")
    await conn.execute(
        f"""
        INSERT INTO balances (chain_id, token, token_id, holder, amount, transfers)
        SELECT 31337, $1, {CERTIFICATE_IDS} + h.i, h.addr, 1, 1
        FROM bench_holders h WHERE h.i % 10 = 0""",
        ecr,
    )
    await conn.execute(
        f"""
        INSERT INTO certificates
        SELECT 31337, $1, {CERTIFICATE_IDS} + h.i, h.addr, 1 + h.i % 50, 1 + h.i % 100,
               decode(md5('c' || h.i) || md5('d' || h.i), 'hex'), h.i % 2 = 0, 'offset',
               1 + h.i % {last_block}, '\\x00'::bytea,
               decode(md5('x' || h.i) || md5('y' || h.i), 'hex'), 1
        FROM bench_holders h WHERE h.i % 10 = 0""",
        ecr,
    )
    await conn.execute(
        f"""
        INSERT INTO retirements
        SELECT 31337, 1 + h.i % {last_block}, 1000 + h.i, '\\x00'::bytea,
               decode(md5('x' || h.i) || md5('y' || h.i), 'hex'), $1, h.addr, h.addr,
               1 + h.i % 50, 1 + h.i % 100, h.i, 'offset'
        FROM bench_holders h WHERE h.i % 10 = 0""",
        ccr,
    )
    egm = token_address(31337, "EGM")
    await conn.execute(
        f"""
        INSERT INTO gem_claims
        SELECT 31337, 1 + h.i % {last_block}, 2000 + h.i, '\\x00'::bytea,
               decode(md5('g' || h.i) || md5('q' || h.i), 'hex'), $1, h.addr, 1, 7000
        FROM bench_holders h WHERE h.i % 7 = 0""",
        egm,
    )
    aet = token_address(31337, "AET")
    await conn.execute(
        f"""
        INSERT INTO ai_audits (chain_id, block_number, log_index, block_hash, tx_hash, contract,
            model_id, recipient, auditor, transparency, bias, human_alignment,
            environmental_impact, energy_kwh, kg_co2e, nonce, reward)
        SELECT 31337, 1 + h.i % {last_block}, 3000 + h.i, '\\x00'::bytea,
               decode(md5('a' || h.i) || md5('z' || h.i), 'hex'), $1,
               decode(md5('m') || md5('n'), 'hex'), h.addr, h.addr, 900, 850, 880, 760, 1840,
               650, h.i, 100000000000000000000
        FROM bench_holders h WHERE h.i % 50 = 0""",
        aet,
    )
    await conn.execute("DROP TABLE bench_tokens")
    # Marks a complete load (an interrupted one is loaded again).
    await conn.execute("CREATE TABLE bench_complete AS SELECT now() AS at")
    await conn.execute("VACUUM ANALYZE")
    say(f"bench data: loaded in {time.time() - t0:.0f} s")


async def sample_holders(url: str, n: int) -> list[str]:
    """Up to ``n`` lower-case 0x addresses of holders (the benchmark's random targets)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT addr FROM bench_holders ORDER BY i LIMIT $1", n)
    finally:
        await conn.close()
    return ["0x" + r[0].hex() for r in rows]
