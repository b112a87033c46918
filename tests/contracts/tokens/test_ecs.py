"""EcoScore (ECS): scores, weights, soulbound views, attested metrics, pause."""

import ape
import pytest
from eth_utils import keccak

EVIDENCE = keccak(text="evidence-1")
CO2 = keccak(text="co2_emissions")


def token_id(account) -> int:
    return int(str(account), 16)


def test_defaults(ecs, admin):
    assert (ecs.weight_environmental(), ecs.weight_social(), ecs.weight_governance()) == (
        4000,
        3000,
        3000,
    )
    assert ecs.hasRole(ecs.DEFAULT_ADMIN_ROLE(), admin)
    assert ecs.name() == "EcoScore" and ecs.symbol() == "ECS"
    assert ecs.metric_count() == 0


def test_supports_interface(ecs):
    assert ecs.supportsInterface("0xb45a3c0e")  # ERC-5192
    assert ecs.supportsInterface("0x01ffc9a7")  # ERC-165
    assert ecs.supportsInterface("0x7965db0b")  # IAccessControl
    assert not ecs.supportsInterface("0x80ac58cd")  # not a transferable ERC-721
    assert not ecs.supportsInterface("0xffffffff")


def test_no_transfer_function(ecs):
    for name in ("transferFrom", "safeTransferFrom", "approve", "setApprovalForAll", "transfer"):
        assert not hasattr(ecs, name)


def test_set_score_first_time(ecs, oracle, alice):
    tx = ecs.set_score(alice, 8000, 6000, 5000, 3, EVIDENCE, sender=oracle)
    print(f"\nECS gas: first set_score {tx.gas_used}")
    expected = (8000 * 4000 + 6000 * 3000 + 5000 * 3000) // 10000
    assert ecs.score_of(alice) == expected == 6500
    ts = ape.chain.blocks[tx.block_number].timestamp
    assert ecs.score_details(alice) == (expected, 8000, 6000, 5000, 3, EVIDENCE, ts)
    locked = tx.decode_logs(ecs.Locked)
    assert len(locked) == 1 and locked[0].tokenId == token_id(alice)
    ev = tx.decode_logs(ecs.ScoreUpdated)[0]
    assert ev.account == alice and ev.old_score == 0 and ev.new_score == expected
    assert (ev.environmental, ev.social, ev.governance) == (8000, 6000, 5000)
    assert ev.methodology_version == 3 and ev.evidence_hash == EVIDENCE


def test_set_score_update_keeps_lock_and_reports_old_score(ecs, oracle, alice):
    ecs.set_score(alice, 8000, 6000, 5000, 1, EVIDENCE, sender=oracle)
    tx = ecs.set_score(alice, 10000, 10000, 10000, 2, keccak(text="e2"), sender=oracle)
    assert tx.decode_logs(ecs.Locked) == []
    ev = tx.decode_logs(ecs.ScoreUpdated)[0]
    assert ev.old_score == 6500 and ev.new_score == 10000
    assert ecs.score_of(alice) == 10000
    assert ecs.score_details(alice)[4] == 2


def test_unscored_account(ecs, bob):
    assert ecs.score_of(bob) == 0
    assert ecs.score_details(bob) == (0, 0, 0, 0, 0, b"\x00" * 32, 0)
    assert ecs.balanceOf(bob) == 0
    with ape.reverts("ecs: account not scored"):
        ecs.locked(token_id(bob))
    with ape.reverts("ecs: account not scored"):
        ecs.ownerOf(token_id(bob))
    with ape.reverts("ecs: account not scored"):
        ecs.locked(2**160)


def test_soulbound_views(ecs, oracle, alice):
    ecs.set_score(alice, 1, 2, 3, 1, EVIDENCE, sender=oracle)
    assert ecs.token_id_of(alice) == token_id(alice)
    assert ecs.locked(token_id(alice)) is True
    assert ecs.ownerOf(token_id(alice)) == alice
    assert ecs.balanceOf(alice) == 1
    assert ecs.is_scored(alice)


@pytest.mark.parametrize(
    "components", [(10001, 0, 0), (0, 10001, 0), (0, 0, 10001), (2**255, 0, 0)]
)
def test_component_out_of_range(ecs, oracle, alice, components):
    with ape.reverts("ecs: component out of range"):
        ecs.set_score(alice, *components, 1, EVIDENCE, sender=oracle)


def test_component_bounds_accepted(ecs, oracle, alice):
    ecs.set_score(alice, 0, 0, 0, 1, EVIDENCE, sender=oracle)
    assert ecs.score_of(alice) == 0
    assert ecs.locked(token_id(alice))
    ecs.set_score(alice, 10000, 10000, 10000, 1, EVIDENCE, sender=oracle)
    assert ecs.score_of(alice) == 10000


def test_set_score_zero_account(ecs, oracle):
    with ape.reverts("ecs: zero account"):
        ecs.set_score(
            "0x0000000000000000000000000000000000000000", 1, 1, 1, 1, EVIDENCE, sender=oracle
        )


def test_set_weights(ecs, admin, oracle, alice):
    tx = ecs.set_weights(10000, 0, 0, sender=admin)
    ev = tx.decode_logs(ecs.WeightsUpdated)[0]
    assert (ev.environmental_bp, ev.social_bp, ev.governance_bp) == (10000, 0, 0)
    ecs.set_score(alice, 7000, 100, 100, 1, EVIDENCE, sender=oracle)
    assert ecs.score_of(alice) == 7000
    ecs.set_weights(2500, 2500, 5000, sender=admin)
    ecs.set_score(alice, 4000, 8000, 6000, 1, EVIDENCE, sender=oracle)
    assert ecs.score_of(alice) == (4000 * 2500 + 8000 * 2500 + 6000 * 5000) // 10000


@pytest.mark.parametrize(
    "weights", [(4000, 3000, 2999), (4000, 3000, 3001), (0, 0, 0), (10000, 1, 0)]
)
def test_weights_must_sum(ecs, admin, weights):
    with ape.reverts("ecs: weights must sum to 10000"):
        ecs.set_weights(*weights, sender=admin)


def test_record_and_verify_metric(ecs, oracle, verifier, alice):
    value = -1_234_500_000_000_000_000  # -1.2345 (negative values allowed, e.g. net removals)
    tx = ecs.record_metric(alice, CO2, value, "tCO2e", EVIDENCE, sender=oracle)
    print(f"\nECS gas: first record_metric {tx.gas_used}")
    assert tx.return_value == 1
    assert ecs.metric_count() == 1
    ev = tx.decode_logs(ecs.MetricRecorded)[0]
    assert ev.metric_id == 1 and ev.account == alice and ev.metric_type == CO2
    assert ev.value == value and ev.unit == "tCO2e" and ev.evidence_hash == EVIDENCE
    m = ecs.metrics(1)
    assert m.account == alice and m.value == value and m.unit == "tCO2e"
    assert m.verified is False and m.verifier == "0x0000000000000000000000000000000000000000"
    assert m.recorded_at == ape.chain.blocks[tx.block_number].timestamp

    tx = ecs.verify_metric(1, sender=verifier)
    ev = tx.decode_logs(ecs.MetricVerified)[0]
    assert ev.metric_id == 1 and ev.verifier == verifier
    m = ecs.metrics(1)
    assert m.verified is True and m.verifier == verifier

    tx2 = ecs.record_metric(alice, CO2, 5, "kWh", EVIDENCE, sender=oracle)
    assert tx2.return_value == 2


def test_verify_metric_reverts(ecs, oracle, verifier, alice):
    with ape.reverts("ecs: unknown metric"):
        ecs.verify_metric(0, sender=verifier)
    with ape.reverts("ecs: unknown metric"):
        ecs.verify_metric(1, sender=verifier)
    ecs.record_metric(alice, CO2, 1, "t", EVIDENCE, sender=oracle)
    ecs.verify_metric(1, sender=verifier)
    with ape.reverts("ecs: metric already verified"):
        ecs.verify_metric(1, sender=verifier)


def test_record_metric_zero_account(ecs, oracle):
    with ape.reverts("ecs: zero account"):
        ecs.record_metric(
            "0x0000000000000000000000000000000000000000", CO2, 1, "t", EVIDENCE, sender=oracle
        )


def test_pause(ecs, pauser, oracle, verifier, alice):
    ecs.record_metric(alice, CO2, 1, "t", EVIDENCE, sender=oracle)
    ecs.pause(sender=pauser)
    assert ecs.paused()
    with ape.reverts("pausable: contract is paused"):
        ecs.set_score(alice, 1, 1, 1, 1, EVIDENCE, sender=oracle)
    with ape.reverts("pausable: contract is paused"):
        ecs.record_metric(alice, CO2, 1, "t", EVIDENCE, sender=oracle)
    ecs.verify_metric(1, sender=verifier)  # verification is not paused
    ecs.unpause(sender=pauser)
    assert not ecs.paused()
    ecs.set_score(alice, 1, 1, 1, 1, EVIDENCE, sender=oracle)
    assert ecs.is_scored(alice)


# --- score history -------------------------------------------------------------------------


def _score_at(ecs, chain, oracle, account, score: int, when: int) -> int:
    """Set ``account``'s overall score to ``score`` in a block at timestamp ``when``."""
    chain.pending_timestamp = when
    ecs.set_score(account, score, score, score, 1, EVIDENCE, sender=oracle)
    return when


def _model(history: list[tuple[int, int]], threshold: int, start: int, end: int) -> int:
    """Seconds in [start, end) at or above ``threshold`` for a (time, score) history."""
    total = 0
    for i, (t, score) in enumerate(history):
        until = history[i + 1][0] if i + 1 < len(history) else end
        lo, hi = max(t, start), min(until, end)
        if score >= threshold and hi > lo:
            total += hi - lo
    return total


def test_seconds_at_or_above_follows_every_update(ecs, chain, oracle, alice):
    t0 = chain.pending_timestamp + 100
    history = [
        (_score_at(ecs, chain, oracle, alice, s, t0 + dt), s)
        for s, dt in ((5000, 0), (8000, 1_000), (6000, 5_000), (9000, 5_500), (100, 9_000))
    ]
    assert ecs.score_history_length(alice) == 5
    for threshold in (0, 5000, 7000, 9000, 9001):
        for start, end in (
            (t0 - 50, t0 + 20_000),
            (t0 + 500, t0 + 5_200),
            (t0 + 1_000, t0 + 1_000),
            (t0 + 5_600, t0 + 8_000),
            (t0 - 100, t0 - 10),
        ):
            expected = (
                end - start
                if threshold == 0 and end > start
                else _model(history, threshold, start, end)
            )
            assert ecs.seconds_at_or_above(alice, threshold, start, end) == expected, (
                threshold,
                start - t0,
                end - t0,
            )


def test_score_never_set_is_never_eligible(ecs, bob):
    assert ecs.seconds_at_or_above(bob, 1, 0, 10**10) == 0
    assert ecs.seconds_at_or_above(bob, 0, 0, 10**10) == 10**10
    assert ecs.score_history_length(bob) == 0
