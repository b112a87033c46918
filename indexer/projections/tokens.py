"""Projections of the eight ESG tokens' own events (carbon batches, retirements, certificates,
scores, stakes, gems, audits, metrics, governance).

Add one handler per (contract, event) here with ``@on("Event", contract="CCR")``, declaring its
table with ``register_append`` (history rows) or ``register_latest`` (current state per key) and
the table itself in a new migration (indexer/migrations/000N_*.sql). Every row carries chain_id,
block_number, block_hash, tx_hash and log_index (``Ctx.loc()``), so rollbacks stay exact.
"""
