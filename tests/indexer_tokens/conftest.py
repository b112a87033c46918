"""Fixtures of the token projection tests: the ecosystem deployed and the demo played on the
test chain, and a fresh database per module (helpers shared with tests/indexer)."""

import sys
from pathlib import Path

import pytest

# The indexer tests' helpers (databases, running the indexer, queries).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "indexer"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import idx_helpers as helpers  # noqa: E402

from esg.deploy import deploy_ecosystem  # noqa: E402
from esg.scenario import Personas, play  # noqa: E402


@pytest.fixture(scope="module")
def chain_id(chain):
    return chain.chain_id


@pytest.fixture(scope="module")
def rpc_url(chain):
    return chain.provider.uri


@pytest.fixture(scope="module")
def who(accounts):
    return Personas.from_accounts(accounts)


@pytest.fixture(scope="module")
def holders(who, accounts):
    """Every account the tests move tokens between (plus the EGM treasury, the timelock)."""
    return [who.admin, who.alice, who.bob, who.carol, who.oracle, who.verifier, who.auditor,
            who.pauser]


@pytest.fixture(scope="module")
def ecosystem(project, who, chain):
    """A fresh deployment on the test chain with the demo scenario played once."""
    d = deploy_ecosystem(project, who.admin, operators=who.operators())
    ids = play(d, who, chain.provider, say=lambda _: None)
    return d, ids


@pytest.fixture(scope="module")
def fresh_db():
    return lambda prefix="tok": helpers.new_database(prefix)
