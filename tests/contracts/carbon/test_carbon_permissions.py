"""Permission matrix: every role-protected function, called by every persona lacking the role,
reverts with the access-control message; the holder of the role succeeds."""

import ape
import pytest
from carbon_roles import ADMIN, CERTIFIER, DEPOSITOR, ISSUER, PAUSER, VERIFIER
from eth_abi import encode

from esg.personas import PERSONAS

MISSING_ROLE = "access_control: account is missing role"


@pytest.fixture
def people(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def holders(contract, role, people):
    return {name for name, acct in people.items() if contract.hasRole(role, acct)}


# Each entry: (role, call(contract, personas, sender)). Calls are valid apart from the role.
CCR_CALLS = {
    "tokenize": (
        ISSUER,
        lambda c, p, s: c.tokenize(p["bob"], 1, "P", 2020, "M", 1, 5, "", sender=s),
    ),
    "add_registry": (ADMIN, lambda c, p, s: c.add_registry("ACR", sender=s)),
    "invalidate": (VERIFIER, lambda c, p, s: c.invalidate(1, p["alice"], 1, "faulty", sender=s)),
    "set_allowed": (VERIFIER, lambda c, p, s: c.set_allowed(p["bob"], True, sender=s)),
    "set_compliance": (ADMIN, lambda c, p, s: c.set_compliance(True, sender=s)),
    "pause": (PAUSER, lambda c, p, s: c.pause(sender=s)),
    "unpause": (PAUSER, lambda c, p, s: c.unpause(sender=s)),
    "grantRole": (ADMIN, lambda c, p, s: c.grantRole(ISSUER, p["mallory"], sender=s)),
    "revokeRole": (ADMIN, lambda c, p, s: c.revokeRole(ISSUER, p["carol"], sender=s)),
    "set_role_admin": (ADMIN, lambda c, p, s: c.set_role_admin(ISSUER, VERIFIER, sender=s)),
}

ECR_CALLS = {
    "mint_certificate": (
        CERTIFIER,
        lambda c, p, s: c.mint_certificate(p["bob"], 1, 1, b"\x01" * 32, "", False, sender=s),
    ),
    "set_base_uri": (ADMIN, lambda c, p, s: c.set_base_uri("ipfs://x/", sender=s)),
    "pause": (PAUSER, lambda c, p, s: c.pause(sender=s)),
    "unpause": (PAUSER, lambda c, p, s: c.unpause(sender=s)),
    "grantRole": (ADMIN, lambda c, p, s: c.grantRole(CERTIFIER, p["mallory"], sender=s)),
    "revokeRole": (ADMIN, lambda c, p, s: c.revokeRole(CERTIFIER, p["auditor"], sender=s)),
    "set_role_admin": (ADMIN, lambda c, p, s: c.set_role_admin(CERTIFIER, PAUSER, sender=s)),
}


def run_matrix(contract, role, call, people, chain, prepare=None):
    allowed = holders(contract, role, people)
    assert allowed, "the fixture wiring gives every role to some persona"
    for name, acct in people.items():
        with chain.isolate():
            if prepare:
                prepare()
            if name in allowed:
                call(contract, people, acct)
            else:
                with ape.reverts(MISSING_ROLE):
                    call(contract, people, acct)


@pytest.mark.parametrize("fn", list(CCR_CALLS))
def test_ccr_matrix(fn, ccr, people, chain, tokenize, pauser):
    role, call = CCR_CALLS[fn]

    def prepare():
        if fn == "invalidate":
            tokenize(people["alice"], 1000, 1099)
        if fn == "unpause":
            ccr.pause(sender=pauser)

    run_matrix(ccr, role, call, people, chain, prepare)


def test_child_ccr_deposit_matrix(ccr, child_ccr, people, chain, tokenize):
    _, batch_id = tokenize(people["alice"], 1000, 1099)
    data = encode(
        ["uint256[]", "uint256[]", "bytes"], [[batch_id], [2], ccr.bridge_metadata(batch_id)]
    )
    run_matrix(
        child_ccr,
        DEPOSITOR,
        lambda c, p, s: c.deposit(p["bob"], data, sender=s),
        people,
        chain,
    )


@pytest.mark.parametrize("fn", list(ECR_CALLS))
def test_ecr_matrix(fn, ecr, people, chain, pauser):
    role, call = ECR_CALLS[fn]

    def prepare():
        if fn == "unpause":
            ecr.pause(sender=pauser)

    run_matrix(ecr, role, call, people, chain, prepare)


def test_expected_wiring(ccr, ecr, people):
    """The matrix is only meaningful if roles are held by the intended few."""
    assert holders(ccr, ISSUER, people) == {"carol"}
    assert holders(ccr, VERIFIER, people) == {"verifier"}
    assert holders(ccr, PAUSER, people) == {"pauser"}
    assert holders(ccr, DEPOSITOR, people) == {"bridge"}
    assert holders(ccr, ADMIN, people) == {"admin"}
    assert holders(ecr, CERTIFIER, people) == {"auditor"}
    assert ecr.hasRole(CERTIFIER, ccr)
    assert holders(ecr, PAUSER, people) == {"pauser"}
    assert holders(ecr, ADMIN, people) == {"admin"}
    # The deployer keeps no role besides admin.
    for role in (ISSUER, VERIFIER, PAUSER, DEPOSITOR):
        assert not ccr.hasRole(role, people["admin"])


def test_retire_and_transfers_need_no_role(ccr, tokenize, people):
    """Holders act on their own credits without any role."""
    alice, bob, mallory = people["alice"], people["bob"], people["mallory"]
    _, batch_id = tokenize(mallory, 1, 10)
    ccr.safeTransferFrom(mallory, bob, batch_id, 2, b"", sender=mallory)
    ccr.retire(batch_id, 3, alice, "", sender=mallory)
    assert ccr.balanceOf(mallory, batch_id) == 5
