"""Fixtures of the indexer tests: an emitter deployment and a fresh database per module."""

import pytest

from tests.support import indexing as helpers


@pytest.fixture(scope="module")
def db_url():
    """A fresh database for this test module on the test server (embedded unless DATABASE_URL)."""
    return helpers.new_database("mod")


@pytest.fixture(scope="module")
def deploy(project, accounts, chain):
    """Deploy a fresh EventEmitter; returns (contract, receipt)."""

    def go():
        c = project.EventEmitter.deploy(sender=accounts[0])
        return c, chain.get_receipt(c.txn_hash)

    return go


@pytest.fixture
def emitter(deploy, chain_id, rpc_url, tmp_path):
    """A fresh EventEmitter and a manifest naming it EMIT: (contract, receipt, manifest path)."""
    token, receipt = deploy()
    manifest = helpers.manifest_for(
        tmp_path / "m.json", chain_id, rpc_url, {"EMIT": (token, receipt)}
    )
    return token, receipt, manifest
