-- The oracle's own schema: sign-in nonces, encrypted evidence, cases and their attestations.

CREATE TABLE oracle.siwe_nonces (
    nonce text PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX siwe_nonces_expiry ON oracle.siwe_nonces (expires_at);

-- One uploaded file, encrypted (AES-256-GCM); content_hash is keccak256 of the plaintext.
CREATE TABLE oracle.evidence (
    id bigserial PRIMARY KEY,
    account text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('report', 'metrics', 'image')),
    media_type text NOT NULL,
    size integer NOT NULL,
    content_hash bytea NOT NULL,
    key_id text NOT NULL,
    nonce bytea NOT NULL,
    ciphertext bytea NOT NULL,
    analysis jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account, content_hash)
);
CREATE INDEX evidence_phash ON oracle.evidence ((analysis ->> 'phash')) WHERE kind = 'image';

-- A set of evidence scored together; evidence_hash commits to every file's content hash.
CREATE TABLE oracle.cases (
    id bigserial PRIMARY KEY,
    account text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('score', 'model_audit')),
    evidence_hash bytea NOT NULL UNIQUE,
    evidence_ids bigint[] NOT NULL,
    assessment jsonb NOT NULL,
    review_reasons jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('pending_review', 'approved', 'rejected')),
    reviewer text,
    review_signature text,
    review_note text,
    reviewed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One on-chain call per row. idem_key = keccak256(evidence_hash, kind, index): unique, so one
-- evidence hash yields each attestation at most once; it is also the ECT action id and the AET
-- nonce, which the contracts accept once. The signed transaction is stored before it is sent.
CREATE TABLE oracle.attestations (
    id bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES oracle.cases (id),
    kind text NOT NULL CHECK (kind IN ('ecs_score', 'ecs_metric', 'ect_reward', 'aet_audit')),
    idem_key bytea NOT NULL UNIQUE,
    chain_id bigint NOT NULL,
    contract text NOT NULL,
    function text NOT NULL,
    args jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'signed', 'mined', 'reverted', 'skipped')),
    sender text,
    tx_nonce bigint,
    raw_tx bytea,
    tx_hash bytea,
    sent_at timestamptz,
    block_number bigint,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    mined_at timestamptz,
    UNIQUE (chain_id, sender, tx_nonce)
);
CREATE INDEX attestations_open ON oracle.attestations (id) WHERE status IN ('queued', 'signed');

-- The next transaction nonce of each signing account, reserved here before a transaction is signed.
CREATE TABLE oracle.senders (
    chain_id bigint NOT NULL,
    address text NOT NULL,
    next_nonce bigint NOT NULL,
    PRIMARY KEY (chain_id, address)
);
