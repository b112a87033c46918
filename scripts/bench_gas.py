"""Gas of the ecosystem's hot operations, from whole transactions on a local anvil.

    make bench-gas          # = ape run bench_gas (ape starts anvil on a free port)

Prints one line per operation, ``name: N gas (target T)``; targets come from docs/DESIGN targets
(a dash where none is set). Figures are recorded in docs/benchmarks.md.
"""

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand
from eth_utils import keccak

from esg.deploy import WAD, deploy_ecosystem
from esg.personas import Personas
from esg.scenario import registry_id
from esg.signing import Attestation, sign_attestation, sign_permit

TARGETS = {
    "GST transfer (new holder)": 51_300,
    "GST transfer (existing holder)": 34_200,
    "GST approve": 46_000,
    "ECT transfer (new holder)": 51_300,
    "ECT transfer (existing holder)": 34_200,
    "ECT approve": 46_000,
    "CCR transfer, pause + compliance (existing holder)": 60_000,
    "CCR transfer, pause + compliance (new holder)": 60_000,
    "ECR certificate mint": 100_000,
}


def measure(rows: list, name: str, receipt) -> None:
    rows.append((name, receipt.gas_used))


@click.command(cls=ConnectedProviderCommand, short_help="Print gas per operation")
def cli(provider):
    who = Personas.from_accounts(accounts.test_accounts)
    d = deploy_ecosystem(project, who.admin, operators=who.operators(), hand_over_admin=False)
    gst, ect, ccr, ecr, est, aet = (d[n] for n in ("GST", "ECT", "CCR", "ECR", "EST", "AET"))
    rows: list = []

    gst.mint(who.alice, 1_000 * WAD, sender=who.admin)
    gst.mint(who.bob, 1 * WAD, sender=who.admin)
    measure(rows, "GST transfer (new holder)", gst.transfer(who.carol, 10 * WAD, sender=who.alice))
    measure(
        rows, "GST transfer (existing holder)", gst.transfer(who.bob, 10 * WAD, sender=who.alice)
    )
    measure(rows, "GST approve", gst.approve(who.bob, 10 * WAD, sender=who.alice))
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(
        who.alice.private_key,
        token_name=gst.name(),
        token=str(gst.address),
        chain_id=provider.chain_id,
        owner=str(who.alice.address),
        spender=str(who.carol.address),
        value=5 * WAD,
        nonce=gst.nonces(who.alice),
        deadline=deadline,
    )
    measure(
        rows,
        "GST permit",
        gst.permit(who.alice, who.carol, 5 * WAD, deadline, v, r, s, sender=who.carol),
    )
    gst.invoke_transaction("delegate", who.alice, sender=who.alice)
    gst.invoke_transaction("delegate", who.bob, sender=who.bob)
    measure(
        rows, "GST transfer (both delegated)", gst.transfer(who.bob, 10 * WAD, sender=who.alice)
    )

    ect.mint_for_action(who.alice, 100 * WAD, keccak(text="bench-1"), sender=who.oracle)
    ect.mint_for_action(who.bob, 1 * WAD, keccak(text="bench-2"), sender=who.oracle)
    measure(rows, "ECT transfer (new holder)", ect.transfer(who.carol, WAD, sender=who.alice))
    measure(rows, "ECT transfer (existing holder)", ect.transfer(who.bob, WAD, sender=who.alice))
    measure(rows, "ECT approve", ect.approve(who.bob, WAD, sender=who.alice))
    measure(
        rows,
        "ECT mint for action",
        ect.mint_for_action(who.bob, WAD, keccak(text="bench-3"), sender=who.oracle),
    )

    verra = registry_id(ccr, "VERRA")
    batch = ccr.tokenize(
        who.alice, verra, "VCS-1", 2024, "VM0042", 1, 10_000, "", sender=who.admin
    ).return_value
    ccr.safeTransferFrom(who.alice, who.bob, batch, 1, b"", sender=who.alice)
    ccr.set_compliance(True, sender=who.admin)
    for account in (who.alice, who.bob, who.carol):
        ccr.set_allowed(account, True, sender=who.verifier)
    measure(
        rows,
        "CCR transfer, pause + compliance (existing holder)",
        ccr.safeTransferFrom(who.alice, who.bob, batch, 10, b"", sender=who.alice),
    )
    measure(
        rows,
        "CCR transfer, pause + compliance (new holder)",
        ccr.safeTransferFrom(who.alice, who.carol, batch, 10, b"", sender=who.alice),
    )
    measure(
        rows,
        "CCR retire with certificate",
        ccr.retire(batch, 5, who.alice, "bench", sender=who.alice),
    )

    ecr.grantRole(ecr.CERTIFIER_ROLE(), who.admin, sender=who.admin)
    measure(
        rows,
        "ECR certificate mint",
        ecr.mint_certificate(
            who.bob, batch, 3, keccak(text="cert"), "ESG certificate", False, sender=who.admin
        ),
    )

    gst.approve(est, 100 * WAD, sender=who.alice)
    measure(rows, "EST stake", est.stake(100 * WAD, 90, sender=who.alice))

    att = Attestation(
        recipient=str(who.carol.address),
        model_id=keccak(text="model"),
        transparency=900,
        bias=800,
        human_alignment=850,
        environmental_impact=700,
        energy_kwh=1_000,
        kg_co2e=400,
        nonce=7,
        deadline=chain.pending_timestamp + 3_600,
    )
    sig = sign_attestation(
        who.auditor.private_key, att, chain_id=provider.chain_id, aet=str(aet.address)
    )
    measure(
        rows,
        "AET mint with attestation",
        aet.mint_with_attestation(*att.args(), sig, sender=who.carol),
    )

    for name, gas in rows:
        target = TARGETS.get(name)
        verdict = (
            "-"
            if target is None
            else f"{target:,}" + ("" if gas <= target else f", misses by {gas - target:,}")
        )
        click.echo(f"{name}: {gas:,} gas (target {verdict})")
