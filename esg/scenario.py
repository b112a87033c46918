"""The demo scenario: a realistic day in the ecosystem, played on a deployed chain.

Two carbon batches are tokenized, traded and partly retired into certificates; scores are set and
metrics attested; GST is staked; gems are claimed and bought; an AI model's ethics audit is
recorded; and a governance proposal passes through the timelock. Used by ``ape run demo``, by
``make demo`` and by the integration tests, which compare the chain and the index after it.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_utils import keccak

from esg.deploy import WAD, Deployment
from esg.personas import Personas
from esg.signing import Attestation, sign_attestation


def _advance(provider, *, blocks: int = 0, seconds: int = 0) -> None:
    """Move a local node's clock and height (anvil's RPC)."""
    if seconds:
        provider.make_request("evm_increaseTime", [seconds])
    if blocks or seconds:
        provider.make_request("anvil_mine", [hex(max(blocks, 1))])


def play(d: Deployment, who: Personas, provider, say: Callable[[str], None] = print) -> dict:
    """Play the scenario; returns the ids it created (batches, certificates, position, proposal)."""
    gst, ect, ccr, ecs, ecr, est, egm, aet = (
        d[n] for n in ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")
    )
    governor, timelock = d["Governor"], d["Timelock"]
    chain_id = provider.chain_id
    # Each play is a new "run": serials continue where the registry stopped and ids stay unique,
    # so the scenario can be played again on the same deployment.
    run = ccr.batch_count() // 2
    ids: dict = {"run": run}

    # Carbon credits: two project-vintage batches from two registries.
    verra = max(100_001, ccr.next_serial("VERRA"))
    gold = max(5_001, ccr.next_serial("GOLD"))
    tx = ccr.tokenize(
        who.alice, "VERRA", "VCS-1234", 2023, "VM0042", verra, verra + 999, "", sender=who.admin
    )
    ids["batch_verra"] = tx.return_value
    tx = ccr.tokenize(
        who.bob, "GOLD", "GS-7781", 2024, "GS-TPDDTEC", gold, gold + 499, "", sender=who.admin
    )
    ids["batch_gold"] = tx.return_value
    say(f"CCR  tokenized batch {ids['batch_verra']} (VERRA VCS-1234/2023, 1000 t) to alice")
    say(f"CCR  tokenized batch {ids['batch_gold']} (GOLD GS-7781/2024, 500 t) to bob")

    ccr.safeTransferFrom(who.alice, who.carol, ids["batch_verra"], 100, b"", sender=who.alice)
    ccr.safeTransferFrom(who.bob, who.carol, ids["batch_gold"], 60, b"", sender=who.bob)
    say("CCR  alice sent 100 t and bob 60 t to carol")

    tx = ccr.retire(
        ids["batch_verra"], 250, who.alice, "Offsetting 2025 scope 1 emissions", sender=who.alice
    )
    ids["cert_alice"] = tx.return_value
    tx = ccr.retire(ids["batch_gold"], 40, who.carol, "Carol's flights, 2025", sender=who.carol)
    ids["cert_carol"] = tx.return_value
    say(
        f"CCR  alice retired 250 t -> ECR certificate #{ids['cert_alice']}; carol retired 40 t -> #{ids['cert_carol']}"
    )

    # Scores and attested metrics.
    evidence = keccak(text="esg-report-2025")
    for account, (e, s, g) in (
        (who.alice, (8200, 7600, 9100)),
        (who.bob, (6100, 7000, 6400)),
        (who.carol, (4000, 5200, 4800)),
    ):
        ecs.set_score(account, e, s, g, 1, evidence, sender=who.oracle)
    scores = ", ".join(f"{n} {ecs.score_of(getattr(who, n))} bp" for n in ("alice", "bob", "carol"))
    say(f"ECS  scores: {scores}")
    tx = ecs.record_metric(
        who.alice, keccak(text="co2_emissions"), 1_250 * WAD, "tCO2e", evidence, sender=who.oracle
    )
    ids["metric"] = tx.return_value
    ecs.verify_metric(ids["metric"], sender=who.verifier)
    say(f"ECS  metric #{ids['metric']} (alice co2_emissions 1250 tCO2e) recorded and verified")

    # ECT rewards for verified actions.
    ect.mint_for_action(
        who.bob, 25 * WAD, keccak(text=f"bike-commute:bob:{run}"), sender=who.oracle
    )
    ect.mint_for_action(
        who.carol, 40 * WAD, keccak(text=f"solar-install:carol:{run}"), sender=who.oracle
    )
    say("ECT  25 ECT to bob for a bike commute, 40 ECT to carol for a solar install")

    # GST: distribution, delegation, staking.
    gst.mint(who.alice, 200_000 * WAD, sender=who.admin)
    gst.mint(who.bob, 50_000 * WAD, sender=who.admin)
    gst.mint(who.admin, 100_000 * WAD, sender=who.admin)
    gst.invoke_transaction("delegate", who.alice, sender=who.alice)
    gst.invoke_transaction("delegate", who.bob, sender=who.bob)
    gst.approve(est, 10_000 * WAD, sender=who.admin)
    est.fund_rewards(10_000 * WAD, sender=who.admin)
    gst.approve(est, 50_000 * WAD, sender=who.alice)
    tx = est.stake(50_000 * WAD, 180, sender=who.alice)
    ids["position"] = tx.return_value
    say(f"EST  alice staked 50,000 GST for 180 days (position {ids['position']})")

    # Gems: claimed by score level, bought with GST.
    if not egm.claimed(1, who.alice):
        egm.claim(1, sender=who.alice)
    gst.approve(egm, 2_000 * WAD, sender=who.bob)
    egm.buy(3, 2, sender=who.bob)
    say("EGM  alice claimed gem 1 (score level), bob bought 2 of gem 3 with GST")

    # AI ethics audit, signed off-chain by the auditor, submitted by anyone.
    att = Attestation(
        recipient=str(who.carol.address),
        model_id=keccak(text="esg-scorer-v2"),
        transparency=910,
        bias=870,
        human_alignment=880,
        environmental_impact=760,
        energy_kwh=1_840,
        kg_co2e=650,
        nonce=run + 1,
        deadline=provider.get_block("latest").timestamp + 3_600,
    )
    signature = sign_attestation(
        who.auditor.private_key, att, chain_id=chain_id, aet=str(aet.address)
    )
    tx = aet.mint_with_attestation(*att.args(), signature, sender=who.carol)
    say(
        f"AET  audit of model esg-scorer-v2 recorded; carol received {aet.balanceOf(who.carol) / WAD:.2f} AET"
    )

    # Governance: raise the staking bonus for high scorers through the timelock.
    _advance(provider, blocks=1)
    calldata = est.set_bonus.encode_input(7_500, 400)
    description = f"Raise the EcoStake bonus to 4% for ECS >= 75.00 (run {run})"
    targets, values, calldatas = [est.address], [0], [calldata]
    tx = governor.propose(targets, values, calldatas, description, sender=who.alice)
    ids["proposal"] = tx.return_value
    _advance(provider, blocks=governor.voting_delay() + 1)
    governor.castVote(ids["proposal"], 1, sender=who.alice)
    governor.castVote(ids["proposal"], 0, sender=who.bob)
    _advance(provider, blocks=governor.voting_period() + 1)
    description_hash = keccak(text=description)
    governor.queue(targets, values, calldatas, description_hash, sender=who.alice)
    _advance(provider, blocks=1, seconds=timelock.get_minimum_delay() + 1)
    governor.execute(targets, values, calldatas, description_hash, sender=who.alice)
    say(f"GOV  proposal {ids['proposal']} passed and executed through the timelock: {description}")
    return ids
