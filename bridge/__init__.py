"""The cross-chain bridge's off-chain half: validators (``bridge.validator``, one process and one
key each, sign final messages) and the relayer (``bridge.relayer``, holds no validator key,
collects signatures and submits). Their state lives in PostgreSQL (``bridge/schema.sql``)."""
