"""Fixtures of the token projection tests: the ecosystem deployed and the demo played on the
test chain, and a fresh database per module (helpers shared with tests/indexer)."""

import sys
from pathlib import Path

import pytest

# The indexer tests' helpers (databases, running the indexer, queries).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "indexer"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    return [
        who.admin,
        who.alice,
        who.bob,
        who.carol,
        who.oracle,
        who.verifier,
        who.auditor,
        who.pauser,
    ]


@pytest.fixture(scope="module")
def deployed(project, who):
    """A fresh deployment of the ecosystem on the test chain."""
    return deploy_ecosystem(project, who.admin, operators=who.operators())


@pytest.fixture(scope="module")
def ecosystem(deployed, who, chain):
    """The module's deployment with the demo scenario played once; (deployment, ids)."""
    return deployed, play(deployed, who, chain.provider, say=lambda _: None)
