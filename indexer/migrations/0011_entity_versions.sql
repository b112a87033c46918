-- Entity-level change tracking (indexer/changes.py). Every batch the indexer commits records, in
-- the same transaction as its rows, the entities it changed (accounts, tokens, carbon batches,
-- proposals, ... : the `entity=` columns of the projection declarations) with one number taken
-- from `entity_change_seq`, and stores that number as its chain's `change_seq`. A rollback gives
-- every entity a block above the fork touched a new number. Readers (the API) learn of a change
-- by NOTIFY esg_entity_changes ('<chain_id>:<seq>') or by polling `chains.change_seq`, and read
-- the entities changed since the number they last saw:
--   SELECT kind, key FROM entity_versions WHERE chain_id = $1 AND seq > $2
-- One chain's numbers grow in commit order (one writer per chain holds its `chains` row).
CREATE SEQUENCE entity_change_seq;

CREATE TABLE entity_versions (
    kind         text NOT NULL,    -- account, token, carbon_batch, proposal, ...; chain for '*'
    key          text NOT NULL,    -- lower-case hex of an address, decimal of an id, '*'
    chain_id     bigint NOT NULL,
    seq          bigint NOT NULL,  -- entity_change_seq of the last change
    block_number bigint NOT NULL,  -- last block of the batch (or the fork) that changed it
    PRIMARY KEY (kind, key, chain_id)
);
CREATE INDEX entity_versions_by_seq ON entity_versions (chain_id, seq);

ALTER TABLE chains ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;

-- What an index written before this migration holds counts as changed at its account's last
-- transfer (the first change the indexer records replaces it).
INSERT INTO entity_versions (kind, key, chain_id, seq, block_number)
SELECT 'account', encode(address, 'hex'), chain_id, 0, last_block FROM accounts;
