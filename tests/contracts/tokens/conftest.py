"""Deploys of ECT, ECS, EGM and AET with roles granted to the personas.

Deploys are module-scoped; ape's isolation snapshots the chain around each test.
"""

import pytest
from token_helpers import AET_BASE_REWARD, EPOCH_CAP, EPOCH_LENGTH, role


@pytest.fixture(scope="module")
def ect(project, admin, oracle, pauser):
    token = project.ECT.deploy(EPOCH_LENGTH, EPOCH_CAP, False, sender=admin)
    token.grantRole(role("ORACLE_ROLE"), oracle, sender=admin)
    token.grantRole(role("PAUSER_ROLE"), pauser, sender=admin)
    return token


@pytest.fixture(scope="module")
def child_ect(project, admin, pauser, bridge):
    """ECT as deployed on a child chain: no rewards, units only from the bridge's deposits."""
    token = project.ECT.deploy(EPOCH_LENGTH, EPOCH_CAP, True, sender=admin)
    token.grantRole(role("PAUSER_ROLE"), pauser, sender=admin)
    token.grantRole(role("DEPOSITOR_ROLE"), bridge, sender=admin)
    return token


@pytest.fixture(scope="module")
def ecs(project, admin, oracle, verifier, pauser):
    registry = project.ECS.deploy(sender=admin)
    registry.grantRole(role("ORACLE_ROLE"), oracle, sender=admin)
    registry.grantRole(role("VERIFIER_ROLE"), verifier, sender=admin)
    registry.grantRole(role("PAUSER_ROLE"), pauser, sender=admin)
    return registry


@pytest.fixture(scope="module")
def gst(project, admin):
    return project.MockERC20.deploy(sender=admin)


@pytest.fixture(scope="module")
def treasury(carol):
    """Receiver of GST paid for gems (carol holds no role)."""
    return carol


@pytest.fixture(scope="module")
def egm(project, admin, pauser, gst, ecs, treasury):
    gems = project.EGM.deploy(gst, ecs, treasury, sender=admin)
    gems.grantRole(role("PAUSER_ROLE"), pauser, sender=admin)
    return gems


@pytest.fixture(scope="module")
def aet(project, admin, auditor, pauser):
    token = project.AET.deploy(AET_BASE_REWARD, sender=admin)
    token.grantRole(role("AUDITOR_ROLE"), auditor, sender=admin)
    token.grantRole(role("PAUSER_ROLE"), pauser, sender=admin)
    return token


@pytest.fixture(scope="module", autouse=True)
def _personas_first(admin, alice, bob, carol, oracle, verifier, auditor, pauser, bridge, mallory):
    """Resolve the session personas before any module snapshot, so isolation never rebases."""
