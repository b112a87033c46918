"""Fixtures for the CCR and ECR tests: one deployment per session, wired as in production."""

import pytest
from carbon_roles import CERTIFIER, DEPOSITOR, ISSUER, PAUSER, VERIFIER


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
    contract = project.CCR.deploy("ipfs://ccr/", ecr, sender=admin)
    ecr.grantRole(CERTIFIER, contract, sender=admin)
    contract.grantRole(ISSUER, issuer, sender=admin)
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
        receipt = ccr.tokenize(
            to, registry, project_id, vintage, methodology, start, end, uri, sender=sender or issuer
        )
        return receipt, receipt.return_value

    return _tokenize
