"""Governor and Timelock: proposal lifecycle, voting weight from GST + EST, quorum, and the full
propose -> vote -> queue -> delay -> execute path through the Timelock."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from gov_helpers import (
    ADMIN_ROLE,
    CANCELLER_ROLE,
    E18,
    EXECUTOR_ROLE,
    GOVERNOR,
    PROPOSER_ROLE,
    START_BALANCE,
    TIMELOCK_DELAY,
    assert_deploy_reverts,
    delegate,
)

ZERO = "0x0000000000000000000000000000000000000000"
PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXECUTED = 0, 1, 2, 3, 4, 5, 7
AGAINST, FOR, ABSTAIN = 0, 1, 2


@pytest.fixture
def voters(gst, gov_est, chain, alice, bob):
    """alice votes with 10,000 delegated GST; bob with 2,000 GST staked in EcoStake."""
    delegate(gst, alice, alice)
    gst.approve(gov_est, 2_000 * E18, sender=bob)
    gov_est.stake(2_000 * E18, 30, sender=bob)
    chain.mine(1)


@pytest.fixture
def bonus_proposal(gov_est):
    description = "Raise the ECS staking bonus to 2.5% above a score of 60.00"
    return (
        [gov_est.address],
        [0],
        [gov_est.set_bonus.encode_input(6_000, 250)],
        description,
    )


def open_voting(chain):
    """Mines past the snapshot block, so views (run at the head block) see the vote Active."""
    chain.mine(GOVERNOR.voting_delay + 1)


def close_voting(chain):
    """Mines past the last voting block."""
    chain.mine(GOVERNOR.voting_period)


def test_full_path_changes_est_parameter(
    governor, gov_est, timelock, chain, voters, alice, bob, mallory, bonus_proposal
):
    targets, values, calldatas, description = bonus_proposal
    tx = governor.propose(targets, values, calldatas, description, sender=alice)
    proposal_id = tx.return_value
    assert proposal_id == governor.hashProposal(
        targets, values, calldatas, keccak(text=description), alice
    )
    created = tx.events[0]
    assert created.proposal_id == proposal_id
    assert created.proposer == alice
    assert created.vote_start == tx.block_number + GOVERNOR.voting_delay
    assert created.vote_end == tx.block_number + GOVERNOR.voting_delay + GOVERNOR.voting_period
    assert created.description == description
    assert governor.state(proposal_id) == PENDING

    open_voting(chain)
    assert governor.state(proposal_id) == ACTIVE
    va = governor.castVote(proposal_id, FOR, sender=alice)
    vb = governor.castVote(proposal_id, AGAINST, sender=bob)
    assert va.events == [governor.VoteCast(alice, proposal_id, FOR, START_BALANCE)]
    assert vb.events == [governor.VoteCast(bob, proposal_id, AGAINST, 2_000 * E18)]
    assert governor.proposalVotes(proposal_id) == (2_000 * E18, START_BALANCE, 0)

    close_voting(chain)
    assert governor.state(proposal_id) == SUCCEEDED
    description_hash = keccak(text=description)
    tx = governor.queue(targets, values, calldatas, description_hash, alice, sender=mallory)
    eta = chain.blocks[tx.block_number].timestamp + TIMELOCK_DELAY
    assert governor.ProposalQueued(proposal_id, eta) in tx.events
    assert governor.state(proposal_id) == QUEUED

    with ape.reverts("timelock_controller: operation is not ready"):
        governor.execute(targets, values, calldatas, description_hash, alice, sender=mallory)
    chain.pending_timestamp = eta
    tx = governor.execute(targets, values, calldatas, description_hash, alice, sender=mallory)
    assert governor.ProposalExecuted(proposal_id) in tx.events
    assert gov_est.BonusSet(6_000, 250) in tx.events
    assert gov_est.bonus_threshold_bp() == 6_000
    assert gov_est.bonus_bp() == 250
    assert governor.state(proposal_id) == EXECUTED
    with ape.reverts("governor: proposal not queued"):
        governor.execute(targets, values, calldatas, description_hash, alice, sender=mallory)


def test_governance_changes_its_own_params(governor, chain, voters, alice):
    calldata = governor.set_params.encode_input(1, 20, 50 * E18, 1_000)
    args = ([governor.address], [0], [calldata])
    governor.propose(*args, "Tune voting parameters", sender=alice)
    open_voting(chain)
    pid = governor.hashProposal(*args, keccak(text="Tune voting parameters"), alice)
    governor.castVote(pid, FOR, sender=alice)
    close_voting(chain)
    governor.queue(*args, keccak(text="Tune voting parameters"), alice, sender=alice)
    chain.pending_timestamp += TIMELOCK_DELAY
    governor.execute(*args, keccak(text="Tune voting parameters"), alice, sender=alice)
    assert governor.voting_delay() == 1
    assert governor.voting_period() == 20
    assert governor.proposal_threshold() == 50 * E18
    assert governor.quorum_bp() == 1_000


def test_weight_is_gst_votes_plus_stake_at_snapshot(
    governor, gst, gov_est, chain, voters, alice, bob, carol, bonus_proposal
):
    # bob also delegates his remaining GST to himself.
    delegate(gst, bob, bob)
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    snapshot = governor.proposalSnapshot(pid)
    open_voting(chain)
    # Moves after the snapshot do not count.
    gst.transfer(bob, 1_000 * E18, sender=carol)
    delegate(gst, carol, bob)
    expected = gst.getPastVotes(bob, snapshot) + gov_est.getPastVotes(bob, snapshot)
    assert expected == START_BALANCE  # 8,000 delegated GST + 2,000 staked
    assert governor.getVotes(bob, snapshot) == expected
    tx = governor.castVote(pid, FOR, sender=bob)
    assert tx.return_value == expected


def test_quorum_not_reached_is_defeated(governor, gst, chain, voters, alice, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    snapshot = governor.proposalSnapshot(pid)
    open_voting(chain)
    assert (
        governor.quorum(snapshot) == gst.getPastTotalSupply(snapshot) * GOVERNOR.quorum_bp // 10_000
    )
    close_voting(chain)
    # Nobody voted.
    assert governor.state(pid) == DEFEATED
    with ape.reverts("governor: proposal not successful"):
        governor.queue(targets, values, calldatas, keccak(text=description), alice, sender=alice)


def test_against_majority_is_defeated(governor, chain, voters, alice, bob, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=bob).return_value
    open_voting(chain)
    governor.castVote(pid, FOR, sender=bob)
    governor.castVote(pid, AGAINST, sender=alice)
    close_voting(chain)
    assert governor.state(pid) == DEFEATED


def test_abstain_counts_toward_quorum_only(
    governor, gst, chain, voters, alice, bob, carol, bonus_proposal
):
    # A small "for" vote passes when abstentions bring quorum.
    delegate(gst, carol, carol)
    gst.transfer(alice, 9_950 * E18, sender=carol)  # carol keeps 50 GST of votes
    chain.mine(1)
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=bob).return_value
    open_voting(chain)
    governor.castVote(pid, FOR, sender=carol)
    close_voting(chain)
    assert governor.state(pid) == DEFEATED  # 50 < quorum of 1,200

    pid2 = governor.propose(
        targets, values, calldatas, description + " (again)", sender=bob
    ).return_value
    open_voting(chain)
    governor.castVote(pid2, FOR, sender=carol)
    governor.castVote(pid2, ABSTAIN, sender=alice)
    close_voting(chain)
    assert governor.proposalVotes(pid2)[2] > 0
    assert governor.state(pid2) == SUCCEEDED


def test_propose_reverts(governor, gov_est, chain, voters, alice, mallory, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    with ape.reverts("governor: empty proposal"):
        governor.propose([], [], [], description, sender=alice)
    with ape.reverts("governor: length mismatch"):
        governor.propose(targets, [0, 0], calldatas, description, sender=alice)
    with ape.reverts("governor: length mismatch"):
        governor.propose(targets, values, calldatas + calldatas, description, sender=alice)
    with ape.reverts("governor: proposer votes below threshold"):
        governor.propose(targets, values, calldatas, description, sender=mallory)
    governor.propose(targets, values, calldatas, description, sender=alice)
    with ape.reverts("governor: proposal exists"):
        governor.propose(targets, values, calldatas, description, sender=alice)


def test_threshold_uses_previous_block(governor, gst, chain, alice, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    assert GOVERNOR.proposal_threshold <= START_BALANCE
    delegate(gst, alice, alice)
    # Votes gained in the previous block count.
    governor.propose(targets, values, calldatas, description, sender=alice)


def test_cast_vote_reverts(governor, chain, voters, alice, bob, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    with ape.reverts("governor: vote not active"):
        governor.castVote(pid, FOR, sender=alice)
    open_voting(chain)
    with ape.reverts("governor: invalid vote type"):
        governor.castVote(pid, 3, sender=alice)
    governor.castVote(pid, FOR, sender=alice)
    assert governor.hasVoted(pid, alice)
    with ape.reverts("governor: already voted"):
        governor.castVote(pid, AGAINST, sender=alice)
    close_voting(chain)
    with ape.reverts("governor: vote not active"):
        governor.castVote(pid, FOR, sender=bob)


def test_unknown_proposal(governor, alice):
    with ape.reverts("governor: unknown proposal"):
        governor.state(123)
    with ape.reverts("governor: unknown proposal"):
        governor.castVote(123, FOR, sender=alice)
    assert governor.proposalSnapshot(123) == 0


def test_cancel(governor, chain, voters, alice, bob, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    with ape.reverts("governor: caller is not the proposer"):
        governor.cancel(pid, sender=bob)
    tx = governor.cancel(pid, sender=alice)
    assert tx.events == [governor.ProposalCanceled(pid)]
    assert governor.state(pid) == CANCELED
    open_voting(chain)
    with ape.reverts("governor: vote not active"):
        governor.castVote(pid, FOR, sender=alice)
    with ape.reverts("governor: proposal not pending"):
        governor.cancel(pid, sender=alice)


def test_cancel_after_voting_started(governor, chain, voters, alice, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    open_voting(chain)
    with ape.reverts("governor: proposal not pending"):
        governor.cancel(pid, sender=alice)


def test_execute_requires_queue(governor, chain, voters, alice, bonus_proposal):
    targets, values, calldatas, description = bonus_proposal
    governor.propose(targets, values, calldatas, description, sender=alice)
    open_voting(chain)
    pid = governor.hashProposal(targets, values, calldatas, keccak(text=description), alice)
    governor.castVote(pid, FOR, sender=alice)
    close_voting(chain)
    with ape.reverts("governor: proposal not queued"):
        governor.execute(targets, values, calldatas, keccak(text=description), alice, sender=alice)


def test_hash_proposal_matches_abi_encoding(governor, gov_est, alice):
    targets = [gov_est.address, gov_est.address]
    values = [0, 5]
    calldatas = [b"\x01\x02", b""]
    description_hash = keccak(text="x")
    encoded = encode(
        ["address[]", "uint256[]", "bytes[]", "bytes32", "address"],
        [targets, values, calldatas, description_hash, alice.address],
    )
    expected = int.from_bytes(keccak(encoded), "big")
    assert governor.hashProposal(targets, values, calldatas, description_hash, alice) == expected


def test_identical_proposal_cannot_take_the_proposers_id(
    governor, gst, chain, voters, alice, bob, bonus_proposal
):
    """Someone above the threshold proposes the same calls and description first and cancels
    them: the proposer's own proposal still gets its own id, which stays open for votes."""
    targets, values, calldatas, description = bonus_proposal
    delegate(gst, bob, bob)
    chain.mine(1)
    squatted = governor.propose(targets, values, calldatas, description, sender=bob).return_value
    governor.cancel(squatted, sender=bob)
    pid = governor.propose(targets, values, calldatas, description, sender=alice).return_value
    assert pid != squatted
    assert governor.state(pid) == PENDING
    open_voting(chain)
    governor.castVote(pid, FOR, sender=alice)
    close_voting(chain)
    assert governor.state(pid) == SUCCEEDED
    description_hash = keccak(text=description)
    governor.queue(targets, values, calldatas, description_hash, alice, sender=bob)
    assert governor.state(pid) == QUEUED


def test_constructor_checks(project, admin, gst, est, timelock):
    args = [gst, est, timelock, 1, 10, 0, 400]
    for idx, reason in (
        (0, "governor: zero gst"),
        (1, "governor: zero est"),
        (2, "governor: zero timelock"),
    ):
        bad = list(args)
        bad[idx] = ZERO
        assert_deploy_reverts(project.Governor, *bad, sender=admin, reason=reason)
    assert_deploy_reverts(
        project.Governor,
        gst,
        est,
        timelock,
        1,
        0,
        0,
        400,
        sender=admin,
        reason="governor: zero voting period",
    )
    assert_deploy_reverts(
        project.Governor,
        gst,
        est,
        timelock,
        1,
        10,
        0,
        10_001,
        sender=admin,
        reason="governor: quorum above 10000",
    )


def test_governor_views(governor, gst, gov_est, timelock):
    assert governor.GST() == gst.address
    assert governor.EST() == gov_est.address
    assert governor.TIMELOCK() == timelock.address
    assert governor.voting_delay() == GOVERNOR.voting_delay
    assert governor.voting_period() == GOVERNOR.voting_period
    assert governor.proposal_threshold() == GOVERNOR.proposal_threshold
    assert governor.quorum_bp() == GOVERNOR.quorum_bp


def test_timelock_constructor(project, admin, alice, bob, carol):
    tl = project.Timelock.deploy(120, [alice], [bob], carol, sender=admin)
    assert tl.get_minimum_delay() == 120
    assert tl.hasRole(PROPOSER_ROLE, alice)
    assert tl.hasRole(CANCELLER_ROLE, alice)
    assert tl.hasRole(EXECUTOR_ROLE, bob)
    assert tl.hasRole(ADMIN_ROLE, carol)
    assert tl.hasRole(ADMIN_ROLE, tl)
    assert not tl.hasRole(ADMIN_ROLE, admin)
    bare = project.Timelock.deploy(60, [], [], ZERO, sender=admin)
    assert not bare.hasRole(ADMIN_ROLE, ZERO)
    assert bare.hasRole(ADMIN_ROLE, bare)


def test_timelock_schedules_and_executes_directly(project, admin, alice, bob, gst, chain):
    tl = project.Timelock.deploy(100, [alice], [bob], ZERO, sender=admin)
    gst.grantRole(ADMIN_ROLE, tl, sender=admin)
    payload = gst.grantRole.encode_input(keccak(text="PAUSER_ROLE"), alice.address)
    zero = b"\x00" * 32
    with ape.reverts("timelock_controller: insufficient delay"):
        tl.schedule(gst, 0, payload, zero, zero, 99, sender=alice)
    tl.schedule(gst, 0, payload, zero, zero, 100, sender=alice)
    chain.pending_timestamp += 100
    tl.execute(gst, 0, payload, zero, zero, sender=bob)
    assert gst.hasRole(keccak(text="PAUSER_ROLE"), alice)


def test_timelock_cancel_and_operation_state(project, admin, alice, bob, chain):
    tl = project.Timelock.deploy(100, [alice], [bob], ZERO, sender=admin)
    zero = b"\x00" * 32
    salt = keccak(text="salt")
    op = tl.hash_operation(bob, 0, b"", zero, salt)
    assert not tl.is_operation(op)
    tl.schedule(bob, 0, b"", zero, salt, 100, sender=alice)
    assert tl.is_operation_pending(op)
    assert not tl.is_operation_ready(op)
    tx = tl.cancel(op, sender=alice)
    assert tl.Cancelled(op) in tx.events
    assert not tl.is_operation(op)
