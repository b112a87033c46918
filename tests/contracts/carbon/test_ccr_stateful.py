"""Stateful property test of a root CCR: random tokenize / transfer / retire / invalidate /
compliance / pause sequences, with the bridge as one of the holders, against a Python model.

Properties checked:
- serial ranges of one registry never overlap (model after every step, chain at teardown);
- retired balances only grow and retired units never move (transfers beyond the transferable
  balance revert);
- units the bridge holds (locked for another chain) are never invalidated, and a root CCR never
  mints by `deposit` nor burns by `withdraw*`;
- for every id: balances + retired + invalidated + withdrawn = tokenized + deposited, on chain
  and in the model, and every on-chain figure equals the model.
"""

from collections import defaultdict

import ape
from carbon_roles import REGISTRIES
from eth_abi import encode
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

PAUSED = "pausable: contract is paused"
BRIDGE_IX = 4  # the bridge persona among the holders

holder_ix = st.integers(0, 4)
batch_ix = st.integers(0, 1_000)
amounts = st.integers(0, 60)


def first_error(*checks: tuple[bool, str]) -> str | None:
    """The reason of the first check that holds: the revert the contract must answer with."""
    return next((reason for holds, reason in checks if holds), None)


def attempt(error: str | None, call) -> bool:
    """Runs ``call()``, which must revert with ``error`` when there is one; whether it went
    through (the model then follows it)."""
    if error:
        with ape.reverts(error):
            call()
        return False
    call()
    return True


def test_ccr_state_machine(
    ccr, chain, alice, bob, carol, mallory, admin, verifier, issuer, pauser, bridge
):
    holders = [alice, bob, carol, mallory, bridge]

    class CCRMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self._isolation = chain.isolate()
            self._isolation.__enter__()
            self.next_serial = dict.fromkeys(REGISTRIES.values(), 0)
            self.ranges = {r: [] for r in REGISTRIES.values()}
            self.tokenized = {}  # id -> units minted by tokenize
            self.balance = defaultdict(int)  # (holder index, id)
            self.retired = defaultdict(int)
            self.invalidated = defaultdict(int)
            self.withdrawn = defaultdict(int)
            self.deposited = defaultdict(int)
            self.seen_retired = defaultdict(int)
            self.compliance = False
            self.allowed = set()
            self.paused = False
            self.touched = set()

        def teardown(self):
            try:
                for batch_id in self.tokenized:
                    self.check_id(batch_id)
                self.check_chain_ranges()
            finally:
                self._isolation.__exit__(None, None, None)

        # --- helpers ------------------------------------------------------------------------

        def pick(self, ix):
            ids = sorted(self.tokenized)
            return ids[ix % len(ids)]

        def compliance_error(self, src, dst):
            if not self.compliance:
                return None
            if src is not None and src not in self.allowed:
                return "ccr: sender not allowed"
            if dst not in self.allowed:
                return "ccr: receiver not allowed"
            return None

        def check_id(self, batch_id):
            on_chain = list(ccr.balanceOfBatch(holders, [batch_id] * len(holders)))
            assert on_chain == [self.balance[(h, batch_id)] for h in range(len(holders))]
            retired_total = ccr.retired_total(batch_id)
            invalidated_total = ccr.invalidated_total(batch_id)
            withdrawn = ccr.withdrawn(batch_id)
            deposited = ccr.deposited(batch_id)
            tokenized = ccr.batch_amount(batch_id)
            assert tokenized == self.tokenized[batch_id]
            assert ccr.total_supply(batch_id) == sum(on_chain)
            assert (
                sum(on_chain) + retired_total + invalidated_total + withdrawn
                == tokenized + deposited
            )
            for h, acct in enumerate(holders):
                retired = ccr.retired(batch_id, acct)
                assert retired >= self.seen_retired[(h, batch_id)], "retired balance shrank"
                assert retired == self.retired[(h, batch_id)]
                self.seen_retired[(h, batch_id)] = retired
                assert ccr.invalidated(batch_id, acct) == self.invalidated[(h, batch_id)]
            assert retired_total == sum(self.retired[(h, batch_id)] for h in range(len(holders)))
            assert withdrawn == self.withdrawn[batch_id]
            assert deposited == self.deposited[batch_id]

        def check_chain_ranges(self):
            per_registry = defaultdict(list)
            for batch_id in range(1, ccr.batch_count() + 1):
                b = ccr.batch(batch_id)
                per_registry[b.registry_id].append((b.serial_start, b.serial_end))
            for registry, ranges in per_registry.items():
                ranges.sort()
                for (_, prev_end), (start, _) in zip(ranges, ranges[1:], strict=False):
                    assert prev_end < start, f"overlapping serials in {registry}"
                assert ccr.next_serial(registry) == ranges[-1][1] + 1

        # --- rules --------------------------------------------------------------------------

        @rule(
            registry=st.sampled_from(sorted(REGISTRIES.values())),
            gap=st.integers(-40, 20),
            length=st.integers(1, 50),
            to=holder_ix,
        )
        def tokenize(self, registry, gap, length, to):
            start = max(0, self.next_serial[registry] + gap)
            end = start + length - 1
            error = first_error(
                (self.paused, PAUSED),
                (self.compliance and to not in self.allowed, "ccr: receiver not allowed"),
                (start < self.next_serial[registry], "ccr: serial range overlaps"),
            )
            args = (holders[to], registry, "PRJ", 2022, "VM0042", start, end, "")
            if error:
                with ape.reverts(error):
                    ccr.tokenize(*args, sender=issuer)
                return
            overlaps = any(s <= end and start <= e for s, e in self.ranges[registry])
            assert not overlaps, "model accepted an overlapping range"
            batch_id = ccr.tokenize(*args, sender=issuer).return_value
            assert batch_id == len(self.tokenized) + 1
            b = ccr.batch(batch_id)
            assert (b.registry_id, b.serial_start, b.serial_end) == (registry, start, end)
            self.ranges[registry].append((start, end))
            self.next_serial[registry] = end + 1
            self.tokenized[batch_id] = length
            self.balance[(to, batch_id)] += length
            self.touched.add(batch_id)

        @precondition(lambda self: self.tokenized)
        @rule(src=holder_ix, dst=holder_ix, ix=batch_ix, amount=amounts, batched=st.booleans())
        def transfer(self, src, dst, ix, amount, batched):
            batch_id = self.pick(ix)
            error = PAUSED if self.paused else self.compliance_error(src, dst)
            if error is None and amount > self.balance[(src, batch_id)]:
                error = "erc1155: insufficient balance for transfer"

            def send():
                if batched:
                    ccr.safeBatchTransferFrom(
                        holders[src], holders[dst], [batch_id], [amount], b"", sender=holders[src]
                    )
                else:
                    ccr.safeTransferFrom(
                        holders[src], holders[dst], batch_id, amount, b"", sender=holders[src]
                    )

            if not attempt(error, send):
                return
            self.balance[(src, batch_id)] -= amount
            self.balance[(dst, batch_id)] += amount
            self.touched.add(batch_id)

        @precondition(lambda self: self.tokenized)
        @rule(who=holder_ix, ix=batch_ix, amount=amounts, beneficiary=holder_ix)
        def retire(self, who, ix, amount, beneficiary):
            batch_id = self.pick(ix)
            error = first_error(
                (self.paused, PAUSED),
                (amount == 0, "ccr: zero amount"),
                (amount > self.balance[(who, batch_id)], "ccr: amount exceeds balance"),
            )
            to = holders[beneficiary]
            if not attempt(
                error, lambda: ccr.retire(batch_id, amount, to, "m", sender=holders[who])
            ):
                return
            self.balance[(who, batch_id)] -= amount
            self.retired[(who, batch_id)] += amount
            self.touched.add(batch_id)

        @precondition(lambda self: any(v for v in self.retired.values()))
        @rule(data=st.data(), dst=holder_ix, extra=st.integers(1, 60))
        def move_retired(self, data, dst, extra):
            """Try to move more than the transferable balance of an account that has retired."""
            (who, batch_id) = data.draw(
                st.sampled_from(sorted(k for k, v in self.retired.items() if v))
            )
            amount = self.balance[(who, batch_id)] + min(extra, self.retired[(who, batch_id)])
            with ape.reverts():
                ccr.safeTransferFrom(
                    holders[who], holders[dst], batch_id, amount, b"", sender=holders[who]
                )
            with ape.reverts():
                ccr.invalidate(batch_id, holders[who], amount, "x", sender=verifier)
            self.touched.add(batch_id)

        @precondition(lambda self: self.tokenized)
        @rule(who=holder_ix, ix=batch_ix, amount=amounts)
        def invalidate(self, who, ix, amount):
            batch_id = self.pick(ix)
            error = first_error(
                (amount == 0, "ccr: zero amount"),
                (who == BRIDGE_IX, "ccr: units locked in the bridge"),
                (amount > self.balance[(who, batch_id)], "ccr: amount exceeds balance"),
            )
            owner = holders[who]
            if not attempt(
                error,
                lambda: ccr.invalidate(batch_id, owner, amount, "registry", sender=verifier),
            ):
                return
            self.balance[(who, batch_id)] -= amount
            self.invalidated[(who, batch_id)] += amount
            self.touched.add(batch_id)

        @precondition(lambda self: self.tokenized)
        @rule(who=holder_ix, ix=batch_ix, amount=st.integers(1, 30))
        def child_interface_refused(self, who, ix, amount):
            """A root CCR mints only by tokenize and burns only by retire and invalidate."""
            batch_id = self.pick(ix)
            data = encode(["uint256[]", "uint256[]", "bytes"], [[batch_id], [amount], b""])
            with ape.reverts("bridged_child: deposit on a root token"):
                ccr.deposit(holders[who], data, sender=bridge)
            with ape.reverts("bridged_child: withdraw on a root token"):
                ccr.withdrawSingle(batch_id, amount, sender=holders[who])

        @rule(enabled=st.booleans())
        def set_compliance(self, enabled):
            ccr.set_compliance(enabled, sender=admin)
            self.compliance = enabled

        @rule(who=holder_ix, allowed=st.booleans())
        def set_allowed(self, who, allowed):
            ccr.set_allowed(holders[who], allowed, sender=verifier)
            if allowed:
                self.allowed.add(who)
            else:
                self.allowed.discard(who)

        @rule()
        def toggle_pause(self):
            if self.paused:
                ccr.unpause(sender=pauser)
            else:
                ccr.pause(sender=pauser)
            self.paused = not self.paused

        # --- invariants ---------------------------------------------------------------------

        @invariant()
        def model_ranges_disjoint(self):
            for ranges in self.ranges.values():
                ordered = sorted(ranges)
                for (_, prev_end), (start, _) in zip(ordered, ordered[1:], strict=False):
                    assert prev_end < start

        @invariant()
        def model_accounting(self):
            for batch_id, minted in self.tokenized.items():
                held = sum(self.balance[(h, batch_id)] for h in range(len(holders)))
                gone = sum(
                    self.retired[(h, batch_id)] + self.invalidated[(h, batch_id)]
                    for h in range(len(holders))
                )
                assert held + gone + self.withdrawn[batch_id] == minted + self.deposited[batch_id]
                assert all(self.balance[(h, batch_id)] >= 0 for h in range(len(holders)))

        @invariant()
        def chain_matches_model(self):
            for batch_id in self.touched:
                self.check_id(batch_id)
            self.touched.clear()
            assert ccr.paused() == self.paused
            assert ccr.compliance_enabled() == self.compliance

    run_state_machine_as_test(
        CCRMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
