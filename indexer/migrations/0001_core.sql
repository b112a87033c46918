-- Core schema: chains and checkpoints, recent blocks, the raw decoded event log, and the
-- ledger of the token standards' transfers (transfers, balances, supplies, accounts). The other
-- projection tables are declared in indexer/projections and created from those declarations.
-- Addresses and hashes are bytea (20 / 32 bytes); token amounts and ids numeric(78,0).
-- Every row an event creates carries chain_id, block_number, block_hash, tx_hash and log_index.

CREATE TABLE chains (
    chain_id        bigint PRIMARY KEY,
    network         text NOT NULL,
    start_block     bigint NOT NULL,
    -- Last block whose events are all committed (start_block - 1 before the first batch).
    indexed_block   bigint NOT NULL,
    finalized_block bigint NOT NULL DEFAULT -1,
    head_block      bigint NOT NULL DEFAULT -1,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contracts (
    chain_id     bigint NOT NULL REFERENCES chains,
    address      bytea NOT NULL,
    name         text NOT NULL,
    deploy_block bigint NOT NULL,
    PRIMARY KEY (chain_id, address)
);

-- Headers of the recent window (reorg detection) and of every block holding an event (timestamps).
CREATE TABLE blocks (
    chain_id    bigint NOT NULL,
    number      bigint NOT NULL,
    hash        bytea NOT NULL,
    parent_hash bytea NOT NULL,
    timestamp   bigint NOT NULL,
    has_events  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, number)
);

-- The raw decoded event log. Integers inside args are decimal strings; addresses and bytes
-- lower-case 0x hex. Partitioned by block range (a default partition now; range partitions can
-- be attached later without touching the indexer).
CREATE TABLE events (
    chain_id      bigint NOT NULL,
    block_number  bigint NOT NULL,
    log_index     integer NOT NULL,
    block_hash    bytea NOT NULL,
    tx_hash       bytea NOT NULL,
    contract      bytea NOT NULL,
    contract_name text NOT NULL,
    event         text NOT NULL,
    args          jsonb NOT NULL,
    final         boolean NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index),
    -- The idempotency key; a partitioned table's unique keys must include the partition key.
    UNIQUE (chain_id, tx_hash, log_index, block_number)
) PARTITION BY RANGE (block_number);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_by_contract ON events (chain_id, contract_name, event, block_number);
CREATE INDEX events_not_final ON events (chain_id, block_number) WHERE NOT final;

-- One row per moved (token, id, amount): ERC-20 and ERC-721 Transfer, ERC-1155 TransferSingle,
-- and one row per id of a TransferBatch (batch_index is the position in the batch).
CREATE TABLE transfers (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    batch_index  integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    token        bytea NOT NULL,
    token_id     numeric(78, 0) NOT NULL,
    operator     bytea,
    from_addr    bytea NOT NULL,
    to_addr      bytea NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index, batch_index)
) PARTITION BY RANGE (block_number);
CREATE TABLE transfers_default PARTITION OF transfers DEFAULT;
CREATE INDEX transfers_by_from ON transfers (chain_id, from_addr, block_number);
CREATE INDEX transfers_by_to ON transfers (chain_id, to_addr, block_number);
CREATE INDEX transfers_by_token ON transfers (chain_id, token, token_id, block_number);

-- The seed's esg_tokens: balance per (chain, token, id, holder); ERC-20 uses token_id 0.
-- `transfers` counts the transfer rows that touched the balance (a row exists while it is > 0).
CREATE TABLE balances (
    chain_id  bigint NOT NULL,
    token     bytea NOT NULL,
    token_id  numeric(78, 0) NOT NULL,
    holder    bytea NOT NULL,
    amount    numeric(78, 0) NOT NULL,
    transfers bigint NOT NULL,
    PRIMARY KEY (chain_id, token, token_id, holder)
);
CREATE INDEX balances_by_holder ON balances (chain_id, holder);

-- Supply per (chain, token, id): mints are transfers from, burns transfers to the zero address.
CREATE TABLE supplies (
    chain_id bigint NOT NULL,
    token    bytea NOT NULL,
    token_id numeric(78, 0) NOT NULL,
    supply   numeric(78, 0) NOT NULL,
    minted   numeric(78, 0) NOT NULL,
    burned   numeric(78, 0) NOT NULL,
    events   bigint NOT NULL,
    PRIMARY KEY (chain_id, token, token_id)
);

-- The seed's users: every address seen in a transfer, per chain.
CREATE TABLE accounts (
    chain_id    bigint NOT NULL,
    address     bytea NOT NULL,
    first_block bigint NOT NULL,
    last_block  bigint NOT NULL,
    transfers   bigint NOT NULL,
    PRIMARY KEY (chain_id, address)
);
