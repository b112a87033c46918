-- Block-range partitions of the two tables that grow with the chains: `transfers` and the event
-- log `event_rows` (both PARTITION BY RANGE (block_number) with a DEFAULT partition since 0001).
-- The indexer creates partitions ahead of the blocks it writes (indexer/partitions.py) with the
-- function below; rows that an older version wrote to the DEFAULT partition move into the new
-- partition in the same transaction, so every reader sees them exactly once, before or after.
--
-- esg_add_block_partition('transfers', 1000000, 2000000) creates transfers_b1000000_2000000
-- for blocks [1000000, 2000000) and returns the number of rows moved out of the DEFAULT
-- partition. The caller serialises calls (an advisory lock) and never asks for a range that
-- overlaps an existing partition.
CREATE FUNCTION esg_add_block_partition(parent regclass, lo bigint, hi bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    default_part regclass;
    part_name text := format('%s_b%s_%s', parent::text, lo, hi);
    moved bigint := 0;
BEGIN
    IF lo < 0 OR hi <= lo THEN
        RAISE EXCEPTION 'esg_add_block_partition: bad block range [%, %)', lo, hi;
    END IF;
    -- First, and whole: the indexer's writes into `parent` wait for this transaction instead of
    -- holding row locks it would need (no lock-upgrade deadlock with a rollback in flight).
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', parent);
    SELECT c.oid INTO default_part
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    IF default_part IS NOT NULL THEN
        EXECUTE format('CREATE TEMP TABLE esg_moving (LIKE %s) ON COMMIT DROP', parent);
        EXECUTE format(
            'WITH m AS (DELETE FROM %s WHERE block_number >= $1 AND block_number < $2'
            ' RETURNING *) INSERT INTO esg_moving SELECT * FROM m', default_part)
          USING lo, hi;
        GET DIAGNOSTICS moved = ROW_COUNT;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%s) TO (%s)',
                   part_name, parent, lo, hi);
    IF default_part IS NOT NULL THEN
        IF moved > 0 THEN
            EXECUTE format('INSERT INTO %s SELECT * FROM esg_moving', parent);
        END IF;
        DROP TABLE esg_moving;
    END IF;
    RETURN moved;
END $$;
