"""Session-wide personas for the contract tests.

Each persona is one of ape's funded test accounts; contract fixtures grant roles to them by name.
"""

import pytest
from ape.exceptions import TransactionError
from ape_ethereum.trace import Trace


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


@pytest.fixture(scope="session", autouse=True)
def quiet_revert_traces():
    """Skip rendering a call trace and a Vyper source traceback on every expected revert.

    Both cost over a second per revert on this machine. The revert reason still comes from the
    node; only the console rendering and the Python traceback decoration are skipped.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Trace, "show", lambda self, *args, **kwargs: None)
        mp.setattr(TransactionError, "source_traceback", property(lambda self: None))
        yield
