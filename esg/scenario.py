"""The demo scenario: a realistic day in the ecosystem, played on a deployed chain.

Two carbon batches are tokenized, traded and partly retired into certificates; three
organizations' evidence goes through the oracle's models (scores, a CO2e metric, ECT rewards and
the AI ethics audit of the scoring model follow from it); GST is staked; gems are claimed and
bought; and a governance proposal passes through the timelock. Used by ``ape run demo``, by
``make demo`` and by the integration tests, which compare the chain and the index after it.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_utils import keccak

from esg.deploy import WAD, Deployment
from esg.personas import Personas
from oracle.demo import attest_scenario


def _advance(provider, *, blocks: int = 0, seconds: int = 0) -> None:
    """Move a local node's clock and height (anvil's RPC)."""
    if seconds:
        provider.make_request("evm_increaseTime", [seconds])
    if blocks or seconds:
        provider.make_request("anvil_mine", [hex(max(blocks, 1))])


def registry_id(ccr, name: str) -> int:
    """The id under which governance added registry ``name`` to CCR (ids count from 1)."""
    i = 1
    while known := ccr.registry_name(i):
        if known == name:
            return i
        i += 1
    raise LookupError(f"registry {name!r} was not added to CCR")


def play(d: Deployment, who: Personas, provider, say: Callable[[str], None] = print) -> dict:
    """Play the scenario; returns the ids it created (batches, certificates, position, proposal)."""
    gst, ect, ccr, ecs, ecr, est, egm, aet = (
        d[n] for n in ("GST", "ECT", "CCR", "ECS", "ECR", "EST", "EGM", "AET")
    )
    governor, timelock = d["Governor"], d["Timelock"]
    # Each play is a new "run": serials continue where the registry stopped and ids stay unique,
    # so the scenario can be played again on the same deployment.
    run = ccr.batch_count() // 2
    ids: dict = {"run": run}

    # Carbon credits: two project-vintage batches from two registries.
    verra_id, gold_id = registry_id(ccr, "VERRA"), registry_id(ccr, "GOLD")
    verra = max(100_001, ccr.next_serial(verra_id))
    gold = max(5_001, ccr.next_serial(gold_id))
    tx = ccr.tokenize(
        who.alice, verra_id, "VCS-1234", 2023, "VM0042", verra, verra + 999, "", sender=who.admin
    )
    ids["batch_verra"] = tx.return_value
    tx = ccr.tokenize(
        who.bob, gold_id, "GS-7781", 2024, "GS-TPDDTEC", gold, gold + 499, "", sender=who.admin
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

    # Scores, the CO2e metric and ECT rewards come from evidence through the oracle's models.
    ids.update(attest_scenario(d, who, provider, say))

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
    governor.queue(targets, values, calldatas, description_hash, who.alice, sender=who.alice)
    _advance(provider, blocks=1, seconds=timelock.get_minimum_delay() + 1)
    governor.execute(targets, values, calldatas, description_hash, who.alice, sender=who.alice)
    say(f"GOV  proposal {ids['proposal']} passed and executed through the timelock: {description}")
    return ids
