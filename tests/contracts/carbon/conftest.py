"""Fixtures for the CCR and ECR tests: one deployment per session, wired as in production.

``ccr`` is the root CCR (registries "Verra" and "GoldStandard" added by the admin; the bridge
persona holds DEPOSITOR_ROLE, as the root bridge does); ``child_ccr`` is a child copy as deployed
on a child chain (no tokenizing; units only from the bridge persona's deposits).
"""

import pytest
from carbon_roles import (
    CERTIFIER,
    DEPOSITOR,
    ISSUER,
    PAUSER,
    REGISTRIES,
    UNKNOWN_REGISTRY,
    VERIFIER,
)


@pytest.fixture(scope="session")
def issuer(carol):
    """CCR issuer persona (carol holds no other role)."""
    return carol


@pytest.fixture(scope="session")
def certifier(auditor):
    """Human certifier on ECR (the auditor persona)."""
    return auditor


@pytest.fixture(scope="session")
def ecr(project, admin, pauser, certifier):
    contract = project.ECR.deploy("ipfs://ecr/", sender=admin)
    contract.grantRole(PAUSER, pauser, sender=admin)
    contract.grantRole(CERTIFIER, certifier, sender=admin)
    return contract


@pytest.fixture(scope="session")
def ccr(project, admin, ecr, issuer, verifier, pauser, bridge):
    contract = project.CCR.deploy("ipfs://ccr/", ecr, False, sender=admin)
    ecr.grantRole(CERTIFIER, contract, sender=admin)
    contract.grantRole(ISSUER, issuer, sender=admin)
    contract.grantRole(VERIFIER, verifier, sender=admin)
    contract.grantRole(PAUSER, pauser, sender=admin)
    contract.grantRole(DEPOSITOR, bridge, sender=admin)
    for name in REGISTRIES:
        contract.add_registry(name, sender=admin)
    return contract


@pytest.fixture
def child_ccr(project, admin, ecr, verifier, pauser, bridge):
    contract = project.CCR.deploy("ipfs://ccr/", ecr, True, sender=admin)
    ecr.grantRole(CERTIFIER, contract, sender=admin)
    contract.grantRole(VERIFIER, verifier, sender=admin)
    contract.grantRole(PAUSER, pauser, sender=admin)
    contract.grantRole(DEPOSITOR, bridge, sender=admin)
    return contract


@pytest.fixture(scope="session")
def receiver(project, admin):
    """A contract that accepts ERC-1155 and ERC-721 transfers."""
    return project.TokenReceiverMock.deploy(True, sender=admin)


@pytest.fixture(scope="session")
def refuser(project, admin):
    """A contract whose receiver hooks return a wrong value."""
    return project.TokenReceiverMock.deploy(False, sender=admin)


@pytest.fixture(scope="session")
def non_receiver(project, admin):
    """A contract without any receiver hook."""
    return project.NonReceiverMock.deploy(sender=admin)


@pytest.fixture(autouse=True)
def isolate(chain):
    with chain.isolate():
        yield


@pytest.fixture
def tokenize(ccr, issuer):
    """Tokenize a batch with defaults; returns (receipt, batch_id)."""

    def _tokenize(
        to,
        start,
        end,
        registry="Verra",
        project_id="VCS-1234",
        vintage=2023,
        methodology="VM0015",
        uri="",
        sender=None,
    ):
        registry_id = REGISTRIES.get(registry, UNKNOWN_REGISTRY) if registry else 0
        receipt = ccr.tokenize(
            to,
            registry_id,
            project_id,
            vintage,
            methodology,
            start,
            end,
            uri,
            sender=sender or issuer,
        )
        return receipt, receipt.return_value

    return _tokenize
