"""The token tables after the demo scenario and random activity equal the contracts' state."""

from tests.support import ecosystem as tok
from tests.support import indexing as helpers


def test_scenario_and_random_activity_match_chain(
    ecosystem, who, holders, accounts, chain, chain_id, rpc_url, tmp_path
):
    d, ids = ecosystem
    manifest = tok.write_manifest(tmp_path / "m.json", d, chain_id, rpc_url)
    url = helpers.new_database("tok")
    everyone = [*holders, d["Timelock"], d["EST"], d["EGM"]]

    # The scenario alone, indexed from scratch.
    helpers.index_once(url, manifest, chain_id)
    counts = tok.assert_matches_chain(url, d, chain_id, everyone)
    for table in (
        "carbon_batches",
        "retirements",
        "certificates",
        "scores",
        "score_history",
        "esg_metrics",
        "ect_actions",
        "stakes",
        "gems",
        "gem_claims",
        "gem_purchases",
        "ai_audits",
        "proposals",
        "votes",
    ):
        assert counts[table] > 0, table
    row = helpers.query(
        url,
        "SELECT status, for_votes, against_votes FROM proposals WHERE proposal_id = $1",
        ids["proposal"],
    )[0]
    assert row["status"] == "executed"
    assert row["for_votes"] > 0 and row["against_votes"] > 0

    # The scenario's position claimed twice and closed, each step in its own batch: its row
    # is merged with the stored one each time.
    est, alice = d["EST"], who.alice
    for step in ("claim", "claim", "unstake"):
        chain.provider.make_request("evm_increaseTime", [100 * 86_400])
        getattr(est, step)(ids["position"], sender=alice)
        helpers.index_once(url, manifest, chain_id)
    row = helpers.query(
        url,
        "SELECT status, rewards_claimed, opened_block, closed_block"
        " FROM stakes WHERE position_id = $1",
        ids["position"],
    )[0]
    assert row["status"] == "closed" and row["rewards_claimed"] > 0
    assert row["closed_block"] > row["opened_block"]
    tok.assert_matches_chain(url, d, chain_id, everyone)

    # Random activity, indexed incrementally on top (rows merged across batches).
    act = tok.Activity(d, who, chain.provider, accounts, seed=11)
    for _ in range(4):
        act.run(15)
        helpers.index_once(url, manifest, chain_id)
    print("activity:", dict(act.counts))
    counts = tok.assert_matches_chain(url, d, chain_id, everyone)
    print("rows:", counts)
    for kind in ("do_est_stake", "do_ccr_retire", "do_ecs_score", "do_ecs_metric"):
        assert act.counts[kind] > 0, kind
    closed = helpers.query(url, "SELECT count(*) FROM stakes WHERE status = 'closed'")[0][0]
    merged = helpers.query(
        url, "SELECT count(*) FROM esg_metrics WHERE verified AND verified_block > recorded_block"
    )[0][0]
    print("closed stakes:", closed, "metrics verified in a later block:", merged)

    # The incrementally built tables equal a fresh index of the same chain.
    fresh = helpers.new_database("fresh")
    helpers.index_once(fresh, manifest, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))
