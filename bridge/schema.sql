-- The bridge services' state, in its own schema of the project's PostgreSQL (the same server
-- and database as the index by default). Applied by the relayer and the validators at start;
-- every statement is idempotent.
CREATE SCHEMA IF NOT EXISTS bridge;

-- Each final message the relayer found on a source chain, with its delivery state.
--   status: pending (waiting for signatures or the next attempt), submitted (a transaction is
--   out), queued (an admin message accepted, waiting for its delay), delivered, executed
--   (admin message run), canceled (admin message cancelled), failed (gave up: last_error).
CREATE TABLE IF NOT EXISTS bridge.messages (
    src_chain_id     bigint      NOT NULL,
    src_tx_hash      bytea       NOT NULL,
    src_log_index    integer     NOT NULL,
    seq              bigserial   NOT NULL UNIQUE,
    kind             text        NOT NULL CHECK (kind IN ('transfer', 'admin')),
    dest_chain_id    bigint      NOT NULL,
    src_block_number bigint      NOT NULL,
    src_block_hash   bytea       NOT NULL,
    sender           bytea,
    src_token        bytea,
    token            bytea,
    token_id         numeric(78, 0),
    amount           numeric(78, 0),
    recipient        bytea,
    target           bytea,
    data             bytea       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    dest_tx_hash     bytea,
    -- Destination block of the acceptance; until it is final the relayer checks it again.
    dest_block       bigint,
    eta              bigint,
    seen_at          timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    PRIMARY KEY (src_chain_id, src_tx_hash, src_log_index)
);
CREATE INDEX IF NOT EXISTS messages_open ON bridge.messages (dest_chain_id, status, seq);

-- Signatures the validators published: one row per message and validator. The digest is the
-- EIP-712 digest the signature covers; the relayer checks each signature before using it.
CREATE TABLE IF NOT EXISTS bridge.signatures (
    src_chain_id   bigint      NOT NULL,
    src_tx_hash    bytea       NOT NULL,
    src_log_index  integer     NOT NULL,
    validator      bytea       NOT NULL,
    digest         bytea       NOT NULL,
    signature      bytea       NOT NULL,
    signed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (src_chain_id, src_tx_hash, src_log_index, validator)
);

-- How far each follower (the relayer, or a validator by address) has read each source chain.
CREATE TABLE IF NOT EXISTS bridge.cursors (
    follower   text   NOT NULL,
    chain_id   bigint NOT NULL,
    last_block bigint NOT NULL,
    PRIMARY KEY (follower, chain_id)
);
