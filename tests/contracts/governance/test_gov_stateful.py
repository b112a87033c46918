"""Stateful property test of GST + EcoStake + Governor weights.

Random sequences of transfers, mints, burns, delegations, stakes, unstakes, claims, reward
funding and time jumps, checked after every step against a Python model:
- GST: sum of balances == totalSupply <= cap; every balance matches the model;
- EST: GST held by EST == EST totalSupply + reward reserve; shares == open positions;
- votes: for every persona, GST.getVotes == sum of balances delegated to it, EST.getVotes ==
  its open stake, and the Governor weight at the last block == both together.
"""

from ape import chain
from gov_helpers import CAP, DAY, E18, START_BALANCE, assert_call_reverts, delegate
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

ZERO = "0x0000000000000000000000000000000000000000"
PERSONAS = st.integers(min_value=0, max_value=3)
# Percent of the available balance a step uses; above 100 exercises the revert path.
FRACTION = st.integers(min_value=0, max_value=110)


def test_gst_est_state_machine(gst, gov_est, governor, admin, alice, bob, carol, mallory):
    people = [alice, bob, carol, mallory]
    est = gov_est

    class GovernanceMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self._isolation = chain.isolate()
            self._isolation.__enter__()
            self.balances = {p.address: gst.balanceOf(p) for p in people}
            self.delegates = {p.address: ZERO for p in people}
            self.positions = {}  # id -> [owner, amount, unlock_at, open]
            self.reserve = 0
            self.supply = gst.totalSupply()

        def teardown(self):
            self._isolation.__exit__(None, None, None)

        # --- GST ---------------------------------------------------------------------------

        @rule(src=PERSONAS, dst=PERSONAS, pct=FRACTION)
        def transfer(self, src, dst, pct):
            sender, receiver = people[src], people[dst]
            amount = self.balances[sender.address] * pct // 100
            if amount > self.balances[sender.address]:
                assert_call_reverts(
                    gst.transfer,
                    receiver,
                    amount,
                    sender=sender,
                    reason="erc20: transfer amount exceeds balance",
                )
                return
            gst.transfer(receiver, amount, sender=sender)
            self.balances[sender.address] -= amount
            self.balances[receiver.address] += amount

        @rule(dst=PERSONAS, amount=st.integers(min_value=0, max_value=CAP // E18))
        def mint(self, dst, amount):
            amount *= E18 // 2
            if self.supply + amount > CAP:
                assert_call_reverts(
                    gst.mint, people[dst], amount, sender=admin, reason="gst: cap exceeded"
                )
                return
            gst.mint(people[dst], amount, sender=admin)
            self.balances[people[dst].address] += amount
            self.supply += amount

        @rule(who=PERSONAS, pct=st.integers(min_value=0, max_value=100))
        def burn(self, who, pct):
            account = people[who]
            amount = self.balances[account.address] * pct // 100
            gst.burn(amount, sender=account)
            self.balances[account.address] -= amount
            self.supply -= amount

        @rule(who=PERSONAS, to=st.integers(min_value=-1, max_value=3))
        def delegate_votes(self, who, to):
            target = ZERO if to < 0 else people[to].address
            delegate(gst, people[who], target)
            self.delegates[people[who].address] = target

        # --- EST ---------------------------------------------------------------------------

        @rule(who=PERSONAS, pct=st.integers(min_value=1, max_value=100), days=st.integers(7, 365))
        def stake(self, who, pct, days):
            account = people[who]
            amount = self.balances[account.address] * pct // 100
            if amount == 0:
                return
            gst.approve(est, amount, sender=account)
            tx = est.stake(amount, days, sender=account)
            position_id = tx.return_value
            self.positions[position_id] = [
                account.address,
                amount,
                est.positions(position_id).unlock_at,
                True,
            ]
            self.balances[account.address] -= amount

        @rule(pick=st.integers(min_value=0, max_value=1_000))
        def unstake(self, pick):
            open_ids = [pid for pid, pos in self.positions.items() if pos[3]]
            if not open_ids:
                return
            pid = open_ids[pick % len(open_ids)]
            owner, amount, unlock_at, _ = self.positions[pid]
            account = next(p for p in people if p.address == owner)
            if chain.pending_timestamp < unlock_at:
                assert_call_reverts(est.unstake, pid, sender=account, reason="est: still locked")
                return
            tx = est.unstake(pid, sender=account)
            reward = next(e for e in tx.events if e.event_name == "Unstaked").reward
            self.positions[pid][3] = False
            self.balances[owner] += amount + reward
            self.reserve -= reward

        @rule(pick=st.integers(min_value=0, max_value=1_000))
        def claim(self, pick):
            if not self.positions:
                return
            pid = sorted(self.positions)[pick % len(self.positions)]
            owner = self.positions[pid][0]
            account = next(p for p in people if p.address == owner)
            if est.pending_reward(pid) == 0 or self.reserve == 0:
                return
            tx = est.claim(pid, sender=account)
            self.balances[owner] += tx.return_value
            self.reserve -= tx.return_value

        @rule(who=PERSONAS, pct=st.integers(min_value=1, max_value=50))
        def fund(self, who, pct):
            account = people[who]
            amount = self.balances[account.address] * pct // 100
            if amount == 0:
                return
            gst.approve(est, amount, sender=account)
            est.fund_rewards(amount, sender=account)
            self.balances[account.address] -= amount
            self.reserve += amount

        @rule(days=st.integers(min_value=1, max_value=200))
        def advance_time(self, days):
            chain.pending_timestamp += days * DAY
            chain.mine(1)

        # --- invariants --------------------------------------------------------------------

        @invariant()
        def supply_is_conserved(self):
            total = gst.totalSupply()
            assert total == self.supply <= CAP
            held = {p.address: gst.balanceOf(p) for p in people}
            assert held == self.balances
            est_held = gst.balanceOf(est)
            # No other account ever holds GST in this machine.
            assert sum(held.values()) + est_held == total
            staked = sum(pos[1] for pos in self.positions.values() if pos[3])
            assert est.totalSupply() == staked
            assert est.reward_reserve() == self.reserve
            assert est_held == staked + self.reserve

        @invariant()
        def votes_match_delegations_and_stake(self):
            chain.mine(1)
            block = chain.blocks.head.number - 1
            for person in people:
                delegated = sum(
                    bal
                    for holder, bal in self.balances.items()
                    if self.delegates[holder] == person.address
                )
                staked = sum(
                    pos[1] for pos in self.positions.values() if pos[3] and pos[0] == person.address
                )
                assert gst.getVotes(person) == delegated
                assert est.getVotes(person) == staked == est.balanceOf(person)
                assert governor.getVotes(person, block) == delegated + staked

    assert gst.totalSupply() == 3 * START_BALANCE
    run_state_machine_as_test(
        GovernanceMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
