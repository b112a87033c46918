"""Session-wide personas for the contract tests.

Each persona is one of ape's funded test accounts; contract fixtures grant roles to them by name.
"""

import pytest


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def carol(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def oracle(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def verifier(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def auditor(accounts):
    return accounts[6]


@pytest.fixture(scope="session")
def pauser(accounts):
    return accounts[7]


@pytest.fixture(scope="session")
def bridge(accounts):
    return accounts[8]


@pytest.fixture(scope="session")
def mallory(accounts):
    """An account that holds no role anywhere."""
    return accounts[9]
