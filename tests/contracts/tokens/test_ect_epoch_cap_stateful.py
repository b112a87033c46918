"""ECT epoch cap as a state machine: random rewards and clock jumps against a Python model."""

import ape
from eth_utils import keccak
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from token_helpers import EPOCH_LENGTH

CAP = 1_000


def test_epoch_cap_state_machine(project, chain, admin, oracle, alice, bob):
    token = project.ECT.deploy(EPOCH_LENGTH, CAP, False, sender=admin)
    token.grantRole(token.ORACLE_ROLE(), oracle, sender=admin)
    holders = [alice, bob]

    class EpochCap(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.isolation = chain.isolate()
            self.isolation.__enter__()
            # Next block timestamps are pinned, so the model knows each tx's epoch exactly.
            self.now = chain.pending_timestamp + 10
            self.minted: dict[int, int] = {}
            self.balances = [0, 0]
            self.actions = 0

        def teardown(self):
            if hasattr(self, "isolation"):
                self.isolation.__exit__(None, None, None)

        @rule(amount=st.integers(0, CAP), who=st.integers(0, 1))
        def reward(self, amount, who):
            self.now += 1
            chain.pending_timestamp = self.now
            epoch = self.now // EPOCH_LENGTH
            self.actions += 1
            action_id = keccak(text=f"sm-{self.actions}")
            if self.minted.get(epoch, 0) + amount <= CAP:
                token.mint_for_action(holders[who], amount, action_id, sender=oracle)
                self.minted[epoch] = self.minted.get(epoch, 0) + amount
                self.balances[who] += amount
            else:
                with ape.reverts("ect: epoch cap exceeded"):
                    token.mint_for_action(holders[who], amount, action_id, sender=oracle)

        @rule(seconds=st.integers(1, 2 * EPOCH_LENGTH))
        def wait(self, seconds):
            self.now += seconds

        @invariant()
        def matches_model(self):
            if not hasattr(self, "now"):
                return
            assert token.totalSupply() == sum(self.balances)
            assert [token.balanceOf(h) for h in holders] == self.balances
            for epoch, minted in self.minted.items():
                assert minted <= CAP
                assert token.epoch_minted(epoch) == minted

    EpochCap.TestCase.settings = settings(
        max_examples=10,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    EpochCap.TestCase().runTest()
