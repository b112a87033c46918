"""Reorgs (anvil_reorg) in the middle of the scenario's and the random activity: the token tables
then equal a fresh index of the same chain row for row, and the contracts' state."""

import pytest

from esg.deploy import deploy_ecosystem
from esg.scenario import play
from tests.support import ecosystem as tok
from tests.support import indexing as helpers
from tests.support.indexing import free_port


@pytest.fixture(scope="module")
def own_anvil(networks):
    """A fresh anvil for this module: anvil_reorg rebuilds from its stored block states, which a
    session-long node that many snapshot reverts went through does not keep reliably."""
    host = f"http://127.0.0.1:{free_port()}"
    with networks.ethereum.local.use_provider(
        "foundry", provider_settings={"host": host}, disconnect_after=True
    ) as provider:
        yield provider


@pytest.fixture(scope="module")
def chain_id(own_anvil):
    return own_anvil.chain_id


@pytest.fixture(scope="module")
def rpc_url(own_anvil):
    return own_anvil.uri


@pytest.fixture(scope="module")
def deployed(own_anvil, project, who):
    return deploy_ecosystem(project, who.admin, operators=who.operators())


def _reorg(chain, depth):
    chain.provider.make_request("anvil_reorg", [depth, []])


def test_reorgs_during_scenario_and_activity(
    deployed, who, holders, accounts, chain, chain_id, rpc_url, tmp_path
):
    d = deployed
    manifest = tok.write_manifest(tmp_path / "m.json", d, chain_id, rpc_url)
    url = helpers.new_database("tokreorg")
    everyone = [*holders, d["Timelock"], d["EST"], d["EGM"]]
    with helpers.following(url, manifest, chain_id) as proc:
        # The indexer follows the scenario live; the reorg then drops its last blocks (the
        # proposal's votes, queue and execution) after they were indexed.
        ids = play(d, who, chain.provider, say=lambda _: None)
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        status = helpers.query(
            url, "SELECT status FROM proposals WHERE proposal_id = $1", ids["proposal"]
        )[0][0]
        assert status == "executed"
        # Drop every block after the proposal's creation: its votes, queue and execution.
        created = helpers.query(
            url, "SELECT created_block FROM proposals WHERE proposal_id = $1", ids["proposal"]
        )[0][0]
        depth = chain.blocks.height - created
        assert 0 < depth < chain.blocks.height - d.receipts["GST"].block_number
        _reorg(chain, depth)
        helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
        status = helpers.query(
            url, "SELECT status, for_votes FROM proposals WHERE proposal_id = $1", ids["proposal"]
        )[0]
        assert status["status"] == "created" and status["for_votes"] == 0
        tok.assert_matches_chain(url, d, chain_id, everyone)

        act = tok.Activity(d, who, chain.provider, accounts, seed=23)
        for depth in (5, 12, 3):
            act.run(12)
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
            _reorg(chain, depth)
            act.run(4)
            helpers.wait_synced(url, chain.provider, chain_id, proc=proc)
    print("activity:", dict(act.counts))
    assert proc.stderr.read().decode().count("reorg rolled back") >= 4
    counts = tok.assert_matches_chain(url, d, chain_id, everyone)
    print("rows:", counts)

    fresh = helpers.new_database("fresh")
    helpers.index_once(fresh, manifest, chain_id)
    helpers.assert_same(helpers.dump(url), helpers.dump(fresh))
