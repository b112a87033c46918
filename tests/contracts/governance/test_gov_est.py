"""EcoStake: staking, lock tiers, rewards, ECS bonus, reserve, votes, non-transferability."""

import ape
import pytest
from gov_helpers import DAY, E18, START_BALANCE, assert_deploy_reverts, set_score

ZERO = "0x0000000000000000000000000000000000000000"
YEAR = 365 * DAY


def expected_apr(base: int, top: int, lock_days: int) -> int:
    """The documented tier formula: linear from `base` at 7 days to `top` at 365 days."""
    return base + (top - base) * (lock_days - 7) // (365 - 7)


def reward(amount: int, apr_bp: int, seconds: int) -> int:
    return amount * apr_bp * seconds // (10_000 * YEAR)


def reward_with_bonus(amount: int, apr_bp: int, seconds: int, bonus_bp: int, eligible: int) -> int:
    """The documented formula: the APR over the whole period, the bonus over eligible seconds."""
    return amount * (apr_bp * seconds + bonus_bp * eligible) // (10_000 * YEAR)


def block_time(chain, receipt) -> int:
    return chain.blocks[receipt.block_number].timestamp


@pytest.fixture
def stake(gst, est):
    def _stake(account, amount, lock_days):
        gst.approve(est, amount, sender=account)
        tx = est.stake(amount, lock_days, sender=account)
        return tx.return_value, tx

    return _stake


@pytest.fixture
def funded(gst, est, carol):
    gst.approve(est, 5_000 * E18, sender=carol)
    est.fund_rewards(5_000 * E18, sender=carol)
    return 5_000 * E18


def test_metadata_and_defaults(est, gst, ecs, admin):
    assert est.name() == "EcoStake"
    assert est.symbol() == "EST"
    assert est.decimals() == 18
    assert est.GST() == gst.address
    assert est.ECS() == ecs.address
    assert est.base_apr_bp() == 500
    assert est.max_apr_bp() == 2_000
    assert est.next_position_id() == 1
    assert est.totalSupply() == 0
    assert est.hasRole(b"\x00" * 32, admin)
    assert est.CLOCK_MODE() == "mode=blocknumber&from=default"


def test_constructor_rejects_zero_addresses(project, admin, gst, ecs):
    assert_deploy_reverts(project.EST, ZERO, ecs, sender=admin, reason="est: zero gst")
    assert_deploy_reverts(project.EST, gst, ZERO, sender=admin, reason="est: zero ecs")


@pytest.mark.parametrize("lock_days", [7, 8, 30, 90, 186, 364, 365])
def test_apr_tiers(est, lock_days):
    assert est.apr_for(lock_days) == expected_apr(500, 2_000, lock_days)


def test_apr_grows_with_lock(est):
    rates = [est.apr_for(d) for d in range(7, 366, 29)]
    assert rates == sorted(rates)
    assert rates[0] < rates[-1]


@pytest.mark.parametrize("lock_days", [0, 6, 366])
def test_apr_for_out_of_range(est, lock_days):
    with ape.reverts("est: lock out of range"):
        est.apr_for(lock_days)


def test_stake(gst, est, chain, alice, stake):
    position_id, tx = stake(alice, 1_000 * E18, 30)
    assert position_id == 1
    t0 = block_time(chain, tx)
    apr = expected_apr(500, 2_000, 30)
    pos = est.positions(1)
    assert pos.owner == alice
    assert pos.amount == 1_000 * E18
    assert pos.lock_days == 30
    assert pos.apr_bp == apr
    assert pos.unlock_at == t0 + 30 * DAY
    assert pos.open
    assert est.balanceOf(alice) == 1_000 * E18
    assert est.totalSupply() == 1_000 * E18
    assert est.getVotes(alice) == 1_000 * E18
    assert gst.balanceOf(est) == 1_000 * E18
    assert gst.balanceOf(alice) == START_BALANCE - 1_000 * E18
    assert est.Staked(alice, 1, 1_000 * E18, 30, apr, t0 + 30 * DAY) in tx.events
    assert est.Transfer(ZERO, alice, 1_000 * E18) in tx.events
    assert est.DelegateVotesChanged(alice, 0, 1_000 * E18) in tx.events
    second, _ = stake(alice, E18, 7)
    assert second == 2
    assert est.balanceOf(alice) == 1_001 * E18


def test_stake_reverts(gst, est, alice, pauser):
    gst.approve(est, 10 * E18, sender=alice)
    refused = [
        (0, 30, "est: zero amount"),
        (E18, 6, "est: lock out of range"),
        (E18, 366, "est: lock out of range"),
        (11 * E18, 30, "erc20: insufficient allowance"),  # above the 10 GST approved
    ]
    for amount, lock_days, reason in refused:
        with ape.reverts(reason):
            est.stake(amount, lock_days, sender=alice)
    est.pause(sender=pauser)
    with ape.reverts("pausable: contract is paused"):
        est.stake(E18, 30, sender=alice)


def test_unstake_after_unlock(gst, est, chain, alice, stake, funded):
    _, tx = stake(alice, 1_000 * E18, 7)
    t0 = block_time(chain, tx)
    with ape.reverts("est: still locked"):
        est.unstake(1, sender=alice)
    chain.pending_timestamp = t0 + 10 * DAY
    before = gst.balanceOf(alice)
    tx = est.unstake(1, sender=alice)
    # Rewards stop at the unlock time.
    earned = reward(1_000 * E18, 500, 7 * DAY)
    assert gst.balanceOf(alice) == before + 1_000 * E18 + earned
    assert est.balanceOf(alice) == 0
    assert est.totalSupply() == 0
    assert est.reward_reserve() == funded - earned
    assert not est.positions(1).open
    assert est.Unstaked(alice, 1, 1_000 * E18, earned) in tx.events
    assert est.Transfer(alice, ZERO, 1_000 * E18) in tx.events
    with ape.reverts("est: position closed"):
        est.unstake(1, sender=alice)


def test_unstake_exactly_at_unlock(est, chain, alice, stake):
    _, tx = stake(alice, E18, 7)
    chain.pending_timestamp = block_time(chain, tx) + 7 * DAY
    est.unstake(1, sender=alice)
    assert est.balanceOf(alice) == 0


def test_unstake_not_blocked_by_pause(est, chain, alice, pauser, stake):
    _, tx = stake(alice, E18, 7)
    est.pause(sender=pauser)
    chain.pending_timestamp = block_time(chain, tx) + 8 * DAY
    est.unstake(1, sender=alice)
    assert est.balanceOf(alice) == 0


def test_position_owner_checks(est, alice, bob, stake):
    stake(alice, E18, 7)
    with ape.reverts("est: not position owner"):
        est.unstake(1, sender=bob)
    with ape.reverts("est: not position owner"):
        est.claim(1, sender=bob)
    with ape.reverts("est: unknown position"):
        est.unstake(99, sender=alice)
    with ape.reverts("est: unknown position"):
        est.claim(99, sender=alice)


def test_claim_pays_accrued(gst, est, chain, alice, stake, funded):
    _, tx = stake(alice, 2_000 * E18, 365)
    t0 = block_time(chain, tx)
    chain.pending_timestamp = t0 + 100 * DAY
    before = gst.balanceOf(alice)
    tx = est.claim(1, sender=alice)
    expected = reward(2_000 * E18, 2_000, 100 * DAY)
    assert tx.return_value == expected
    assert gst.balanceOf(alice) == before + expected
    assert est.reward_reserve() == funded - expected
    assert est.RewardClaimed(alice, 1, expected) in tx.events
    # A second claim pays only the new period.
    chain.pending_timestamp = t0 + 130 * DAY
    tx = est.claim(1, sender=alice)
    assert tx.return_value == reward(2_000 * E18, 2_000, 30 * DAY)


def test_claim_with_empty_reserve(est, chain, alice, stake):
    _, tx = stake(alice, E18, 30)
    chain.pending_timestamp = block_time(chain, tx) + DAY
    with ape.reverts("est: nothing to claim"):
        est.claim(1, sender=alice)


def test_shortfall_stays_owed(gst, est, chain, alice, carol, stake):
    _, tx = stake(alice, 10_000 * E18 // 2, 365)
    t0 = block_time(chain, tx)
    gst.approve(est, 10 * E18, sender=carol)
    est.fund_rewards(E18, sender=carol)
    chain.pending_timestamp = t0 + 365 * DAY
    total = reward(5_000 * E18, 2_000, 365 * DAY)
    tx = est.unstake(1, sender=alice)
    assert est.Unstaked(alice, 1, 5_000 * E18, E18) in tx.events
    assert est.reward_reserve() == 0
    assert est.pending_reward(1) == total - E18
    # Refill and claim the rest on the closed position.
    est.fund_rewards(9 * E18, sender=carol)
    tx = est.claim(1, sender=alice)
    assert tx.return_value == min(total - E18, 9 * E18)


def test_pending_reward(est, chain, alice, stake):
    assert est.pending_reward(42) == 0
    _, tx = stake(alice, 100 * E18, 90)
    chain.pending_timestamp = block_time(chain, tx) + 45 * DAY
    chain.mine()
    assert est.pending_reward(1) == reward(100 * E18, expected_apr(500, 2_000, 90), 45 * DAY)


def test_bonus_applies_at_or_above_threshold(
    gst, est, ecs, chain, admin, alice, bob, stake, funded
):
    tx = est.set_bonus(7_000, 300, sender=admin)
    assert tx.events == [est.BonusSet(7_000, 300)]
    set_score(ecs, alice, 7_000, admin)
    set_score(ecs, bob, 6_999, admin)
    _, ta = stake(alice, 100 * E18, 7)
    _, tb = stake(bob, 100 * E18, 7)
    chain.pending_timestamp = max(block_time(chain, ta), block_time(chain, tb)) + 8 * DAY
    ra = est.unstake(1, sender=alice)
    rb = est.unstake(2, sender=bob)
    assert est.Unstaked(alice, 1, 100 * E18, reward(100 * E18, 800, 7 * DAY)) in ra.events
    assert est.Unstaked(bob, 2, 100 * E18, reward(100 * E18, 500, 7 * DAY)) in rb.events


def test_bonus_only_for_time_eligible_when_qualifying_late(
    est, ecs, chain, admin, alice, stake, funded
):
    """A staker whose score reaches the threshold on day 364 of a 365-day lock earns the bonus
    for the last day only, not for the whole year."""
    est.set_bonus(7_000, 300, sender=admin)
    set_score(ecs, alice, 5_000, admin)
    _, tx = stake(alice, 100 * E18, 365)
    start = block_time(chain, tx)
    chain.pending_timestamp = start + 364 * DAY
    qualified = block_time(
        chain, ecs.set_score(alice, 9_000, 9_000, 9_000, 1, b"\x00" * 32, sender=admin)
    )
    chain.pending_timestamp = start + 366 * DAY
    unstaked = est.unstake(1, sender=alice)
    apr = expected_apr(500, 2_000, 365)
    expected = reward_with_bonus(100 * E18, apr, 365 * DAY, 300, start + 365 * DAY - qualified)
    assert est.Unstaked(alice, 1, 100 * E18, expected) in unstaked.events
    assert expected < reward(100 * E18, apr + 300, 365 * DAY)


def test_bonus_earned_stays_after_falling_below(est, ecs, chain, admin, alice, stake, funded):
    """A staker above the threshold for the first 100 days keeps the bonus of those days after
    its score drops, claimed at the end."""
    est.set_bonus(7_000, 300, sender=admin)
    set_score(ecs, alice, 8_000, admin)
    _, tx = stake(alice, 100 * E18, 365)
    start = block_time(chain, tx)
    chain.pending_timestamp = start + 100 * DAY
    dropped = block_time(chain, ecs.set_score(alice, 100, 100, 100, 1, b"\x00" * 32, sender=admin))
    chain.pending_timestamp = start + 366 * DAY
    unstaked = est.unstake(1, sender=alice)
    apr = expected_apr(500, 2_000, 365)
    expected = reward_with_bonus(100 * E18, apr, 365 * DAY, 300, dropped - start)
    assert est.Unstaked(alice, 1, 100 * E18, expected) in unstaked.events
    assert expected > reward(100 * E18, apr, 365 * DAY)


def test_bonus_terms_fixed_when_the_position_opens(est, ecs, chain, admin, alice, stake, funded):
    """Raising the bonus (or lowering its threshold) later changes new positions only."""
    set_score(ecs, alice, 6_000, admin)
    est.set_bonus(7_000, 300, sender=admin)
    _, tx = stake(alice, 100 * E18, 30)
    start = block_time(chain, tx)
    est.set_bonus(5_000, 900, sender=admin)
    assert (est.positions(1).bonus_bp, est.positions(1).bonus_threshold_bp) == (300, 7_000)
    chain.pending_timestamp = start + 31 * DAY
    unstaked = est.unstake(1, sender=alice)
    apr = expected_apr(500, 2_000, 30)
    assert est.Unstaked(alice, 1, 100 * E18, reward(100 * E18, apr, 30 * DAY)) in unstaked.events


def test_fund_rewards(gst, est, carol):
    gst.approve(est, 3 * E18, sender=carol)
    tx = est.fund_rewards(2 * E18, sender=carol)
    assert est.reward_reserve() == 2 * E18
    assert est.RewardsFunded(carol, 2 * E18, 2 * E18) in tx.events
    assert gst.balanceOf(est) == 2 * E18
    with ape.reverts("est: zero amount"):
        est.fund_rewards(0, sender=carol)
    with ape.reverts("erc20: insufficient allowance"):
        est.fund_rewards(2 * E18, sender=carol)


def test_set_rates(est, admin, alice, stake):
    tx = est.set_rates(100, 900, sender=admin)
    assert tx.events == [est.RatesSet(100, 900)]
    assert est.apr_for(365) == 900
    stake(alice, E18, 365)
    assert est.positions(1).apr_bp == 900
    # Existing positions keep their rate.
    est.set_rates(0, 0, sender=admin)
    assert est.positions(1).apr_bp == 900
    with ape.reverts("est: base above max"):
        est.set_rates(901, 900, sender=admin)
    with ape.reverts("est: rate above 10000"):
        est.set_rates(0, 10_001, sender=admin)


def test_set_bonus_bounds(est, admin):
    with ape.reverts("est: threshold above 10000"):
        est.set_bonus(10_001, 0, sender=admin)
    with ape.reverts("est: bonus above 10000"):
        est.set_bonus(0, 10_001, sender=admin)
    est.set_bonus(10_000, 10_000, sender=admin)
    assert est.bonus_threshold_bp() == 10_000
    assert est.bonus_bp() == 10_000


def test_pause_unpause(est, pauser):
    tx = est.pause(sender=pauser)
    assert tx.events == [est.Paused(pauser)]
    with ape.reverts("pausable: contract is paused"):
        est.pause(sender=pauser)
    est.unpause(sender=pauser)
    with ape.reverts("pausable: contract is not paused"):
        est.unpause(sender=pauser)


def test_shares_are_not_transferable(est, alice, bob, stake):
    stake(alice, E18, 7)
    with ape.reverts("est: non-transferable"):
        est.transfer(bob, 1, sender=alice)
    with ape.reverts("est: non-transferable"):
        est.transferFrom(alice, bob, 1, sender=bob)
    with ape.reverts("est: non-transferable"):
        est.approve(bob, 1, sender=alice)
    assert est.allowance(alice, bob) == 0


def test_votes_history(est, chain, alice, bob, stake):
    _, t1 = stake(alice, 10 * E18, 7)
    _, t2 = stake(bob, 5 * E18, 7)
    _, t3 = stake(alice, 3 * E18, 7)
    chain.pending_timestamp = block_time(chain, t3) + 7 * DAY
    t4 = est.unstake(1, sender=alice)
    chain.mine()
    assert est.getPastVotes(alice, t1.block_number - 1) == 0
    assert est.getPastVotes(alice, t1.block_number) == 10 * E18
    assert est.getPastVotes(alice, t2.block_number) == 10 * E18
    assert est.getPastVotes(alice, t3.block_number) == 13 * E18
    assert est.getPastVotes(alice, t4.block_number) == 3 * E18
    assert est.getPastVotes(bob, t1.block_number) == 0
    assert est.getPastVotes(bob, t4.block_number) == 5 * E18
    assert est.getPastTotalSupply(t2.block_number) == 15 * E18
    assert est.getPastTotalSupply(t3.block_number) == 18 * E18
    assert est.getPastTotalSupply(t4.block_number) == 8 * E18
    assert est.getVotes(alice) == 3 * E18
    assert est.clock() == chain.blocks.head.number
