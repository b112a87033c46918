-- Projection tables are declared once, in indexer/projections (schema.py), and created from those
-- declarations when the indexer starts; a table whose declaration changed is rebuilt from the
-- stored event log (indexer.store.sync_projections). `projection_tables` records the declaration
-- each table was built from.
--
-- The tables that 0001 and the former 0002 created by hand are handed over to the declarations
-- here: dropped with their merge triggers and views, then created again and refilled from the
-- event log at the next start. accounts.esg_score was never filled (an account's score is
-- scores.score) and goes with its index.

CREATE TABLE projection_tables (
    name        text PRIMARY KEY,
    fingerprint text NOT NULL,
    built_at    timestamptz NOT NULL DEFAULT now()
);

DROP VIEW IF EXISTS certificates_current, account_scores;
DROP TABLE IF EXISTS
    role_members, pauses, carbon_batches, retirements, invalidations, ccr_compliance,
    ccr_allowlist, certificates, scores, score_history, esg_metrics, ect_actions, stakes,
    stake_rewards_funded, gems, gem_claims, gem_purchases, ai_audits, proposals, votes,
    bridge_messages
    CASCADE;
DROP FUNCTION IF EXISTS
    esg_metrics_merge(), stakes_merge(), gems_merge(), proposals_merge(), ai_audits_number();

DROP INDEX IF EXISTS accounts_by_score;
ALTER TABLE accounts DROP COLUMN IF EXISTS esg_score;
