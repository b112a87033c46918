-- The standard transfer events (ERC-20/721 Transfer, ERC-1155 TransferSingle and TransferBatch)
-- are stored once, decoded, in `transfers`; the raw decoded event log `events` becomes a view
-- over the other events (table `event_rows`) and those transfer rows, with the same columns and
-- the same contents as the former table.

ALTER TABLE events RENAME TO event_rows;
ALTER TABLE events_default RENAME TO event_rows_default;

-- Which event a transfer row comes from: 0 = its event is in event_rows (rows written before
-- this migration), 1 = ERC-20 Transfer, 2 = ERC-721 Transfer, 3 = TransferSingle,
-- 4 = TransferBatch (one row per id; an empty batch has no row and stays in event_rows).
ALTER TABLE transfers ADD COLUMN log_kind smallint NOT NULL DEFAULT 0;

-- Event name and argument names (ABI order) of each contract's transfer events, written from the
-- manifest's ABIs at start: the view rebuilds `args` with them.
CREATE TABLE transfer_events (
    chain_id  bigint NOT NULL,
    contract  bytea NOT NULL,
    log_kind  smallint NOT NULL,
    event     text NOT NULL,
    arg_names text[] NOT NULL,
    PRIMARY KEY (chain_id, contract, log_kind)
);

CREATE FUNCTION esg_hex(b bytea) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '0x' || encode(b, 'hex') $$;

-- `final` of a transfer-derived row is the same rule the indexer applies to event_rows: at or
-- below the chain's finalized block.
CREATE VIEW events AS
SELECT e.chain_id, e.block_number, e.log_index, e.block_hash, e.tx_hash, e.contract,
       e.contract_name, e.event, e.args, e.final
  FROM event_rows e
UNION ALL
SELECT t.chain_id, t.block_number, t.log_index, t.block_hash, t.tx_hash, t.token,
       c.name, k.event,
       CASE t.log_kind
         WHEN 1 THEN jsonb_build_object(k.arg_names[1], esg_hex(t.from_addr),
                                        k.arg_names[2], esg_hex(t.to_addr),
                                        k.arg_names[3], t.amount::text)
         WHEN 2 THEN jsonb_build_object(k.arg_names[1], esg_hex(t.from_addr),
                                        k.arg_names[2], esg_hex(t.to_addr),
                                        k.arg_names[3], t.token_id::text)
         WHEN 3 THEN jsonb_build_object(k.arg_names[1], esg_hex(t.operator),
                                        k.arg_names[2], esg_hex(t.from_addr),
                                        k.arg_names[3], esg_hex(t.to_addr),
                                        k.arg_names[4], t.token_id::text,
                                        k.arg_names[5], t.amount::text)
         ELSE jsonb_build_object(k.arg_names[1], esg_hex(t.operator),
                                 k.arg_names[2], esg_hex(t.from_addr),
                                 k.arg_names[3], esg_hex(t.to_addr),
                                 k.arg_names[4], b.ids, k.arg_names[5], b.amounts)
       END,
       t.block_number <= ch.finalized_block
  FROM transfers t
  JOIN transfer_events k
    ON k.chain_id = t.chain_id AND k.contract = t.token AND k.log_kind = t.log_kind
  JOIN contracts c ON c.chain_id = t.chain_id AND c.address = t.token
  JOIN chains ch ON ch.chain_id = t.chain_id
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(x.token_id::text ORDER BY x.batch_index) AS ids,
           jsonb_agg(x.amount::text ORDER BY x.batch_index) AS amounts
      FROM transfers x
     WHERE t.log_kind = 4 AND x.chain_id = t.chain_id AND x.block_number = t.block_number
       AND x.log_index = t.log_index
  ) b ON true
 WHERE t.log_kind > 0 AND t.batch_index = 0;

-- Room on each page for the new versions of upserted rows (HOT updates, no index entries).
ALTER TABLE balances SET (fillfactor = 70);
ALTER TABLE supplies SET (fillfactor = 70);
ALTER TABLE accounts SET (fillfactor = 70);
