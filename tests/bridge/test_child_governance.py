"""A child chain's own governance has no power over its bridge or over the bridged tokens.

A child deployment (``esg.deploy``, ``child=True``) is made on ape's chain, governed from a root
chain by admin messages. Its GST supply can only come from the bridge, so the test delivers a
deposit signed by the validators, gives alice every child vote, and lets her pass proposals on
the child Governor: adding a validator, lowering the threshold to one, granting a minter. Each
passes the vote and fails at execution, because the child Timelock holds no role there.
"""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak

from bridge.message import Transfer
from esg.deploy import WAD, deploy_bridge, deploy_ecosystem, transfer_admin
from esg.personas import DEV_THRESHOLD, Personas, dev_validators
from tests.support.bridge import signed

ROOT_CHAIN_ID = 2025
ROOT_GST = "0x00000000000000000000000000000000000000A1"
ADMIN_ROLE = b"\x00" * 32
MISSING_ROLE = "access_control: account is missing role"
# Whom the captured child governance would empower.
MALLORY = "0x000000000000000000000000000000000000bEEF"


@pytest.fixture(scope="module")
def child_deployment(project, accounts, chain):
    who = Personas.from_accounts(accounts)
    d = deploy_ecosystem(
        project, who.admin, operators=who.operators(), hand_over_admin=False, child=True
    )
    bridge = deploy_bridge(
        project,
        who.admin,
        d,
        validators=[v.address for v in dev_validators()],
        threshold=DEV_THRESHOLD,
        governance_chain_id=ROOT_CHAIN_ID,
        operators=who.operators(),
    )
    bridge.map_token(d["GST"], ROOT_CHAIN_ID, ROOT_GST, sender=who.admin)
    transfer_admin(d, who.admin, d["Timelock"])
    # alice receives all child GST through the bridge and delegates it to herself.
    deposit = Transfer(
        src_chain_id=ROOT_CHAIN_ID,
        src_tx_hash=keccak(text="root send"),
        src_log_index=0,
        dest_chain_id=chain.chain_id,
        token=str(d["GST"].address),
        id=0,
        amount=100_000 * WAD,
        recipient=str(who.alice.address),
    )
    name, args = deposit.call(signed(deposit, str(bridge.address), dev_validators()))
    getattr(bridge, name)(*args, sender=who.bob)
    d["GST"].invoke_transaction("delegate", who.alice, sender=who.alice)
    chain.mine(1)
    return d, who


def test_child_roles_belong_to_the_bridge(child_deployment):
    d, who = child_deployment
    bridge, timelock = d["Bridge"], d["Timelock"]
    for name in ("Bridge", "GST", "ECT", "CCR"):
        assert d[name].hasRole(ADMIN_ROLE, bridge), name
        assert not d[name].hasRole(ADMIN_ROLE, timelock), name
        assert not d[name].hasRole(ADMIN_ROLE, who.admin), name
    for name in ("ECS", "ECR", "EST", "EGM", "AET"):
        assert d[name].hasRole(ADMIN_ROLE, timelock), name
    # No native issuance role was granted on the child copies.
    for name, role in (("GST", "MINTER_ROLE"), ("ECT", "ORACLE_ROLE"), ("CCR", "ISSUER_ROLE")):
        token = d[name]
        for account in (who.admin, who.oracle, who.verifier, who.pauser, timelock, bridge):
            assert not token.hasRole(getattr(token, role)(), account), (name, role)
    assert d["GST"].totalSupply() == 100_000 * WAD


@pytest.mark.parametrize(
    "target, call",
    [
        ("Bridge", lambda d, who: d["Bridge"].add_validator.encode_input(MALLORY)),
        ("Bridge", lambda d, who: d["Bridge"].set_threshold.encode_input(1)),
        (
            "GST",
            lambda d, who: d["GST"].grantRole.encode_input(keccak(text="MINTER_ROLE"), MALLORY),
        ),
        (
            "CCR",
            lambda d, who: d["CCR"].grantRole.encode_input(keccak(text="ISSUER_ROLE"), MALLORY),
        ),
        ("Bridge", lambda d, who: d["Bridge"].grantRole.encode_input(ADMIN_ROLE, MALLORY)),
    ],
    ids=["add_validator", "threshold_1", "gst_minter", "ccr_issuer", "bridge_admin"],
)
def test_passed_child_proposal_cannot_change_bridge_or_token_roles(
    child_deployment, chain, target, call
):
    d, who = child_deployment
    governor, timelock = d["Governor"], d["Timelock"]
    targets, values, calldatas = [d[target].address], [0], [call(d, who)]
    description = f"capture the child bridge: {target}"
    pid = governor.propose(targets, values, calldatas, description, sender=who.alice).return_value
    chain.mine(governor.voting_delay() + 1)
    governor.castVote(pid, 1, sender=who.alice)
    chain.mine(governor.voting_period() + 1)
    assert governor.state(pid) == 4  # Succeeded: the child vote itself cannot be stopped
    description_hash = keccak(text=description)
    governor.queue(targets, values, calldatas, description_hash, who.alice, sender=who.alice)
    chain.pending_timestamp += timelock.get_minimum_delay() + 1
    with ape.reverts(MISSING_ROLE):
        governor.execute(targets, values, calldatas, description_hash, who.alice, sender=who.alice)
    bridge = d["Bridge"]
    assert not bridge.is_validator(MALLORY)
    assert bridge.threshold() == DEV_THRESHOLD
    assert not d["GST"].hasRole(keccak(text="MINTER_ROLE"), MALLORY)
    assert not d["CCR"].hasRole(keccak(text="ISSUER_ROLE"), MALLORY)
    assert not bridge.hasRole(ADMIN_ROLE, MALLORY)
