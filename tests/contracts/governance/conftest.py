"""Fixtures for GST, EcoStake, Timelock and Governor tests.

Deploys are session-scoped; ape isolates every test with a chain snapshot, so each test starts
from the state built here: GST with MINTER_ROLE on admin, PAUSER_ROLE on pauser, and 10,000 GST
for alice, bob and carol; a child copy of GST (`child_gst`, as deployed on a child chain) whose
DEPOSITOR_ROLE the bridge persona holds; EcoStake on the ECS score registry (oracle: admin) with
PAUSER_ROLE on pauser and admin as its admin; for governance a Timelock that only the Governor
can propose to and execute on, and a second EcoStake (`gov_est`) that the Timelock administers.
"""

import pytest
from gov_helpers import (
    ADMIN_ROLE,
    CANCELLER_ROLE,
    CAP,
    DEPOSITOR_ROLE,
    EXECUTOR_ROLE,
    GOVERNOR,
    MINTER_ROLE,
    ORACLE_ROLE,
    PAUSER_ROLE,
    PROPOSER_ROLE,
    START_BALANCE,
    TIMELOCK_DELAY,
)


@pytest.fixture(scope="session")
def gst(project, admin, alice, bob, carol, pauser):
    token = project.GST.deploy(CAP, False, sender=admin)
    token.grantRole(MINTER_ROLE, admin, sender=admin)
    token.grantRole(PAUSER_ROLE, pauser, sender=admin)
    for holder in (alice, bob, carol):
        token.mint(holder, START_BALANCE, sender=admin)
    return token


@pytest.fixture
def child_gst(project, admin, pauser, bridge):
    """GST as deployed on a child chain: no minting, units only from the bridge's deposits."""
    token = project.GST.deploy(CAP, True, sender=admin)
    token.grantRole(PAUSER_ROLE, pauser, sender=admin)
    token.grantRole(DEPOSITOR_ROLE, bridge, sender=admin)
    return token


@pytest.fixture(scope="session")
def ecs(project, admin):
    registry = project.ECS.deploy(sender=admin)
    registry.grantRole(ORACLE_ROLE, admin, sender=admin)
    return registry


@pytest.fixture(scope="session")
def est(project, admin, gst, ecs, pauser):
    vault = project.EST.deploy(gst, ecs, sender=admin)
    vault.grantRole(PAUSER_ROLE, pauser, sender=admin)
    return vault


@pytest.fixture(scope="session")
def timelock(project, admin):
    return project.Timelock.deploy(TIMELOCK_DELAY, [], [], admin, sender=admin)


@pytest.fixture(scope="session")
def gov_est(project, admin, gst, ecs, timelock):
    """An EcoStake administered by the Timelock (the `est` fixture stays with admin)."""
    vault = project.EST.deploy(gst, ecs, sender=admin)
    vault.grantRole(ADMIN_ROLE, timelock, sender=admin)
    vault.renounceRole(ADMIN_ROLE, admin, sender=admin)
    return vault


@pytest.fixture(scope="session")
def governor(project, admin, gst, gov_est, timelock):
    gov = project.Governor.deploy(gst, gov_est, timelock, *GOVERNOR.args(), sender=admin)
    timelock.grantRole(PROPOSER_ROLE, gov, sender=admin)
    timelock.grantRole(CANCELLER_ROLE, gov, sender=admin)
    timelock.grantRole(EXECUTOR_ROLE, gov, sender=admin)
    timelock.renounceRole(ADMIN_ROLE, admin, sender=admin)
    return gov
