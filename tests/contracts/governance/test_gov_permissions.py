"""Permission matrix: every role-protected function, called by every persona lacking the role,
reverts; the role holder passes the same check."""

import pytest
from eth_abi import encode
from gov_helpers import ADMIN_ROLE, MINTER_ROLE, PAUSER_ROLE, assert_call_reverts

from esg.personas import PERSONAS

MISSING_ROLE = "access_control: account is missing role"


@pytest.fixture
def personas(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def _succeeds(method, *args, sender):
    from ape import chain

    tx = {"from": sender.address, "to": method.contract.address, "data": method.encode_input(*args)}
    chain.provider.web3.eth.call(tx)


def _check(personas, method, args, holder, reason=MISSING_ROLE):
    for name, account in personas.items():
        if name == holder:
            continue
        assert_call_reverts(method, *args, sender=account, reason=reason)
    if holder is not None:
        _succeeds(method, *args, sender=personas[holder])


# (contract fixture, role-protected function, its arguments, the persona holding the role)
ROLE_CASES = [
    ("gst", "mint", lambda p: (p["alice"], 1), "admin"),
    ("gst", "pause", lambda p: (), "pauser"),
    ("gst", "grantRole", lambda p: (MINTER_ROLE, p["mallory"]), "admin"),
    ("gst", "revokeRole", lambda p: (MINTER_ROLE, p["admin"]), "admin"),
    ("gst", "set_role_admin", lambda p: (MINTER_ROLE, PAUSER_ROLE), "admin"),
    ("est", "set_rates", lambda p: (100, 200), "admin"),
    ("est", "set_bonus", lambda p: (5_000, 100), "admin"),
    ("est", "pause", lambda p: (), "pauser"),
    ("est", "grantRole", lambda p: (PAUSER_ROLE, p["mallory"]), "admin"),
    ("est", "revokeRole", lambda p: (PAUSER_ROLE, p["pauser"]), "admin"),
    ("est", "set_role_admin", lambda p: (PAUSER_ROLE, ADMIN_ROLE), "admin"),
]


@pytest.mark.parametrize(
    "contract,name,args,holder", ROLE_CASES, ids=[f"{c[0]}-{c[1]}" for c in ROLE_CASES]
)
def test_roles(gst, est, personas, contract, name, args, holder):
    # Both contracts are requested up front: a session deploy first made inside a test would
    # vanish with the test's chain snapshot.
    method = getattr({"gst": gst, "est": est}[contract], name)
    _check(personas, method, args(personas), holder)


def test_child_gst_deposit_role(child_gst, personas):
    _check(personas, child_gst.deposit, (personas["alice"], encode(["uint256"], [1])), "bridge")


@pytest.mark.parametrize("contract", ["gst", "est"])
def test_unpause_role(gst, est, personas, contract):
    token = {"gst": gst, "est": est}[contract]
    token.pause(sender=personas["pauser"])
    _check(personas, token.unpause, (), "pauser")


def test_governed_est_admin_is_only_the_timelock(gov_est, timelock, governor, personas):
    for method, args in ((gov_est.set_bonus, (1, 1)), (gov_est.set_rates, (1, 2))):
        _check(personas, method, args, None)
    assert gov_est.hasRole(ADMIN_ROLE, timelock)


def test_governor_set_params_only_timelock(governor, personas):
    _check(
        personas, governor.set_params, (1, 5, 0, 100), None, "governor: caller is not the timelock"
    )


def test_timelock_roles(timelock, governor, personas):
    zero = b"\x00" * 32
    target = personas["alice"]
    _check(personas, timelock.schedule, (target, 0, b"", zero, zero, 3_600), None)
    _check(personas, timelock.schedule_batch, ([target], [0], [b""], zero, zero, 3_600), None)
    _check(personas, timelock.cancel, (zero,), None)
    _check(personas, timelock.execute, (target, 0, b"", zero, zero), None)
    _check(personas, timelock.execute_batch, ([target], [0], [b""], zero, zero), None)
    _check(personas, timelock.grantRole, (ADMIN_ROLE, personas["mallory"]), None)
    _check(
        personas,
        timelock.update_delay,
        (1,),
        None,
        "timelock_controller: caller must be timelock",
    )


def test_matrix_check_fails_for_allowed_caller(gst, personas):
    """The revert check itself must fail when the call is allowed or the reason differs."""
    with pytest.raises(AssertionError):
        assert_call_reverts(gst.mint, personas["alice"], 1, sender=personas["admin"], reason="x")
    with pytest.raises(AssertionError):
        assert_call_reverts(gst.mint, personas["alice"], 1, sender=personas["bob"], reason="zzz")
