"""Deploys of ECT, ECS, EGM and AET with roles granted to the personas.

Deploys are module-scoped; ape's isolation snapshots the chain around each test.
"""

import pytest
from token_helpers import AET_BASE_REWARD, EPOCH_CAP, EPOCH_LENGTH, role


@pytest.fixture(scope="module")
def deploy(project, admin):
    """``deploy(name, *args, **roles)``: the contract ``name`` deployed by admin, who then
    grants each role (by name) to its holder."""

    def deploy(name: str, *args, **roles):
        contract = getattr(project, name).deploy(*args, sender=admin)
        for role_name, holder in roles.items():
            contract.grantRole(role(role_name), holder, sender=admin)
        return contract

    return deploy


@pytest.fixture(scope="module")
def ect(deploy, oracle, pauser):
    return deploy("ECT", EPOCH_LENGTH, EPOCH_CAP, False, ORACLE_ROLE=oracle, PAUSER_ROLE=pauser)


@pytest.fixture(scope="module")
def child_ect(deploy, pauser, bridge):
    """ECT as deployed on a child chain: no rewards, units only from the bridge's deposits."""
    return deploy("ECT", EPOCH_LENGTH, EPOCH_CAP, True, PAUSER_ROLE=pauser, DEPOSITOR_ROLE=bridge)


@pytest.fixture(scope="module")
def ecs(deploy, oracle, verifier, pauser):
    return deploy("ECS", ORACLE_ROLE=oracle, VERIFIER_ROLE=verifier, PAUSER_ROLE=pauser)


@pytest.fixture(scope="module")
def gst(project, admin):
    return project.MockERC20.deploy(sender=admin)


@pytest.fixture(scope="module")
def treasury(carol):
    """Receiver of GST paid for gems (carol holds no role)."""
    return carol


@pytest.fixture(scope="module")
def egm(deploy, pauser, gst, ecs, treasury):
    return deploy("EGM", gst, ecs, treasury, PAUSER_ROLE=pauser)


@pytest.fixture(scope="module")
def aet(deploy, auditor, pauser):
    return deploy("AET", AET_BASE_REWARD, AUDITOR_ROLE=auditor, PAUSER_ROLE=pauser)


@pytest.fixture(scope="module", autouse=True)
def _personas_first(admin, alice, bob, carol, oracle, verifier, auditor, pauser, bridge, mallory):
    """Resolve the session personas before any module snapshot, so isolation never rebases."""
