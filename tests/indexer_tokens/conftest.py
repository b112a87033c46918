"""Fixtures of the token projection tests: the ecosystem deployed and the demo played on the
test chain (the personas come from tests/conftest.py)."""

import pytest

from esg.deploy import deploy_ecosystem
from esg.scenario import play


@pytest.fixture(scope="module")
def holders(who):
    """Every account the tests move tokens between."""
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
