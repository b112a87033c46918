-- Projections of the eight ESG tokens' own events (indexer/projections/tokens.py).
-- Conventions as in 0001: addresses and hashes bytea, amounts and ids numeric(78, 0); every row
-- carries chain_id, block_number, block_hash, tx_hash and log_index of the event that wrote it
-- (for latest-state tables: of the latest event that changed the row). `contract` is the
-- emitting contract's address. Per-account indexes lead with the address so that one address
-- can be read across all chains.

-- CCR: one row per tokenized batch (BatchTokenized).
CREATE TABLE carbon_batches (
    chain_id     bigint NOT NULL,
    contract     bytea NOT NULL,
    batch_id     numeric(78, 0) NOT NULL,
    recipient    bytea NOT NULL,
    issuer       bytea NOT NULL,
    registry     text NOT NULL,
    project_id   text NOT NULL,
    vintage      integer NOT NULL,
    methodology  text NOT NULL,
    serial_start numeric(78, 0) NOT NULL,
    serial_end   numeric(78, 0) NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    log_index    integer NOT NULL,
    PRIMARY KEY (chain_id, contract, batch_id)
);
CREATE INDEX carbon_batches_by_project ON carbon_batches (project_id, chain_id);
CREATE INDEX carbon_batches_by_recipient ON carbon_batches (recipient, chain_id);

-- CCR Retired: one row per retirement.
CREATE TABLE retirements (
    chain_id       bigint NOT NULL,
    block_number   bigint NOT NULL,
    log_index      integer NOT NULL,
    block_hash     bytea NOT NULL,
    tx_hash        bytea NOT NULL,
    contract       bytea NOT NULL,
    account        bytea NOT NULL,
    beneficiary    bytea NOT NULL,
    batch_id       numeric(78, 0) NOT NULL,
    amount         numeric(78, 0) NOT NULL,
    certificate_id numeric(78, 0) NOT NULL,
    message        text NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX retirements_by_account ON retirements (account, chain_id, block_number);
CREATE INDEX retirements_by_beneficiary ON retirements (beneficiary, chain_id, block_number);
CREATE INDEX retirements_by_batch ON retirements (chain_id, contract, batch_id, block_number);

-- CCR Invalidated: one row per invalidation (a verifier burning a holder's credits).
CREATE TABLE invalidations (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    verifier     bytea NOT NULL,
    holder       bytea NOT NULL,
    batch_id     numeric(78, 0) NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    reason       text NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX invalidations_by_holder ON invalidations (holder, chain_id, block_number);
CREATE INDEX invalidations_by_batch ON invalidations (chain_id, contract, batch_id, block_number);

-- CCR compliance switch (ComplianceSet) and allowlist (AllowedSet): current state.
CREATE TABLE ccr_compliance (
    chain_id     bigint NOT NULL,
    contract     bytea NOT NULL,
    enabled      boolean NOT NULL,
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    log_index    integer NOT NULL,
    PRIMARY KEY (chain_id, contract)
);
CREATE TABLE ccr_allowlist (
    chain_id     bigint NOT NULL,
    contract     bytea NOT NULL,
    account      bytea NOT NULL,
    allowed      boolean NOT NULL,
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    log_index    integer NOT NULL,
    PRIMARY KEY (chain_id, contract, account)
);
CREATE INDEX ccr_allowlist_by_account ON ccr_allowlist (account, chain_id);

-- ECR CertificateIssued: one row per certificate. The current owner is the ERC-721 balance
-- row (balances.token = contract, token_id, amount 1); see certificates_current.
CREATE TABLE certificates (
    chain_id     bigint NOT NULL,
    contract     bytea NOT NULL,
    token_id     numeric(78, 0) NOT NULL,
    recipient    bytea NOT NULL,
    batch_id     numeric(78, 0) NOT NULL,
    tonnes       numeric(78, 0) NOT NULL,
    content_hash bytea NOT NULL,
    soulbound    boolean NOT NULL,
    message      text NOT NULL,
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    log_index    integer NOT NULL,
    PRIMARY KEY (chain_id, contract, token_id)
);
CREATE INDEX certificates_by_recipient ON certificates (recipient, chain_id);
CREATE INDEX certificates_by_batch ON certificates (chain_id, batch_id);

-- Certificates with their current owner (NULL once burned).
CREATE VIEW certificates_current AS
SELECT c.*, b.holder AS owner
FROM certificates c
LEFT JOIN balances b ON b.chain_id = c.chain_id AND b.token = c.contract
    AND b.token_id = c.token_id AND b.amount > 0;

-- ECS ScoreUpdated: current score per account, and the full history.
CREATE TABLE scores (
    chain_id            bigint NOT NULL,
    contract            bytea NOT NULL,
    account             bytea NOT NULL,
    score               integer NOT NULL,
    old_score           integer NOT NULL,
    environmental       integer NOT NULL,
    social              integer NOT NULL,
    governance          integer NOT NULL,
    methodology_version integer NOT NULL,
    evidence_hash       bytea NOT NULL,
    block_number        bigint NOT NULL,
    block_hash          bytea NOT NULL,
    tx_hash             bytea NOT NULL,
    log_index           integer NOT NULL,
    PRIMARY KEY (chain_id, contract, account)
);
CREATE INDEX scores_by_account ON scores (account, chain_id);
CREATE INDEX scores_by_score ON scores (chain_id, score);

CREATE TABLE score_history (
    chain_id            bigint NOT NULL,
    block_number        bigint NOT NULL,
    log_index           integer NOT NULL,
    block_hash          bytea NOT NULL,
    tx_hash             bytea NOT NULL,
    contract            bytea NOT NULL,
    account             bytea NOT NULL,
    old_score           integer NOT NULL,
    new_score           integer NOT NULL,
    environmental       integer NOT NULL,
    social              integer NOT NULL,
    governance          integer NOT NULL,
    methodology_version integer NOT NULL,
    evidence_hash       bytea NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX score_history_by_account ON score_history (account, chain_id, block_number);

-- Current ESG score per (chain, address): accounts.esg_score (0001) is not filled; read this.
CREATE VIEW account_scores AS
SELECT chain_id, account AS address, score AS esg_score, block_number AS updated_block
FROM scores;

-- ECS metrics (MetricRecorded, then MetricVerified sets verified/verifier/verified_block).
-- Columns other than the key are nullable only because a verification updates the row partially.
CREATE TABLE esg_metrics (
    chain_id       bigint NOT NULL,
    contract       bytea NOT NULL,
    metric_id      numeric(78, 0) NOT NULL,
    account        bytea,
    metric_type    bytea,
    value          numeric(78, 0),
    unit           text,
    evidence_hash  bytea,
    recorded_block bigint,
    verified       boolean NOT NULL,
    verifier       bytea,
    verified_block bigint,
    block_number   bigint NOT NULL,
    block_hash     bytea NOT NULL,
    tx_hash        bytea NOT NULL,
    log_index      integer NOT NULL,
    PRIMARY KEY (chain_id, contract, metric_id)
);
CREATE INDEX esg_metrics_by_account ON esg_metrics (account, chain_id, metric_id);

-- ECT ActionRewarded: one row per rewarded action.
CREATE TABLE ect_actions (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    recipient    bytea NOT NULL,
    action_id    bytea NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    epoch        numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX ect_actions_by_recipient ON ect_actions (recipient, chain_id, block_number);
CREATE INDEX ect_actions_by_action ON ect_actions (action_id);

-- EST positions: Staked opens the row (status 'open'); Unstaked closes it (status 'closed',
-- its reward added to rewards_claimed); RewardClaimed adds to rewards_claimed.
CREATE TABLE stakes (
    chain_id        bigint NOT NULL,
    contract        bytea NOT NULL,
    position_id     numeric(78, 0) NOT NULL,
    owner           bytea,
    amount          numeric(78, 0),
    lock_days       integer,
    apr_bp          numeric(78, 0),
    unlock_time     numeric(78, 0),
    status          text,
    rewards_claimed numeric(78, 0) NOT NULL,
    opened_block    bigint,
    closed_block    bigint,
    block_number    bigint NOT NULL,
    block_hash      bytea NOT NULL,
    tx_hash         bytea NOT NULL,
    log_index       integer NOT NULL,
    PRIMARY KEY (chain_id, contract, position_id)
);
CREATE INDEX stakes_by_owner ON stakes (owner, chain_id, position_id);

-- EST RewardsFunded history.
CREATE TABLE stake_rewards_funded (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    funder       bytea NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    reserve      numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);

-- EGM gem definitions (GemDefined; GemExpirySet sets expires_at, NULL until first set).
CREATE TABLE gems (
    chain_id     bigint NOT NULL,
    contract     bytea NOT NULL,
    gem_id       numeric(78, 0) NOT NULL,
    cap          numeric(78, 0),
    min_score_bp integer,
    price_gst    numeric(78, 0),
    uri          text,
    expires_at   numeric(78, 0),
    block_number bigint NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    log_index    integer NOT NULL,
    PRIMARY KEY (chain_id, contract, gem_id)
);

CREATE TABLE gem_claims (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    account      bytea NOT NULL,
    gem_id       numeric(78, 0) NOT NULL,
    score        integer NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX gem_claims_by_account ON gem_claims (account, chain_id, block_number);
CREATE INDEX gem_claims_by_gem ON gem_claims (chain_id, contract, gem_id);

CREATE TABLE gem_purchases (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    buyer        bytea NOT NULL,
    gem_id       numeric(78, 0) NOT NULL,
    amount       numeric(78, 0) NOT NULL,
    cost_gst     numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX gem_purchases_by_buyer ON gem_purchases (buyer, chain_id, block_number);
CREATE INDEX gem_purchases_by_gem ON gem_purchases (chain_id, contract, gem_id);

-- AET AuditRecorded. audit_id is the contract's counter (1, 2, ... per contract), numbered by
-- the trigger below in event order (rows above a fork are deleted, so it stays exact).
CREATE TABLE ai_audits (
    chain_id             bigint NOT NULL,
    block_number         bigint NOT NULL,
    log_index            integer NOT NULL,
    block_hash           bytea NOT NULL,
    tx_hash              bytea NOT NULL,
    contract             bytea NOT NULL,
    audit_id             numeric(78, 0),
    model_id             bytea NOT NULL,
    recipient            bytea NOT NULL,
    auditor              bytea NOT NULL,
    transparency         integer NOT NULL,
    bias                 integer NOT NULL,
    human_alignment      integer NOT NULL,
    environmental_impact integer NOT NULL,
    energy_kwh           numeric(78, 0) NOT NULL,
    kg_co2e              numeric(78, 0) NOT NULL,
    nonce                numeric(78, 0) NOT NULL,
    reward               numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE UNIQUE INDEX ai_audits_by_id ON ai_audits (chain_id, contract, audit_id);
CREATE INDEX ai_audits_by_recipient ON ai_audits (recipient, chain_id, block_number);
CREATE INDEX ai_audits_by_auditor ON ai_audits (auditor, chain_id, block_number);
CREATE INDEX ai_audits_by_model ON ai_audits (model_id, chain_id, block_number);

CREATE FUNCTION ai_audits_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(max(audit_id), 0) + 1 INTO NEW.audit_id FROM ai_audits
    WHERE chain_id = NEW.chain_id AND contract = NEW.contract;
    RETURN NEW;
END $$;
CREATE TRIGGER ai_audits_number BEFORE INSERT ON ai_audits
    FOR EACH ROW EXECUTE FUNCTION ai_audits_number();

-- Governor proposals: ProposalCreated opens the row (status 'created'); ProposalQueued
-- ('queued', eta), ProposalExecuted ('executed'), ProposalCanceled ('canceled') update it;
-- VoteCast adds to the vote totals. vote_start is the snapshot block, vote_end the deadline.
CREATE TABLE proposals (
    chain_id      bigint NOT NULL,
    contract      bytea NOT NULL,
    proposal_id   numeric(78, 0) NOT NULL,
    proposer      bytea,
    targets       bytea[],
    call_values   numeric(78, 0)[],
    calldatas     bytea[],
    description   text,
    vote_start    numeric(78, 0),
    vote_end      numeric(78, 0),
    status        text,
    eta           numeric(78, 0),
    for_votes     numeric(78, 0) NOT NULL,
    against_votes numeric(78, 0) NOT NULL,
    abstain_votes numeric(78, 0) NOT NULL,
    created_block bigint,
    block_number  bigint NOT NULL,
    block_hash    bytea NOT NULL,
    tx_hash       bytea NOT NULL,
    log_index     integer NOT NULL,
    PRIMARY KEY (chain_id, contract, proposal_id)
);
CREATE INDEX proposals_by_proposer ON proposals (proposer, chain_id);

CREATE TABLE votes (
    chain_id     bigint NOT NULL,
    block_number bigint NOT NULL,
    log_index    integer NOT NULL,
    block_hash   bytea NOT NULL,
    tx_hash      bytea NOT NULL,
    contract     bytea NOT NULL,
    proposal_id  numeric(78, 0) NOT NULL,
    voter        bytea NOT NULL,
    support      smallint NOT NULL,
    weight       numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX votes_by_voter ON votes (voter, chain_id, block_number);
CREATE INDEX votes_by_proposal ON votes (chain_id, contract, proposal_id);

-- Bridge messages: direction 'sent' (MessageSent: sender, sequence, dest_chain_id, dest_token)
-- or 'received' (MessageReceived: message_id, src_tx_hash, src_log_index).
CREATE TABLE bridge_messages (
    chain_id      bigint NOT NULL,
    block_number  bigint NOT NULL,
    log_index     integer NOT NULL,
    block_hash    bytea NOT NULL,
    tx_hash       bytea NOT NULL,
    contract      bytea NOT NULL,
    direction     text NOT NULL,
    token         bytea NOT NULL,
    sender        bytea,
    recipient     bytea NOT NULL,
    src_chain_id  numeric(78, 0) NOT NULL,
    sequence      numeric(78, 0),
    dest_chain_id numeric(78, 0),
    dest_token    bytea,
    message_id    bytea,
    src_tx_hash   bytea,
    src_log_index numeric(78, 0),
    token_id      numeric(78, 0) NOT NULL,
    amount        numeric(78, 0) NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX bridge_messages_by_sender ON bridge_messages (sender, chain_id, block_number);
CREATE INDEX bridge_messages_by_recipient ON bridge_messages (recipient, chain_id, block_number);
CREATE INDEX bridge_messages_by_message ON bridge_messages (message_id);

-- Rows merged from several events: an event updates only the columns it knows (the others come
-- as NULL and keep their value) and adds to counters (rewards_claimed, vote totals). Latest-state
-- upserts (INSERT ... ON CONFLICT DO UPDATE) pass through these triggers; a rollback rebuilds
-- the rows from scratch by replaying the events, where no update happens.
CREATE FUNCTION esg_metrics_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.account := coalesce(NEW.account, OLD.account);
    NEW.metric_type := coalesce(NEW.metric_type, OLD.metric_type);
    NEW.value := coalesce(NEW.value, OLD.value);
    NEW.unit := coalesce(NEW.unit, OLD.unit);
    NEW.evidence_hash := coalesce(NEW.evidence_hash, OLD.evidence_hash);
    NEW.recorded_block := coalesce(NEW.recorded_block, OLD.recorded_block);
    NEW.verifier := coalesce(NEW.verifier, OLD.verifier);
    NEW.verified_block := coalesce(NEW.verified_block, OLD.verified_block);
    RETURN NEW;
END $$;
CREATE TRIGGER esg_metrics_merge BEFORE UPDATE ON esg_metrics
    FOR EACH ROW EXECUTE FUNCTION esg_metrics_merge();

CREATE FUNCTION stakes_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.owner := coalesce(NEW.owner, OLD.owner);
    NEW.amount := coalesce(NEW.amount, OLD.amount);
    NEW.lock_days := coalesce(NEW.lock_days, OLD.lock_days);
    NEW.apr_bp := coalesce(NEW.apr_bp, OLD.apr_bp);
    NEW.unlock_time := coalesce(NEW.unlock_time, OLD.unlock_time);
    NEW.status := coalesce(NEW.status, OLD.status);
    NEW.rewards_claimed := OLD.rewards_claimed + NEW.rewards_claimed;
    NEW.opened_block := coalesce(NEW.opened_block, OLD.opened_block);
    NEW.closed_block := coalesce(NEW.closed_block, OLD.closed_block);
    RETURN NEW;
END $$;
CREATE TRIGGER stakes_merge BEFORE UPDATE ON stakes
    FOR EACH ROW EXECUTE FUNCTION stakes_merge();

CREATE FUNCTION gems_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.cap := coalesce(NEW.cap, OLD.cap);
    NEW.min_score_bp := coalesce(NEW.min_score_bp, OLD.min_score_bp);
    NEW.price_gst := coalesce(NEW.price_gst, OLD.price_gst);
    NEW.uri := coalesce(NEW.uri, OLD.uri);
    NEW.expires_at := coalesce(NEW.expires_at, OLD.expires_at);
    RETURN NEW;
END $$;
CREATE TRIGGER gems_merge BEFORE UPDATE ON gems
    FOR EACH ROW EXECUTE FUNCTION gems_merge();

CREATE FUNCTION proposals_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.proposer := coalesce(NEW.proposer, OLD.proposer);
    NEW.targets := coalesce(NEW.targets, OLD.targets);
    NEW.call_values := coalesce(NEW.call_values, OLD.call_values);
    NEW.calldatas := coalesce(NEW.calldatas, OLD.calldatas);
    NEW.description := coalesce(NEW.description, OLD.description);
    NEW.vote_start := coalesce(NEW.vote_start, OLD.vote_start);
    NEW.vote_end := coalesce(NEW.vote_end, OLD.vote_end);
    NEW.status := coalesce(NEW.status, OLD.status);
    NEW.eta := coalesce(NEW.eta, OLD.eta);
    NEW.for_votes := OLD.for_votes + NEW.for_votes;
    NEW.against_votes := OLD.against_votes + NEW.against_votes;
    NEW.abstain_votes := OLD.abstain_votes + NEW.abstain_votes;
    NEW.created_block := coalesce(NEW.created_block, OLD.created_block);
    RETURN NEW;
END $$;
CREATE TRIGGER proposals_merge BEFORE UPDATE ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_merge();
