"""Session-wide personas for every test: the cast of esg.personas (one of ape's funded test
accounts each); contract fixtures grant roles to them by name."""

import pytest
from ape.exceptions import TransactionError
from ape_ethereum.trace import Trace

from esg.personas import PERSONAS, Personas


@pytest.fixture(scope="session")
def who(accounts) -> Personas:
    """The whole cast (esg.personas), as the demo scenario plays it."""
    return Personas.from_accounts(accounts)


def _persona(name: str):
    @pytest.fixture(scope="session", name=name)
    def persona(who):
        return getattr(who, name)

    persona.__doc__ = f"The {name} persona of esg.personas."
    return persona


# One fixture per persona (admin, alice, ..., mallory: an account that holds no role anywhere).
for _name in PERSONAS:
    globals()[_name] = _persona(_name)


@pytest.fixture(scope="module")
def chain_id(chain) -> int:
    """The test chain's id (a module may override it with a node of its own)."""
    return chain.chain_id


@pytest.fixture(scope="module")
def rpc_url(chain) -> str:
    return chain.provider.uri


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
