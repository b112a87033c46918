"""EcoToken (ECT): ERC-20 wrappers, action rewards, epoch cap, permit, Polygon child interface."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from token_helpers import EPOCH_CAP, EPOCH_LENGTH, permit_args

from tests.support.contracts import assert_child_issues_nothing, assert_root_refuses_child_interface

UNIT = 10**18
ZERO = "0x0000000000000000000000000000000000000000"


def action(n: int) -> bytes:
    return keccak(text=f"action-{n}")


@pytest.fixture
def funded(ect, oracle, alice):
    """alice holds 100 ECT."""
    ect.mint_for_action(alice, 100 * UNIT, action(0), sender=oracle)
    return ect


def test_metadata(ect, admin):
    assert ect.name() == "EcoToken"
    assert ect.symbol() == "ECT"
    assert ect.decimals() == 18
    assert ect.EPOCH_LENGTH() == EPOCH_LENGTH
    assert ect.epoch_cap() == EPOCH_CAP
    assert ect.hasRole(ect.DEFAULT_ADMIN_ROLE(), admin)
    assert ect.ORACLE_ROLE() == keccak(text="ORACLE_ROLE")
    assert ect.PAUSER_ROLE() == keccak(text="PAUSER_ROLE")
    assert ect.DEPOSITOR_ROLE() == keccak(text="DEPOSITOR_ROLE")
    assert ect.totalSupply() == 0


def test_zero_epoch_length_rejected(project, admin):
    with ape.reverts("ect: zero epoch length"):
        project.ECT.deploy(0, EPOCH_CAP, False, sender=admin)


def test_owner_minting_is_not_exposed(ect):
    for name in ("mint", "set_minter", "transfer_ownership", "renounce_ownership", "owner"):
        assert not hasattr(ect, name)


def test_mint_for_action(ect, oracle, alice, chain):
    tx = ect.mint_for_action(alice, 5 * UNIT, action(1), sender=oracle)
    print(f"\nECT gas: mint_for_action (first in epoch, new holder) {tx.gas_used}")
    assert ect.balanceOf(alice) == 5 * UNIT
    assert ect.totalSupply() == 5 * UNIT
    assert ect.action_rewarded(action(1))
    epoch = chain.blocks[tx.block_number].timestamp // EPOCH_LENGTH
    assert ect.epoch_minted(epoch) == 5 * UNIT
    events = tx.decode_logs(ect.ActionRewarded)
    assert len(events) == 1
    ev = events[0]
    assert ev.to == alice and ev.action_id == action(1)
    assert ev.amount == 5 * UNIT and ev.epoch == epoch
    transfers = tx.decode_logs(ect.Transfer)
    assert transfers[0].sender == ZERO and transfers[0].receiver == alice


def test_action_rewarded_only_once(ect, oracle, alice, bob):
    ect.mint_for_action(alice, UNIT, action(1), sender=oracle)
    with ape.reverts("ect: action already rewarded"):
        ect.mint_for_action(bob, UNIT, action(1), sender=oracle)


def test_mint_to_zero_address_reverts(ect, oracle):
    with ape.reverts("erc20: mint to the zero address"):
        ect.mint_for_action(ZERO, UNIT, action(1), sender=oracle)


def _start_of_next_epoch(chain) -> int:
    return (chain.pending_timestamp // EPOCH_LENGTH + 1) * EPOCH_LENGTH


def test_epoch_cap_within_one_epoch(ect, oracle, alice, chain):
    chain.mine(timestamp=_start_of_next_epoch(chain))
    ect.mint_for_action(alice, EPOCH_CAP - UNIT, action(1), sender=oracle)
    with ape.reverts("ect: epoch cap exceeded"):
        ect.mint_for_action(alice, 2 * UNIT, action(2), sender=oracle)
    ect.mint_for_action(alice, UNIT, action(3), sender=oracle)
    assert ect.balanceOf(alice) == EPOCH_CAP
    with ape.reverts("ect: epoch cap exceeded"):
        ect.mint_for_action(alice, 1, action(4), sender=oracle)


def test_epoch_cap_resets_next_epoch(ect, oracle, alice, chain):
    start = _start_of_next_epoch(chain)
    chain.mine(timestamp=start)
    ect.mint_for_action(alice, EPOCH_CAP, action(1), sender=oracle)
    assert ect.current_epoch() == start // EPOCH_LENGTH
    # Still the same epoch one second before its end.
    chain.pending_timestamp = start + EPOCH_LENGTH - 1
    with ape.reverts("ect: epoch cap exceeded"):
        ect.mint_for_action(alice, 1, action(2), sender=oracle)
    chain.mine(timestamp=start + EPOCH_LENGTH)
    tx = ect.mint_for_action(alice, EPOCH_CAP, action(3), sender=oracle)
    assert tx.decode_logs(ect.ActionRewarded)[0].epoch == start // EPOCH_LENGTH + 1
    assert ect.epoch_minted(start // EPOCH_LENGTH) == EPOCH_CAP
    assert ect.epoch_minted(start // EPOCH_LENGTH + 1) == EPOCH_CAP
    assert ect.balanceOf(alice) == 2 * EPOCH_CAP


def test_set_epoch_cap(ect, admin, oracle, alice, chain):
    chain.mine(timestamp=_start_of_next_epoch(chain))
    tx = ect.set_epoch_cap(10 * UNIT, sender=admin)
    ev = tx.decode_logs(ect.EpochCapChanged)[0]
    assert ev.old_cap == EPOCH_CAP and ev.new_cap == 10 * UNIT
    assert ect.epoch_cap() == 10 * UNIT
    ect.mint_for_action(alice, 10 * UNIT, action(1), sender=oracle)
    with ape.reverts("ect: epoch cap exceeded"):
        ect.mint_for_action(alice, 1, action(2), sender=oracle)
    # Lowering the cap below what was minted stops further mints this epoch.
    ect.set_epoch_cap(0, sender=admin)
    with ape.reverts("ect: epoch cap exceeded"):
        ect.mint_for_action(alice, 1, action(3), sender=oracle)


def test_transfer(funded, alice, bob):
    tx = funded.transfer(bob, 30 * UNIT, sender=alice)
    assert funded.balanceOf(alice) == 70 * UNIT
    assert funded.balanceOf(bob) == 30 * UNIT
    ev = tx.decode_logs(funded.Transfer)[0]
    assert ev.sender == alice and ev.receiver == bob and ev.value == 30 * UNIT


def test_transfer_reverts(funded, alice, bob):
    with ape.reverts("erc20: transfer amount exceeds balance"):
        funded.transfer(bob, 101 * UNIT, sender=alice)
    with ape.reverts("erc20: transfer to the zero address"):
        funded.transfer(ZERO, UNIT, sender=alice)


def test_approve_and_transfer_from(funded, alice, bob, carol):
    tx = funded.approve(bob, 40 * UNIT, sender=alice)
    ev = tx.decode_logs(funded.Approval)[0]
    assert ev.owner == alice and ev.spender == bob and ev.value == 40 * UNIT
    funded.transferFrom(alice, carol, 25 * UNIT, sender=bob)
    assert funded.balanceOf(carol) == 25 * UNIT
    assert funded.allowance(alice, bob) == 15 * UNIT
    with ape.reverts("erc20: insufficient allowance"):
        funded.transferFrom(alice, carol, 16 * UNIT, sender=bob)


def test_burn_and_burn_from(funded, alice, bob):
    tx = funded.burn(10 * UNIT, sender=alice)
    assert funded.balanceOf(alice) == 90 * UNIT
    assert funded.totalSupply() == 90 * UNIT
    assert tx.decode_logs(funded.Transfer)[0].receiver == ZERO
    with ape.reverts("erc20: burn amount exceeds balance"):
        funded.burn(91 * UNIT, sender=alice)
    with ape.reverts("erc20: insufficient allowance"):
        funded.burn_from(alice, UNIT, sender=bob)
    funded.approve(bob, 5 * UNIT, sender=alice)
    funded.burn_from(alice, 5 * UNIT, sender=bob)
    assert funded.balanceOf(alice) == 85 * UNIT
    assert funded.allowance(alice, bob) == 0


def test_pause_blocks_transfers_burns_and_rewards(funded, pauser, alice, bob, oracle):
    tx = funded.pause(sender=pauser)
    assert funded.paused()
    assert len(tx.decode_logs(funded.Paused)) == 1
    funded.approve(bob, 10 * UNIT, sender=alice)  # approvals stay open
    for call, kwargs in [
        (lambda: funded.transfer(bob, 1, sender=alice), {}),
        (lambda: funded.transferFrom(alice, bob, 1, sender=bob), {}),
        (lambda: funded.burn(1, sender=alice), {}),
        (lambda: funded.burn_from(alice, 1, sender=bob), {}),
        (lambda: funded.mint_for_action(alice, 1, action(9), sender=oracle), {}),
    ]:
        with ape.reverts("pausable: contract is paused"):
            call(**kwargs)
    with ape.reverts("pausable: contract is paused"):
        funded.pause(sender=pauser)
    funded.unpause(sender=pauser)
    assert not funded.paused()
    with ape.reverts("pausable: contract is not paused"):
        funded.unpause(sender=pauser)
    funded.transfer(bob, 1, sender=alice)
    assert funded.balanceOf(bob) == 1


def test_deposit_ignores_pause_and_epoch_cap(child_ect, bridge, pauser, admin, alice):
    child_ect.set_epoch_cap(0, sender=admin)
    child_ect.pause(sender=pauser)
    amount = 5 * EPOCH_CAP
    tx = child_ect.deposit(alice, encode(["uint256"], [amount]), sender=bridge)
    assert child_ect.balanceOf(alice) == amount
    assert child_ect.totalSupply() == amount
    ev = tx.decode_logs(child_ect.Transfer)[0]
    assert ev.sender == ZERO and ev.receiver == alice and ev.value == amount


def test_withdraw_burns(child_ect, bridge, alice, pauser):
    child_ect.deposit(alice, encode(["uint256"], [7 * UNIT]), sender=bridge)
    tx = child_ect.withdraw(3 * UNIT, sender=alice)
    assert child_ect.balanceOf(alice) == 4 * UNIT
    assert child_ect.totalSupply() == 4 * UNIT
    ev = tx.decode_logs(child_ect.Transfer)[0]
    assert ev.sender == alice and ev.receiver == ZERO and ev.value == 3 * UNIT
    with ape.reverts("erc20: burn amount exceeds balance"):
        child_ect.withdraw(5 * UNIT, sender=alice)
    child_ect.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        child_ect.withdraw(1, sender=alice)


def test_root_token_has_no_child_interface(ect, admin, alice, oracle):
    ect.mint_for_action(alice, UNIT, action(1), sender=oracle)
    assert_root_refuses_child_interface(ect, admin, alice, UNIT)


def test_child_copy_mints_no_rewards(child_ect, admin, alice):
    """A child ECT has no reward path: even an account granted ORACLE_ROLE is refused."""
    assert_child_issues_nothing(
        child_ect,
        "ORACLE_ROLE",
        admin,
        lambda: child_ect.mint_for_action(alice, UNIT, action(1), sender=admin),
    )


# --- EIP-2612 permit -----------------------------------------------------------------------


def _permit(token, chain, owner, spender, value, deadline, signer=None):
    return permit_args(
        token, "EcoToken", chain.chain_id, owner, spender, value, deadline, signer=signer
    )


def test_permit_valid(funded, chain, alice, bob, carol):
    deadline = chain.pending_timestamp + 3600
    args = _permit(funded, chain, alice, bob, 12 * UNIT, deadline)
    tx = funded.permit(*args, sender=carol)  # anyone may relay
    assert funded.allowance(alice, bob) == 12 * UNIT
    assert funded.nonces(alice) == 1
    assert tx.decode_logs(funded.Approval)[0].value == 12 * UNIT
    funded.transferFrom(alice, bob, 12 * UNIT, sender=bob)
    assert funded.balanceOf(bob) == 12 * UNIT


def test_permit_expired(funded, chain, alice, bob):
    deadline = chain.pending_timestamp + 10
    args = _permit(funded, chain, alice, bob, UNIT, deadline)
    chain.pending_timestamp = deadline + 1
    with ape.reverts("erc20: expired deadline"):
        funded.permit(*args, sender=bob)


def test_permit_wrong_signer(funded, chain, alice, bob, mallory):
    args = _permit(
        funded, chain, alice, mallory, UNIT, chain.pending_timestamp + 3600, signer=mallory
    )
    with ape.reverts("erc20: invalid signature"):
        funded.permit(*args, sender=mallory)
    assert funded.allowance(alice, mallory) == 0


def test_permit_replay(funded, chain, alice, bob):
    args = _permit(funded, chain, alice, bob, UNIT, chain.pending_timestamp + 3600)
    funded.permit(*args, sender=bob)
    funded.approve(bob, 0, sender=alice)
    with ape.reverts("erc20: invalid signature"):
        funded.permit(*args, sender=bob)
    assert funded.allowance(alice, bob) == 0


def test_domain_separator(ect, chain):
    fields = ect.eip712Domain()
    assert fields[1] == "EcoToken" and fields[2] == "1"
    assert fields[3] == chain.chain_id and fields[4] == ect.address
    assert len(ect.DOMAIN_SEPARATOR()) == 32


# --- gas -------------------------------------------------------------------------------------


def test_gas_transfer_and_approve(funded, alice, bob, carol):
    new_holder = funded.transfer(bob, UNIT, sender=alice).gas_used
    existing = funded.transfer(bob, UNIT, sender=alice).gas_used
    approve = funded.approve(carol, UNIT, sender=alice).gas_used
    print(f"\nECT gas: transfer new {new_holder}, existing {existing}, approve {approve}")
    assert existing < new_holder
    assert approve <= 46_000


def test_gas_cost_of_the_pause_check(funded, gst, admin, alice, bob, carol):
    """The pause check is the only difference from plain snekmate erc20 (MockERC20) on transfer."""
    gst.mint(alice, 100 * UNIT, sender=admin)
    plain_new = gst.transfer(bob, UNIT, sender=alice).gas_used
    plain_existing = gst.transfer(bob, UNIT, sender=alice).gas_used
    ect_new = funded.transfer(bob, UNIT, sender=alice).gas_used
    ect_existing = funded.transfer(bob, UNIT, sender=alice).gas_used
    print(
        f"\nplain snekmate transfer: new {plain_new}, existing {plain_existing};"
        f" ECT pause check adds {ect_new - plain_new} / {ect_existing - plain_existing}"
    )
    # One cold SLOAD of `paused` (2,100) plus the comparison, nothing else.
    assert 2_100 <= ect_new - plain_new <= 2_300
    assert 2_100 <= ect_existing - plain_existing <= 2_300
